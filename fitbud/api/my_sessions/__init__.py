"""A client's own sessions, their trainer's free slots, and slot requests."""
