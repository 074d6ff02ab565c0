"""The default news summariser: centrality with a lead prior and redundancy removal.

A sentence scores high when it shares much with the rest of the story (degree
centrality over shared content words, which favours full, informative sentences)
and when it comes early, as news is written top down (a prior decaying with the
sentence's position, as in position-aware centrality, PacSum, Zheng & Lapata 2019).
The prior counts most when the summary keeps a small share of the story, and fades
as that share grows, leaving room for central sentences further down.
Sentences that make poor summary lines (very short ones, questions, and in a short
summary pieces of a quote or lines opening with "it" or "they" whose referent is
left out) are passed over, and a sentence repeating one already chosen is skipped.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarise.article import Analysis
from summarise.text import cosine, stem, stemmer, stop_words, words


@dataclass(frozen=True)
class NewsRankSettings:
    """One setting for all news; chosen on one half of the development data."""

    position_weight: float = 1.6  # the lead prior, against centrality scaled to 0..1
    position_decay: float = 0.35  # per sentence
    # The prior is at full strength while the summary keeps at most this share of the
    # story's sentences and fades to nothing at ``lead_share_off``.
    lead_share_full: float = 0.15
    lead_share_off: float = 0.30
    # Shared words are divided by (length x length) ** this: below 0.5 a long sentence
    # that shares much with the story outranks a short one sharing the same proportion.
    length_exponent: float = 0.4
    redundancy: float = 0.6  # cosine above which a candidate repeats a chosen sentence
    min_words: int = 6


SETTINGS = NewsRankSettings()


def prepare() -> None:
    """Load the stemmer and stop words now: their import takes most of a second."""
    stop_words()
    stemmer()


def content_terms(text: str) -> list[str]:
    """Stemmed content words of ``text``, stop words left out."""
    stops = stop_words()
    lowered = (word.lower() for word in words(text))
    return [stem(word) for word in lowered if word not in stops]


def _bags(texts: Sequence[str]) -> list[Counter[str]]:
    return [Counter(content_terms(text)) for text in texts]


def _vectors(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
    document_frequency: Counter[str] = Counter()
    for bag in bags:
        document_frequency.update(bag.keys())
    total = len(bags)
    vectors = []
    for bag in bags:
        vector = {
            term: (1 + math.log(count)) * math.log((1 + total) / (1 + document_frequency[term]) + 1)
            for term, count in bag.items()
        }
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        vectors.append({term: value / norm for term, value in vector.items()})
    return vectors


def _is_candidate(
    text: str, words: int, settings: NewsRankSettings, in_context: bool = False
) -> bool:
    if words < settings.min_words:
        return False
    stripped = text.strip()
    if stripped.endswith("?"):
        return False
    opening = stripped.lstrip("\"'“‘(")
    if opening[:1].islower():
        return False
    if in_context:
        return True
    return not is_quote_piece(stripped)


# Words that, opening a sentence, point back to something the sentence before named.
_BACK_REFERENCES = frozenset(
    {"it", "its", "he", "his", "him", "she", "her", "they", "their", "them", "this", "these"}
    | {"those", "such"}
)


def leans_on_previous(text: str) -> bool:
    """Whether ``text`` opens with a word pointing back ("It said...", "They were...")."""
    opening = text.strip().lstrip("\"'“‘(").split(maxsplit=1)
    return bool(opening) and opening[0].rstrip(",.;:'’").lower() in _BACK_REFERENCES


def is_quote_piece(text: str) -> bool:
    """Whether ``text`` opens or closes a quote it does not finish: part of a longer quote."""
    return text.count('"') % 2 == 1 or text.count("“") != text.count("”")


def _overlap(first: Counter[str], second: Counter[str], settings: NewsRankSettings) -> float:
    """Shared words weighted by how often each occurs, damped by the sentences' lengths.

    Unlike the cosine this grows with the length of the sentences, so long sentences
    that share much with the rest of the story rank high.
    """
    if len(first) > len(second):
        first, second = second, first
    shared = sum(count * second[term] for term, count in first.items() if term in second)
    if not shared:
        return 0.0
    lengths = sum(first.values()) * sum(second.values())
    return shared / lengths**settings.length_exponent


def lead_prior_strength(count: int, total: int, settings: NewsRankSettings = SETTINGS) -> float:
    """How much the top-of-story prior counts when ``count`` of ``total`` sentences are kept.

    A short summary of a long story can only keep what the writer put first (news is
    written top down); a summary keeping a large share of the story has room for the
    central sentences wherever they stand, so the prior fades as the share grows.
    """
    if total <= 0 or count <= 0:
        return settings.position_weight
    share = count / total
    full, off = settings.lead_share_full, settings.lead_share_off
    fade = min(1.0, max(0.0, (off - share) / (off - full)))
    return settings.position_weight * fade


def sentence_scores(
    title: str,
    texts: Sequence[str],
    settings: NewsRankSettings = SETTINGS,
    count: int = 0,
) -> list[float]:
    """The relevance of each sentence before redundancy is taken into account.

    Centrality (how much a sentence shares with the rest of the story) scaled to 0..1,
    plus a prior for sentences near the top, where news puts what matters most; the
    prior weakens as the summary's share of the story (``count`` sentences) grows.
    ``title`` is accepted for summarisers that use it; this one does not, since the
    story's own sentences say more about its centre than a headline does.
    """
    return _scores(_bags(texts), settings, count)


def _scores(bags: Sequence[Counter[str]], settings: NewsRankSettings, count: int) -> list[float]:
    total = len(bags)
    degree = [0.0] * total
    for i in range(total):
        for j in range(i + 1, total):
            value = _overlap(bags[i], bags[j], settings)
            degree[i] += value
            degree[j] += value
    centrality = _rescaled(degree)
    weight = lead_prior_strength(count, total, settings)
    return [centrality[i] + weight * math.exp(-settings.position_decay * i) for i in range(total)]


def _rescaled(values: list[float]) -> list[float]:
    """``values`` divided by their maximum (all zero when there is nothing shared)."""
    high = max(values, default=0.0)
    if high <= 0:
        return [0.0] * len(values)
    return [value / high for value in values]


def news_summary(
    title: str,
    texts: Sequence[str],
    analysis: Analysis,
    count: int,
    settings: NewsRankSettings = SETTINGS,
) -> list[int]:
    """Indices of the ``count`` best sentences, in article order."""
    total = len(texts)
    if count <= 0 or total == 0:
        return []
    if count >= total:
        return list(range(total))
    # Both the scores and the redundancy check read the same bags of words.
    bags = _bags(texts)
    scores = _scores(bags, settings, count)
    vectors = _vectors(bags)
    word_counts = [len(words(text)) for text in texts]
    # A piece of a quote, or a sentence saying "it" or "they", read alone loses its
    # context; a summary keeping a large share of the story keeps what is around it.
    in_context = count / total >= settings.lead_share_off
    candidates = [
        i for i in range(total) if _is_candidate(texts[i], word_counts[i], settings, in_context)
    ]
    ranked = sorted(candidates, key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    seen_texts: set[str] = set()
    for index in ranked:
        if len(chosen) == count:
            break
        key = " ".join(texts[index].split())
        if key in seen_texts:
            continue
        if any(cosine(vectors[index], vectors[other]) > settings.redundancy for other in chosen):
            continue
        if not in_context and index - 1 not in chosen and leans_on_previous(texts[index]):
            continue
        chosen.append(index)
        seen_texts.add(key)
    # Filters and redundancy may leave too few: fill up with the best of the rest.
    for index in sorted(range(total), key=lambda i: (-scores[i], i)):
        if len(chosen) == count:
            break
        if index not in chosen:
            chosen.append(index)
    return sorted(chosen)
