"""The dashboard pages, one module each."""
