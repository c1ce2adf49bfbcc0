"""Benchmarks against the physical limits of the machine they run on (``python -m bench``)."""
