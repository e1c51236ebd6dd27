"""Analytics: turning logged data into figures."""
