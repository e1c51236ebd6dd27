"""Admin endpoints for managing accounts."""
