"""How many examples each property tries: a count for the ``ci`` profile, scaled for the
others. ``examples(n)`` is applied to a test as ``@examples(n)``."""

from __future__ import annotations

import os

from hypothesis import settings

# Multiples of the ci counts. dev is a quick local run while writing a property.
PROFILES = {"ci": 1.0, "nightly": 15.0, "dev": 0.2}


def scale() -> float:
    return PROFILES.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 1.0)


def examples(ci_count: int) -> settings:
    """Settings with ``ci_count`` examples in CI (and proportionally more at night)."""
    return settings(max_examples=max(1, round(ci_count * scale())))
