"""Trainer–client conversations and messages."""
