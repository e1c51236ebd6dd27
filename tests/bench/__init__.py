"""Tests of the load benchmark's tooling: the reference app and the run's bookkeeping."""
