"""Subscribable iCalendar feeds of sessions."""
