"""How strict grouping is by default, and the weights of its score.

Kept apart from summarise/grouping.py so that reading a setting does not load what
grouping needs (numpy, rapidfuzz) before the reader's first screen.
"""

from __future__ import annotations

from dataclasses import dataclass

# Picked with the weights below on half A of the ECB+ dev topics (precision first: the
# best F1 among settings at 0.95 precision or more there) and measured on half B, which
# it never saw: see docs/quality.md, "groups", and bench/quality/tune_groups.py.
DEFAULT_THRESHOLD: float = 26.0


@dataclass(frozen=True)
class Weights:
    """The tunable parts of the score. Defaults: see docs/quality.md, "Groups", for the
    ECB+ dev half they were picked on and the other half they were measured on."""

    # The direct similarity mixes the words of the whole text with the words of the names
    # it mentions (people, places, organisations), which tell events apart best.
    word_share: float = 0.7
    # The share of the direct similarity in the score; the rest is the neighbourhood's.
    direct_share: float = 0.5
    # Two clusters merge only if their average similarity reaches this share of the
    # threshold.
    link_ratio: float = 0.95
    # Articles citing years, but no year in common, are rarely about the same event.
    year_penalty: float = 0.3
    # Openings this alike (rapidfuzz ratio, 0-1) make the pair as similar as its openings.
    duplicate_ratio: float = 0.8


DEFAULT_WEIGHTS = Weights()
