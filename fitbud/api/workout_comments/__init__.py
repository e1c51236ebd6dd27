"""Trainers comment on their clients' logged workouts."""
