"""A trainer's working hours, days off and free slots."""
