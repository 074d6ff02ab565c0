"""Benchmarks for newsreader: quality on shared dev data and speed ratios (never tests)."""
