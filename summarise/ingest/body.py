"""Where the story is: the densest run of prose in the page, near the line that repeats
the page's own title."""

from __future__ import annotations

from summarise.ingest.furniture import is_caption_or_credit
from summarise.ingest.lines import Line, tokens


def _prose_weight(line: Line) -> float:
    if line.is_prose:
        size = line.words if line.words else line.chars / 6
        return 1.0 + min(size, 80) / 20
    if line.is_short_prose:
        return 0.3
    return -1.0


def block_weights(lines: list[Line], repeats: set[int]) -> list[float]:
    """How much each block speaks for being part of the story. A long run of non-prose
    (a footer, a list of links) costs more with every block, so the body does not stretch
    across it to reach prose further down the page."""
    weights: list[float] = []
    gap = 0
    for index, line in enumerate(lines):
        if index in repeats:
            weight = -1.5
        elif is_caption_or_credit(line):
            weight = -0.5
        else:
            weight = _prose_weight(line)
        if weight < 0:
            gap += 1
            weight -= min(gap - 1, 3) * _GAP_GROWTH
        else:
            gap = 0
        weights.append(weight)
    return weights


_GAP_GROWTH = 0.25


def _densest_run(
    weights: list[float], first: int = 0, last: int | None = None
) -> tuple[int, int, float]:
    """(start, end, total) of the run with the largest total weight (end exclusive) among
    runs starting between ``first`` and ``last``."""
    last = len(weights) if last is None else last
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, first
    for index in range(first, len(weights)):
        weight = weights[index]
        if total <= 0:
            if index >= last:
                break
            total, start = 0.0, index
        total += weight
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span[0], best_span[1], best


def headline_anchor(lines: list[Line]) -> int:
    """The line repeating the page's own title (a copied page starts with the browser
    title, "Headline | Site"); the story follows it. -1 when there is none."""
    if len(lines) < 3:
        return -1
    first = tokens(lines[0].text)
    if len(first) < 2:
        return -1
    best, best_score = -1, 0.6
    for index in range(1, len(lines)):
        words = tokens(lines[index].text)
        if len(words) < 2 or len(words) > 40:
            continue
        score = len(first & words) / len(words) * min(1.0, len(words) / max(1, len(first) - 4))
        if score >= best_score:
            best, best_score = index, score
    return best


def body_region(lines: list[Line], weights: list[float]) -> tuple[int, int]:
    start, end, total = _densest_run(weights)
    anchor = headline_anchor(lines)
    if anchor >= 0 and not start <= anchor < end:
        near_start, near_end, near_total = _densest_run(weights, anchor + 1, anchor + 16)
        if near_total >= max(3.0, 0.25 * total):
            return near_start, near_end
    return start, end
