"""Generated plan drafts: POST /plans/generate."""
