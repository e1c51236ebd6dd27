"""The trainer's activity feed across their clients."""
