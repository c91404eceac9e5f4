"""Benchmarks that print tables (and write JSON); not part of the timed test suite."""
