"""Hypothesis profiles for the property tests, chosen with ``HYPOTHESIS_PROFILE``.

``ci`` (the default) is derandomized, so every run tries the same examples and a failure
in CI fails again on any machine; ``nightly`` runs 15 times as many examples from a fresh
random seed each time (a failure prints the blob that replays it with
``@reproduce_failure``). See "Property tests" in docs/reliability.md.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from tests.properties.budget import PROFILES

_COMMON = {
    # spaCy, trafilatura and loopback HTTP take unpredictable time on a busy CI machine;
    # a slow example is not a bug here.
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", derandomize=True, database=None, **_COMMON)
settings.register_profile("nightly", derandomize=False, **_COMMON)
settings.register_profile("dev", derandomize=False, **_COMMON)

_profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if _profile not in PROFILES:
    raise ValueError(f"HYPOTHESIS_PROFILE={_profile!r}; known: {', '.join(PROFILES)}")
settings.load_profile(_profile)
