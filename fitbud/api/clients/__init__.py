"""Trainers manage their clients: roster, profiles, invitations, archiving."""
