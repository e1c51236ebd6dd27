"""A client's own logs: workouts, meals, check-ins, body metrics, nutrition, streaks and records."""
