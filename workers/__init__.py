"""Background jobs run by `python -m workers` (or inline when Redis is not configured).

Services start them by name through fitbud/jobs.py and never import this package.
"""
