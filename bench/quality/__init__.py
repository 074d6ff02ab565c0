"""Quality benchmarks: the engine beside its peers on the shared dev data sets.

Run from the repository root: ``python -m bench.quality [part ...] [--limit N]``.
"""
