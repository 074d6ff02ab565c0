"""Stories about the same event, whichever outlet wrote them.

Comparing every pair of articles does not scale, so a blocking index (rare headline and
lead words, shared names and word pairs from the lead, each with a cap on how many
articles it may list) proposes a bounded number of candidate pairs per article, and only
those are scored. A pair's score (0-100) mixes:

- its direct similarity: TF-IDF cosine of the words and of the names (people, places,
  organisations) both stories use; copies are recognised by comparing their openings
  with rapidfuzz, so a reworded headline or a cut ending does not hide them;
- the similarity of their neighbourhoods: stories about one event resemble the same
  third stories, while two events of one topic each resemble their own coverage;
- a discount when publication dates lie far apart or the years they cite differ.

Groups are the connected components of pairs at or above the threshold, except that two
clusters are only joined when they are similar on average, so one weak bridge cannot
chain them together.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from summarise.article import Analysis, Article, Group, PairScore
from summarise.entities import surface_key
from summarise.group_settings import DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, Weights
from summarise.text import FUNCTION_WORDS

# The headline and the lead say what a story is about; later paragraphs drift.
LEAD_CHARS = 600
# Only the opening of a long text is read: an event is told in its first paragraphs, and
# reading whole features would make grouping cost grow with their length.
PROFILE_CHARS = 2500
# Word pairs from this many opening words of the lead go into the index.
SHINGLE_WORDS = 40
# Words and shingles listing more articles than this say too little to propose a pair.
POSTING_CAP = 80
# Each article proposes partners through its rarest keys only, and keeps the partners
# sharing most of them; a story's true neighbours share many rare keys. These two caps
# bound the pairs scored per article, so the work grows linearly with the corpus.
KEYS_PER_ARTICLE = 30
CANDIDATES_PER_ARTICLE = 15
# One shared rare word is chance, not a story.
MIN_SHARED_KEYS = 2
# The average over two large clusters is estimated from at most this many pairs.
LINK_SAMPLE = 100
# The heaviest terms of a word vector carry almost all of its cosine with another story;
# keeping only these bounds the memory and the time of each comparison.
VECTOR_TERMS = 100

# Openings at least this alike (rapidfuzz ratio, 0-1) are checked as possible copies,
# once the words are this alike (cosine): cheaper than comparing every candidate's text.
DUPLICATE_CHECK = 0.1
# The score mixes the direct similarity with the similarity of the two articles'
# neighbourhoods, made of each article's closest CONTEXT_SIZE candidates.
CONTEXT_SIZE = 6
# Squared IDF: what only a few articles share counts for much more than what many share;
# a word in every article keeps only a small floor weight.
IDF_POWER = 2.0
IDF_FLOOR = 0.1
# Words in more than this share of the articles are left out of the vectors.
COMMON_SHARE = 0.5

# Stories about one event appear within days of each other; beyond SAME_EVENT_DAYS the
# score shrinks, by DATE_PENALTY at most, reached DATE_PENALTY_DAYS later.
SAME_EVENT_DAYS = 3
DATE_PENALTY = 0.5
DATE_PENALTY_DAYS = 30


_CAPITALISED = re.compile(
    r"[A-Z][\w'’\-]*(?:[ \t]+(?:(?:of|de|al|bin|van|von|the)[ \t]+)?[A-Z][\w'’\-]*)*"
)
# Plain runs of letters and digits: the cheapest tokens that tell stories apart.
_TOKEN = re.compile(r"\w+")
_SENTENCE_ENDS = frozenset('.!?:;"“”\n')

# Words every report uses whatever it is about, on top of the function words.
_REPORTING_WORD_TEXT = """
    said says say told tell according one two three new last first since still however
    may might must shall us mr mrs ms
"""
_REPORTING_WORDS = frozenset(_REPORTING_WORD_TEXT.split())
_STOP_WORDS = FUNCTION_WORDS | _REPORTING_WORDS

# spaCy labels by what they say about an event.
_NAME_LABELS = frozenset(
    ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"]
)


@dataclass(slots=True)
class _Profile:
    """What grouping needs to know about one article."""

    index: int
    key: str
    lead: str  # the opening of the text as lower-case words, for the fuzzy comparison
    lead_words: int
    # Term numbers and counts of the words and of the name words; dropped once the
    # vectors are built.
    words: tuple[np.ndarray, np.ndarray] | None
    name_words: tuple[np.ndarray, np.ndarray] | None
    # Hashes of the blocking keys (see _blocking_keys); dropped once the pairs are found.
    keys: np.ndarray | None
    names: dict[str, str]  # name key -> how the article writes it
    mentioned: dict[str, int]  # name key -> how often the article names it
    years: frozenset[str]
    published: date | None
    name_weights: dict[str, float] = field(default_factory=dict)
    context: dict[int, float] = field(default_factory=dict)


def _is_content(word: str) -> bool:
    return word not in _STOP_WORDS and (len(word) > 2 or word.isdigit())


def _content_words(text: str) -> list[str]:
    return [word for word in _TOKEN.findall(text.lower()) if _is_content(word)]


def _opens_sentence(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in " \t":
        position -= 1
    return position < 0 or text[position] in _SENTENCE_ENDS


def _name_words(key: str) -> list[str]:
    """The words of a name key (already lower case and trimmed) that identify it."""
    return [word for word in key.split() if _is_content(word)]


def _published(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published[:10]) if article.published else None
    except ValueError:
        return None


def _names_from_mentions(analysis: Analysis) -> tuple[dict[str, str], Counter[str], Counter[str]]:
    names: dict[str, str] = {}
    mentioned: Counter[str] = Counter()
    name_words: Counter[str] = Counter()
    for mention in analysis.mentions:
        if mention.label not in _NAME_LABELS:
            continue
        key = surface_key(mention.text)
        if key:
            names.setdefault(key, mention.text.strip())
            mentioned[key] += 1
            name_words.update(_name_words(key))
    return names, mentioned, name_words


@lru_cache(maxsize=200_000)
def _name_of(phrase: str) -> tuple[str, tuple[str, ...]]:
    """The key a capitalised phrase is merged under, and the words that identify it."""
    key = surface_key(phrase)
    return key, tuple(_name_words(key))


def _names_from_capitals(
    text: str, tokens: Sequence[str]
) -> tuple[dict[str, str], dict[str, int], dict[str, int]]:
    """Names found without a model: runs of capitalised words.

    A single capitalised word that opens a sentence is kept only if the text never
    writes it in lower case, which leaves out ordinary words that merely start a sentence.
    """
    names: dict[str, str] = {}
    mentioned: dict[str, int] = {}
    name_words: dict[str, int] = {}
    written: Set[str] | None = None
    for phrase, count in Counter(_CAPITALISED.findall(text)).items():
        if " " not in phrase:
            lowered = phrase.lower()
            if lowered in _STOP_WORDS:
                continue
            if written is None:
                written = set(tokens)
            if lowered in written and _opens_sentence(text, text.find(phrase)):
                continue
        key, parts = _name_of(phrase)
        if parts:
            names.setdefault(key, phrase)
            mentioned[key] = mentioned.get(key, 0) + count
            for part in parts:
                name_words[part] = name_words.get(part, 0) + count
    return names, mentioned, name_words


class _Terms:
    """Numbers for the distinct words of a corpus (or names), each given once."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, words: Iterable[str]) -> list[str]:
        """Give the words not seen before their numbers; returns those words."""
        # Sorted, so a word's number does not depend on the hash seed of the run.
        new = sorted(set(words).difference(self.numbers))
        start = len(self.numbers)
        self.numbers.update(zip(new, range(start, start + len(new)), strict=True))
        return new

    def counted(self, counts: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Term numbers and counts, as compact arrays."""
        self.number(counts)
        size = len(counts)
        numbers = np.fromiter(map(self.numbers.__getitem__, counts), np.int32, size)
        return numbers, np.fromiter(counts.values(), np.float32, size)


class _Words(_Terms):
    """Word numbers, and which words are content words: a corpus repeats its vocabulary,
    so each distinct word is judged once, when it is first numbered."""

    def __init__(self) -> None:
        super().__init__()
        self.content: set[str] = set()

    def number(self, words: Iterable[str]) -> list[str]:
        new = super().number(words)
        self.content.update([word for word in new if _is_content(word)])
        return new


def _years(words: Iterable[str]) -> frozenset[str]:
    """The years (1800-2099) among a text's words."""
    return frozenset(
        word for word in words if len(word) == 4 and word[:2] in _CENTURIES and word[2:].isdecimal()
    )


_CENTURIES = frozenset(["18", "19", "20"])


def _profile(
    index: int, article: Article, analysis: Analysis | None, terms: _Words, names_terms: _Terms
) -> _Profile:
    title = article.title.strip()
    body = article.body
    text = "\n".join(part for part in (title, article.standfirst, body) if part)
    text = text[:PROFILE_CHARS]
    # Copies of a story keep its opening paragraphs even under another headline.
    lead_tokens = _TOKEN.findall((article.standfirst + "\n" + body)[:LEAD_CHARS].lower())
    tokens = _TOKEN.findall(text)
    lowered = Counter(map(str.lower, tokens))
    terms.number(lowered)
    terms.number(lead_tokens)
    content = terms.content
    words = {word: n for word, n in lowered.items() if word in content}
    headline = _content_words(title)
    # The headline counts twice: it is the story's own summary.
    for word in headline:
        words[word] = words.get(word, 0) + 1
    if analysis is not None and analysis.entities_available and analysis.mentions:
        names, mentioned, name_words = _names_from_mentions(analysis)
    else:
        names, mentioned, name_words = _names_from_capitals(text, tokens)
    keys = _blocking_keys(lead_tokens, content, headline, names)
    return _Profile(
        index,
        article.key,
        " ".join(lead_tokens),
        len(lead_tokens),
        terms.counted(words),
        names_terms.counted(name_words),
        np.fromiter(keys, np.int64, len(keys)),
        names,
        mentioned,
        _years(lowered),
        _published(article),
    )


class _Sparse:
    """Unit vectors, one row per article, as sorted term ids and weights (compact, so a
    large corpus keeps them all in memory, and compared many pairs at a time)."""

    def __init__(self, bounds: np.ndarray, terms: np.ndarray, weights: np.ndarray) -> None:
        self.bounds = bounds  # row i is terms[bounds[i]:bounds[i + 1]]
        self.terms = terms
        self.weights = weights
        self.span = int(terms.max()) + 1 if len(terms) else 1

    def filled(self, rows: np.ndarray) -> np.ndarray:
        return self.bounds[rows + 1] > self.bounds[rows]

    def _entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the rows' entries, and the number (0..) of the row each is in."""
        starts, lengths = self.bounds[rows], self.bounds[rows + 1] - self.bounds[rows]
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return np.repeat(starts, lengths) + within, np.repeat(np.arange(len(rows)), lengths)

    def dots(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """The cosine of each pair of rows (first[i], second[i])."""
        result = np.zeros(len(first))
        for low in range(0, len(first), _PAIR_CHUNK):
            a, b = first[low : low + _PAIR_CHUNK], second[low : low + _PAIR_CHUNK]
            a_at, a_pair = self._entries(a)
            b_at, b_pair = self._entries(b)
            if not len(a_at) or not len(b_at):
                continue
            # Pair number and term in one code: each row's entries are in term order, so
            # both code arrays are sorted and a binary search matches them.
            a_code = a_pair * self.span + self.terms[a_at]
            b_code = b_pair * self.span + self.terms[b_at]
            found = np.minimum(np.searchsorted(b_code, a_code), len(b_code) - 1)
            hit = b_code[found] == a_code
            products = self.weights[a_at[hit]] * self.weights[b_at[found[hit]]]
            result[low : low + len(a)] = np.bincount(
                a_pair[hit], weights=products, minlength=len(a)
            )
        return result


# Pairs compared at once by _Sparse.dots: bounds the memory of the expanded entries.
_PAIR_CHUNK = 20_000


def _vectors(counts: Sequence[tuple[np.ndarray, np.ndarray]], span: int) -> _Sparse:
    """Unit TF-IDF vectors over term numbers below ``span``, each cut to its VECTOR_TERMS
    heaviest terms; worked out in chunks of articles, so memory stays bounded."""
    total = len(counts)
    df = np.zeros(span, dtype=np.int64)
    for low in range(0, total, _ARTICLE_CHUNK):
        chunk = [terms for terms, _ in counts[low : low + _ARTICLE_CHUNK]]
        if chunk:
            df += np.bincount(np.concatenate(chunk), minlength=span)
    # A word in most articles of the corpus says nothing about any of them.
    common = max(3.0, COMMON_SHARE * total)
    idf = (np.log((total + 1) / (df + 1)) + IDF_FLOOR) ** IDF_POWER
    idf[df > common] = 0.0
    del df
    owners, kept_terms, kept_weights = [], [], []
    for low in range(0, total, _ARTICLE_CHUNK):
        chunk = counts[low : low + _ARTICLE_CHUNK]
        sizes = np.fromiter((len(terms) for terms, _ in chunk), np.int64, len(chunk))
        if not sizes.sum():
            continue
        term = np.concatenate([terms for terms, _ in chunk]).astype(np.int64)
        tf = np.concatenate([tfs for _, tfs in chunk]).astype(np.float64)
        owner = np.repeat(np.arange(low, low + len(chunk)), sizes)
        weight = (1.0 + np.log(tf)) * idf[term]
        order = np.lexsort((-weight, owner))
        owner, term, weight = owner[order], term[order], weight[order]
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        rank = np.arange(len(term)) - np.repeat(starts, sizes)
        kept = (rank < VECTOR_TERMS) & (weight > 0.0)
        owner, term, weight = owner[kept], term[kept], weight[kept]
        norm = np.sqrt(np.bincount(owner - low, weights=weight * weight, minlength=len(chunk)))
        weight /= np.where(norm == 0.0, 1.0, norm)[owner - low]
        # Each row in term order, for _Sparse.dots.
        order = np.lexsort((term, owner))
        owners.append(owner[order])
        kept_terms.append(term[order])
        kept_weights.append(weight[order])
    if not owners:
        empty = np.zeros(0, dtype=np.int64)
        return _Sparse(np.zeros(total + 1, dtype=np.int64), empty, np.zeros(0))
    owner = np.concatenate(owners)
    bounds = np.searchsorted(owner, np.arange(total + 1))
    return _Sparse(bounds, np.concatenate(kept_terms), np.concatenate(kept_weights))


# Articles whose terms are weighed at once by _vectors.
_ARTICLE_CHUNK = 10_000


def _weigh(profiles: Sequence[_Profile], spans: tuple[int, int]) -> tuple[_Sparse, _Sparse]:
    """TF-IDF vectors of words and of name words, and IDF weights of names, over this corpus."""
    none = (np.zeros(0, np.int32), np.zeros(0, np.float32))
    word_vectors = _vectors([profile.words or none for profile in profiles], spans[0])
    name_vectors = _vectors([profile.name_words or none for profile in profiles], spans[1])
    name_df: Counter[str] = Counter()
    for profile in profiles:
        name_df.update(profile.names.keys())
    log_total = math.log(len(profiles) + 1)
    for profile in profiles:
        profile.words = profile.name_words = None
        # How much a name says about this article: often named here, rarely elsewhere.
        profile.name_weights = {
            key: profile.mentioned[key] * (log_total - math.log(name_df[key] + 1) + 1.0)
            for key in profile.names
        }
    return word_vectors, name_vectors


def _shared_names(first: _Profile, second: _Profile) -> list[str]:
    """Names both articles mention, the most telling first."""
    shared = first.names.keys() & second.names.keys()
    ordered = sorted(
        shared, key=lambda key: (-first.name_weights[key] - second.name_weights[key], key)
    )
    return [first.names[key] for key in ordered]


def _time_factor(first: _Profile, second: _Profile, weights: Weights) -> float:
    """1 when nothing says the stories are far apart in time, less when something does."""
    factor = 1.0
    if first.published and second.published:
        gap = abs((first.published - second.published).days)
        if gap > SAME_EVENT_DAYS:
            factor -= DATE_PENALTY * min(1.0, (gap - SAME_EVENT_DAYS) / DATE_PENALTY_DAYS)
    if first.years and second.years and not first.years & second.years:
        factor -= weights.year_penalty
    return max(0.0, factor)


def _direct(
    profiles: Sequence[_Profile],
    vectors: tuple[_Sparse, _Sparse],
    pairs: Sequence[tuple[int, int]],
    weights: Weights,
) -> list[float]:
    """How alike each pair of articles is on its own (0-1): words, names, copied text."""
    if not pairs:
        return []
    first = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
    second = np.fromiter((b for _, b in pairs), dtype=np.int64, count=len(pairs))
    word_vectors, name_vectors = vectors
    words = word_vectors.dots(first, second)
    names = name_vectors.dots(first, second)
    both_named = name_vectors.filled(first) & name_vectors.filled(second)
    mixed = weights.word_share * words + (1.0 - weights.word_share) * names
    similarity = np.where(both_named, mixed, words).tolist()
    cutoff = 100.0 * weights.duplicate_ratio
    for row in np.flatnonzero(words >= DUPLICATE_CHECK).tolist():
        a, b = profiles[pairs[row][0]], profiles[pairs[row][1]]
        if min(a.lead_words, b.lead_words) >= 20:
            # Copies of one story: a reworded headline and a cut ending leave the lead intact.
            copied = fuzz.ratio(a.lead, b.lead, score_cutoff=cutoff) / 100.0
            similarity[row] = max(similarity[row], copied)
    return [
        value * _time_factor(profiles[a], profiles[b], weights)
        for value, (a, b) in zip(similarity, pairs, strict=True)
    ]


def _context(first: _Profile, second: _Profile) -> float:
    """How much the two articles' closest neighbours overlap (0-1).

    Stories about one event resemble the same other stories; stories about two
    events of one topic each resemble their own event's coverage more. Only third
    articles count: the pair's own similarity is the direct part of the score.
    """
    if len(first.context) > len(second.context):
        first, second = second, first
    own = (first.index, second.index)
    return sum(
        value * second.context[other]
        for other, value in first.context.items()
        if other in second.context and other not in own
    )


def _mix(direct: float, context: float, weights: Weights) -> float:
    """The similarity of two articles from 0 to 100.

    The square root spreads the low end, where stories of one event and of one topic
    part, over a wider range of the scale the threshold is set on.
    """
    mixed = weights.direct_share * direct + (1.0 - weights.direct_share) * context
    return 100.0 * math.sqrt(max(0.0, min(1.0, mixed)))


def _blocking_keys(
    lead_tokens: Sequence[str], content: Set[str], headline: Iterable[str], names: Iterable[str]
) -> list[int]:
    """Headline and lead words, names, and word pairs of the lead: what same-event
    stories share first, and few enough to keep the index small. Once each, in the order
    of the text: ties between equally rare keys go to the key seen first in the corpus."""
    keys = itertools.chain(
        [word for word in lead_tokens if word in content],
        headline,
        [("n", key) for key in names],
        itertools.pairwise(lead_tokens[:SHINGLE_WORDS]),
    )
    return list(dict.fromkeys(map(hash, keys)))


def _candidate_pairs(profiles: Sequence[_Profile]) -> list[tuple[int, int]]:
    """Pairs sharing several rare words, names or lead shingles; never all pairs.

    Each article looks at most KEYS_PER_ARTICLE postings of at most POSTING_CAP articles
    and keeps CANDIDATES_PER_ARTICLE partners, so the pairs grow linearly with the corpus.
    """
    none = np.zeros(0, dtype=np.int64)
    hashes = [none if profile.keys is None else profile.keys for profile in profiles]
    sizes = np.fromiter(map(len, hashes), np.int64, len(hashes))
    if not sizes.sum():
        return []
    # Keys are numbered in the order the corpus first shows them (not by hash value, which
    # changes from one run to the next), so ties break the same way every time.
    _, first_seen, key = np.unique(np.concatenate(hashes), return_index=True, return_inverse=True)
    del hashes
    order_seen = np.empty(len(first_seen), dtype=np.int64)
    order_seen[np.argsort(first_seen)] = np.arange(len(first_seen))
    key = order_seen[key.reshape(-1)]
    del order_seen, first_seen
    owner = np.repeat(np.arange(len(profiles), dtype=np.int64), sizes)
    df = np.bincount(key)
    usable = (df[key] >= 2) & (df[key] <= POSTING_CAP)
    key, owner = key[usable], owner[usable]
    # The postings: the articles listing each key, in one array ordered by key.
    by_key = np.argsort(key, kind="stable")
    listed = owner[by_key]
    starts = np.searchsorted(key[by_key], np.arange(len(df) + 1))
    # Each article's rarest keys (ties by key id, which is the order keys were first seen).
    order = np.lexsort((key, df[key], owner))
    key, owner = key[order], owner[order]
    first = np.searchsorted(owner, owner)
    rarest = np.arange(len(key)) - first < KEYS_PER_ARTICLE
    key, owner = key[rarest], owner[rarest]
    pairs = [np.zeros(0, dtype=np.int64)]
    # Articles in batches keep the expanded postings small whatever the corpus size.
    bounds = np.searchsorted(owner, np.arange(0, len(profiles) + _BATCH, _BATCH))
    for low, high in itertools.pairwise(bounds.tolist()):
        pairs.append(_partners(key[low:high], owner[low:high], starts, listed, len(profiles)))
    codes = np.unique(np.concatenate(pairs))
    lows, highs = (codes // len(profiles)).tolist(), (codes % len(profiles)).tolist()
    return list(zip(lows, highs, strict=True))


# Articles whose postings are expanded at once in _candidate_pairs.
_BATCH = 5000


def _partners(
    key: np.ndarray, owner: np.ndarray, starts: np.ndarray, listed: np.ndarray, total: int
) -> np.ndarray:
    """For each owner, the partners sharing most of its keys, as codes low * total + high."""
    lengths = starts[key + 1] - starts[key]
    offsets = np.repeat(starts[key] - np.cumsum(lengths) + lengths, lengths)
    partner = listed[offsets + np.arange(int(lengths.sum()))]
    mine = np.repeat(owner, lengths)
    others = partner != mine
    codes, shared = np.unique(mine[others] * total + partner[others], return_counts=True)
    keep = shared >= MIN_SHARED_KEYS
    codes, shared = codes[keep], shared[keep]
    mine, partner = codes // total, codes % total
    order = np.lexsort((partner, -shared, mine))
    mine, partner = mine[order], partner[order]
    best = np.arange(len(mine)) - np.searchsorted(mine, mine) < CANDIDATES_PER_ARTICLE
    low = np.minimum(mine[best], partner[best])
    high = np.maximum(mine[best], partner[best])
    return low * total + high


def _set_contexts(profiles: Sequence[_Profile], direct: Mapping[tuple[int, int], float]) -> None:
    """Each article's closest neighbours (and itself), as a unit vector."""
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (first, second), value in direct.items():
        if value > 0.0:
            neighbours[first].append((value, second))
            neighbours[second].append((value, first))
    for profile in profiles:
        closest = heapq.nlargest(CONTEXT_SIZE, neighbours.get(profile.index, ()))
        row = {profile.index: 1.0, **{other: value for value, other in closest}}
        norm = math.sqrt(sum(value * value for value in row.values()))
        profile.context = {other: value / norm for other, value in row.items()}


class ScoredCorpus:
    """Articles profiled and their candidate pairs scored: group them at any threshold."""

    def __init__(
        self,
        articles: Sequence[Article],
        analyses: Mapping[str, Analysis],
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> None:
        self.weights = weights
        self.ids = [article.id for article in articles]
        terms, name_terms = _Words(), _Terms()
        self.profiles = [
            _profile(index, article, analyses.get(self.ids[index]), terms, name_terms)
            for index, article in enumerate(articles)
        ]
        spans = (len(terms.numbers), len(name_terms.numbers))
        del terms, name_terms
        self.vectors = _weigh(self.profiles, spans)
        candidates = _candidate_pairs(self.profiles)
        for profile in self.profiles:
            profile.keys = None
        self.direct = dict(
            zip(candidates, _direct(self.profiles, self.vectors, candidates, weights), strict=True)
        )
        _set_contexts(self.profiles, self.direct)
        self.scores: dict[tuple[int, int], float] = {}
        self.score_many(candidates)
        self.candidates = len(candidates)

    @property
    def candidate_pairs(self) -> list[tuple[str, str]]:
        """The article keys of the pairs the blocking index proposed."""
        return [(self.profiles[a].key, self.profiles[b].key) for a, b in self.direct]

    @property
    def scored_pairs(self) -> int:
        """How many pairs were scored so far: the candidates and those sampled by merges."""
        return len(self.scores)

    def score_many(self, pairs: Iterable[tuple[int, int]]) -> list[float]:
        """The scores of these pairs of article positions, each computed once."""
        ordered = [(a, b) if a < b else (b, a) for a, b in pairs]
        scores = self.scores
        missing = [pair for pair in dict.fromkeys(ordered) if pair not in scores]
        unscored = [pair for pair in missing if pair not in self.direct]
        measured = _direct(self.profiles, self.vectors, unscored, self.weights)
        direct = dict(zip(unscored, measured, strict=True))
        direct.update((pair, self.direct[pair]) for pair in missing if pair in self.direct)
        for pair in missing:
            a, b = self.profiles[pair[0]], self.profiles[pair[1]]
            context = _context(a, b) * _time_factor(a, b, self.weights)
            scores[pair] = _mix(direct[pair], context, self.weights)
        return [scores[pair] for pair in ordered]

    def groups(self, threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
        """Every article in exactly one group (singletons too), groups in corpus order."""
        profiles = self.profiles
        edges = sorted(
            ((score, pair) for pair, score in self.scores.items() if score >= threshold),
            key=lambda edge: (-edge[0], edge[1]),
        )
        clusters = _Clusters(len(profiles), self.score_many)
        link_threshold = threshold * self.weights.link_ratio
        for _score_value, (first, second) in edges:
            clusters.merge(first, second, link_threshold)

        by_root: dict[int, list[int]] = defaultdict(list)
        for index in range(len(profiles)):
            by_root[clusters.find(index)].append(index)
        group_pairs: dict[int, list[PairScore]] = defaultdict(list)
        for score, (first, second) in edges:
            root = clusters.find(first)
            if root == clusters.find(second) and len(group_pairs[root]) < 3 * len(by_root[root]):
                a, b = profiles[first], profiles[second]
                names = tuple(_shared_names(a, b))
                group_pairs[root].append(PairScore(a.key, b.key, round(score, 1), names))
        groups = []
        for root, indices in sorted(by_root.items(), key=lambda item: item[1][0]):
            groups.append(
                Group(
                    id=_group_id(self.ids[i] for i in indices),
                    members=tuple(profiles[i].key for i in indices),
                    pairs=tuple(group_pairs.get(root, ())),
                    shared_entities=_shared_entities([profiles[i] for i in indices])
                    if len(indices) > 1
                    else (),
                )
            )
        return groups


class _Clusters:
    """Union-find that refuses merges whose average link is too weak."""

    def __init__(
        self, size: int, score_many: Callable[[list[tuple[int, int]]], list[float]]
    ) -> None:
        self.score_many = score_many
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {i: [i] for i in range(size)}

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def average_link(self, first_root: int, second_root: int) -> float:
        cross = [(a, b) for a in self.members[first_root] for b in self.members[second_root]]
        if len(cross) > LINK_SAMPLE:
            step = len(cross) / LINK_SAMPLE
            cross = [cross[int(i * step)] for i in range(LINK_SAMPLE)]
        return sum(self.score_many(cross)) / len(cross)

    def merge(self, first: int, second: int, link_threshold: float) -> bool:
        first_root, second_root = self.find(first), self.find(second)
        if first_root == second_root:
            return False
        both_single = len(self.members[first_root]) == len(self.members[second_root]) == 1
        if not both_single and self.average_link(first_root, second_root) < link_threshold:
            return False
        if len(self.members[first_root]) < len(self.members[second_root]):
            first_root, second_root = second_root, first_root
        self.parent[second_root] = first_root
        self.members[first_root].extend(self.members.pop(second_root))
        return True


def _group_id(member_ids: Iterable[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(member_ids)).encode("utf-8"))
    return digest.hexdigest()[:12]


def _shared_entities(members: Sequence[_Profile]) -> tuple[str, ...]:
    """Names in at least two members and at least half of them, most widely shared first."""
    counts: Counter[str] = Counter()
    weight: Counter[str] = Counter()
    written: dict[str, str] = {}
    for profile in members:
        counts.update(profile.names.keys())
        weight.update(profile.name_weights)
        for key, text in profile.names.items():
            written.setdefault(key, text)
    needed = max(2, math.ceil(len(members) / 2))
    keys = [key for key, n in counts.items() if n >= needed]
    keys.sort(key=lambda key: (-counts[key], -weight[key], key))
    return tuple(written[key] for key in keys)


def group_articles(
    articles: Sequence[Article],
    analyses: Mapping[str, Analysis],
    threshold: float = DEFAULT_THRESHOLD,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Group]:
    """Every article in exactly one group (singletons too), groups in corpus order.

    ``analyses`` are looked up by ``Article.id``; an article without one, or with an
    analysis that has no entities, is compared by its capitalised names instead.
    """
    return ScoredCorpus(articles, analyses, weights).groups(threshold)
