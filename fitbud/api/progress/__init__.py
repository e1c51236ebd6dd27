"""A trainer's read-only view of a client's logs, progress and records, and check-in replies."""
