"""Benchmarks run by `make bench`; see bench/run.py. Not part of `make test`."""
