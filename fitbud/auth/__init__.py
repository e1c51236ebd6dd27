"""Authentication: roles, password hashing and JWT callbacks."""
