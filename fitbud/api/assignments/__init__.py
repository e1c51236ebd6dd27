"""Plan assignments: snapshots of templates given to a client."""
