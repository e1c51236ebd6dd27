"""Pure pandas analytics: frames in, frames out; no database access, no Flask."""
