"""Background jobs run by `rq worker` (or inline when Redis is not configured)."""
