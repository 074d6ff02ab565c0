"""The default news summariser: position-aware centrality with redundancy removal.

A sentence scores high when the sentences after it say similar things (it introduces
what the story goes on about) and when it comes early, as news is written top down.
This is directed centrality in the manner of PacSum (Zheng & Lapata, 2019) on TF-IDF
vectors, with a position prior, a title-overlap signal and a few sanity filters for
sentences that make poor summary lines (very short ones, questions, quote fragments).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from summarise.article import Analysis


@dataclass(frozen=True)
class NewsRankSettings:
    """One setting for all news; see bench/quality for how it was chosen."""

    forward_weight: float = 1.0  # similarity to later sentences
    backward_weight: float = -0.5  # similarity to earlier sentences
    edge_threshold: float = 0.3  # share of the (min, max) similarity range treated as noise
    position_weight: float = 1.0
    position_decay: float = 0.35
    title_weight: float = 0.5
    degree_weight: float = 0.0  # undirected centrality: similarity to all other sentences
    length_weight: float = 0.0
    length_cap: int = 40  # words beyond this add nothing
    redundancy: float = 0.6  # cosine above which a candidate repeats a chosen sentence
    min_words: int = 6


SETTINGS = NewsRankSettings()

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words("english"))


@lru_cache(maxsize=1)
def _stem_function():  # type: ignore[no-untyped-def]
    from sumy.nlp.stemmers import Stemmer

    return Stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stem_function()(word)


def content_terms(text: str) -> list[str]:
    """Stemmed content words of ``text`` (stop words and one-letter words left out)."""
    stops = _stop_words()
    terms = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if len(word) < 2 or word in stops:
            continue
        terms.append(_stem(word))
    return terms


def _vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    bags = [Counter(content_terms(text)) for text in texts]
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


def _cosine(first: dict[str, float], second: dict[str, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(value * second.get(term, 0.0) for term, value in first.items())


def _is_candidate(text: str, words: int, settings: NewsRankSettings) -> bool:
    if words < settings.min_words:
        return False
    stripped = text.strip()
    if stripped.endswith("?"):
        return False
    opening = stripped.lstrip("\"'“‘(")
    if opening[:1].islower():
        return False
    # An unbalanced quotation mark means the sentence is a piece of a longer quote.
    straight_quotes = stripped.count('"')
    return straight_quotes % 2 == 0 and stripped.count("“") == stripped.count("”")


def _overlap(first: Counter[str], second: Counter[str]) -> float:
    """Shared words weighted by how often each occurs, damped by sentence lengths.

    Unlike the cosine this grows with the length of the sentences, so long sentences
    that share much with the rest of the story rank high.
    """
    if len(first) > len(second):
        first, second = second, first
    shared = sum(count * second[term] for term, count in first.items() if term in second)
    if not shared:
        return 0.0
    norm = math.log(sum(first.values()) + 1) + math.log(sum(second.values()) + 1)
    return shared / norm


def sentence_scores(
    title: str, texts: Sequence[str], settings: NewsRankSettings = SETTINGS
) -> list[float]:
    """The relevance of each sentence before redundancy is taken into account."""
    count = len(texts)
    bags = [Counter(content_terms(text)) for text in texts]
    similarity = [[0.0] * count for _ in range(count)]
    values = []
    for i in range(count):
        for j in range(i + 1, count):
            value = _overlap(bags[i], bags[j])
            similarity[i][j] = similarity[j][i] = value
            values.append(value)
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    cut = low + settings.edge_threshold * (high - low)
    centrality = []
    for i in range(count):
        forward = sum(max(similarity[i][j] - cut, 0.0) for j in range(i + 1, count))
        backward = sum(max(similarity[i][j] - cut, 0.0) for j in range(i))
        centrality.append(settings.forward_weight * forward + settings.backward_weight * backward)
    centrality = _rescaled(centrality)
    degree = _rescaled([sum(row) for row in similarity])
    title_terms = set(content_terms(title))
    scores = []
    for i in range(count):
        position = math.exp(-settings.position_decay * i)
        overlap = len(set(bags[i]) & title_terms) / len(title_terms) if title_terms else 0.0
        length = min(len(_WORD.findall(texts[i])), settings.length_cap) / settings.length_cap
        scores.append(
            centrality[i]
            + settings.degree_weight * degree[i]
            + settings.position_weight * position
            + settings.title_weight * overlap
            + settings.length_weight * length
        )
    return scores


def _rescaled(values: list[float]) -> list[float]:
    """``values`` mapped onto 0..1 (all zero when they are all equal)."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high <= low:
        return [0.0] * len(values)
    return [(value - low) / (high - low) for value in values]


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
    scores = sentence_scores(title, texts, settings)
    vectors = _vectors(texts)
    word_counts = [len(_WORD.findall(text)) for text in texts]
    candidates = [i for i in range(total) if _is_candidate(texts[i], word_counts[i], settings)]
    ranked = sorted(candidates, key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    seen_texts: set[str] = set()
    for index in ranked:
        if len(chosen) == count:
            break
        key = " ".join(texts[index].split())
        if key in seen_texts:
            continue
        if any(_cosine(vectors[index], vectors[other]) > settings.redundancy for other in chosen):
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
