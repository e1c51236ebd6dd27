"""Business rules and transactions, one module per domain."""
