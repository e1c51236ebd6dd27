"""Tests of background jobs and the worker."""
