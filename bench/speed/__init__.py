"""Speed ratios of the engine (never absolute times): ``python -m bench.speed``."""
