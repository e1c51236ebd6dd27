"""Authentication endpoints."""
