"""Benchmarks: `make bench`, its data generator and RESULTS.md."""
