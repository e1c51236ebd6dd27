"""The client's own side: their profile, their plan, and today."""
