"""Statistics endpoints: a trainer's KPIs and the platform's figures for admins."""
