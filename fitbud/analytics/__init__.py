"""Analytics: pure pandas shaping (frames in, frames out) and the figures built from logged data."""
