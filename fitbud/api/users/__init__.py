"""The current user's account endpoints."""
