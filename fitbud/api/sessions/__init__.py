"""Training sessions for trainers: booking, weekly series, moves, lifecycle and slot requests."""
