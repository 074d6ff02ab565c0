"""Stories about the same event, whichever outlet wrote them.

Comparing every pair of articles does not scale, so a blocking index (rare headline and
lead words, shared names and word pairs from the lead, each with a cap on how many
articles it may list) proposes candidate pairs. A pair's score (0-100) mixes:

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from summarise.article import Analysis, Article, Group, PairScore
from summarise.entities import surface_key
from summarise.text import FUNCTION_WORDS, cosine
from summarise.text import words as word_tokens

# On ECB+ dev, 30 gave the best F1 on each half of the topics grouped alone, but the
# whole set grouped at once merged more near-twin events there; 32 keeps precision
# near 0.93 on both halves for a small loss of recall.
DEFAULT_THRESHOLD: float = 32.0

# The headline and the lead say what a story is about; later paragraphs drift.
LEAD_CHARS = 600
# Word pairs from this many opening words of the lead go into the index.
SHINGLE_WORDS = 40
# Words and shingles listing more articles than this say too little to propose a pair.
POSTING_CAP = 80
# Each article proposes partners through its rarest keys only, and keeps the partners
# sharing most of them; a story's true neighbours share many rare keys.
KEYS_PER_ARTICLE = 30
CANDIDATES_PER_ARTICLE = 15
# One shared rare word is chance, not a story.
MIN_SHARED_KEYS = 2
# Two clusters merge only if their average similarity reaches this share of the threshold.
LINK_RATIO = 0.95
# The average over two large clusters is estimated from at most this many pairs.
LINK_SAMPLE = 100

# The direct similarity mixes the weighted words of the whole text with the words of the
# names it mentions (people, places, organisations), which tell events apart best.
WORD_SHARE = 0.5
# Above this direct similarity the openings are compared as text to recognise copies;
# openings this alike (rapidfuzz ratio, 0-1) make the pair as similar as its openings.
DUPLICATE_CHECK = 0.1
DUPLICATE_RATIO = 0.8
# The score mixes the direct similarity with the similarity of the two articles'
# neighbourhoods, made of each article's closest CONTEXT_SIZE candidates.
DIRECT_SHARE = 0.7
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
# Articles citing years, but no year in common, are rarely about the same event.
YEAR_PENALTY = 0.3

_CAPITALISED = re.compile(
    r"[A-Z][\w'’\-]*(?:[ \t]+(?:(?:of|de|al|bin|van|von|the)[ \t]+)?[A-Z][\w'’\-]*)*"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
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


@dataclass
class _Profile:
    """What grouping needs to know about one article."""

    index: int
    key: str
    lead: str  # the opening of the text as lower-case words, for the fuzzy comparison
    lead_words: int
    headline: frozenset[str]  # the content words of the title
    words: Counter[str]
    name_words: Counter[str]  # words of the names of people, places, organisations...
    names: dict[str, str]  # name key -> how the article writes it
    mentioned: Counter[str]  # name key -> how often the article names it
    years: frozenset[str]
    published: date | None
    word_vector: dict[str, float] = field(default_factory=dict)
    name_vector: dict[str, float] = field(default_factory=dict)
    name_weights: dict[str, float] = field(default_factory=dict)
    context: dict[int, float] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    return [word.lower() for word in word_tokens(text)]


def _is_content(word: str) -> bool:
    return word not in _STOP_WORDS and (len(word) > 2 or word.isdigit())


def _content_words(text: str) -> list[str]:
    return [word for word in _words(text) if _is_content(word)]


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


def _names_from_capitals(
    text: str, tokens: set[str]
) -> tuple[dict[str, str], Counter[str], Counter[str]]:
    """Names found without a model: runs of capitalised words.

    A single capitalised word that opens a sentence is kept only if the text never
    writes it in lower case, which leaves out ordinary words that merely start a sentence.
    """
    names: dict[str, str] = {}
    mentioned: Counter[str] = Counter()
    found: list[str] = []
    words_of: dict[str, list[str]] = {}
    key_of: dict[str, str] = {}
    for match in _CAPITALISED.finditer(text):
        phrase = match.group(0)
        if " " not in phrase:
            lowered = phrase.lower()
            if lowered in _STOP_WORDS:
                continue
            if lowered in tokens and _opens_sentence(text, match.start()):
                continue
        if phrase not in words_of:
            key_of[phrase] = surface_key(phrase)
            words_of[phrase] = _name_words(key_of[phrase])
        if words_of[phrase]:
            names.setdefault(key_of[phrase], phrase)
            mentioned[key_of[phrase]] += 1
            found.extend(words_of[phrase])
    return names, mentioned, Counter(found)


def _profile(index: int, article: Article, analysis: Analysis | None) -> _Profile:
    title = article.title.strip()
    body = article.body
    text = "\n".join(part for part in (title, article.standfirst, body) if part)
    # Copies of a story keep its opening paragraphs even under another headline.
    lead = " ".join(_words((article.standfirst + "\n" + body)[:LEAD_CHARS]))
    tokens = word_tokens(text)
    counted = Counter(map(str.lower, tokens))
    words = Counter({word: n for word, n in counted.items() if _is_content(word)})
    # The headline counts twice: it is the story's own summary.
    words.update(_content_words(title))
    if analysis is not None and analysis.entities_available and analysis.mentions:
        names, mentioned, name_words = _names_from_mentions(analysis)
    else:
        names, mentioned, name_words = _names_from_capitals(text, set(tokens))
    years = frozenset(_YEAR.findall(text))
    return _Profile(
        index,
        article.key,
        lead,
        len(lead.split()),
        frozenset(_content_words(title)),
        words,
        name_words,
        names,
        mentioned,
        years,
        _published(article),
    )


def _tf_idf(counts: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    vector = {word: (1.0 + math.log(n)) * idf[word] for word, n in counts.items() if word in idf}
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {word: value / norm for word, value in vector.items()}


def _idf(df: Counter[str], total: int) -> dict[str, float]:
    # A word in most articles of the corpus says nothing about any of them.
    common = max(3.0, COMMON_SHARE * total)
    return {
        word: (math.log((total + 1) / (n + 1)) + IDF_FLOOR) ** IDF_POWER
        for word, n in df.items()
        if n <= common
    }


def _weigh(profiles: Sequence[_Profile]) -> None:
    """TF-IDF vectors of words and of name words, and IDF weights of names, over this corpus."""
    total = len(profiles)
    word_df: Counter[str] = Counter()
    name_word_df: Counter[str] = Counter()
    name_df: Counter[str] = Counter()
    for profile in profiles:
        word_df.update(profile.words.keys())
        name_word_df.update(profile.name_words.keys())
        name_df.update(profile.names.keys())
    word_idf = _idf(word_df, total)
    name_word_idf = _idf(name_word_df, total)
    for profile in profiles:
        profile.word_vector = _tf_idf(profile.words, word_idf)
        profile.name_vector = _tf_idf(profile.name_words, name_word_idf)
        # How much a name says about this article: often named here, rarely elsewhere.
        profile.name_weights = {
            key: profile.mentioned[key] * (math.log((total + 1) / (name_df[key] + 1)) + 1.0)
            for key in profile.names
        }


def _shared_names(first: _Profile, second: _Profile) -> list[str]:
    """Names both articles mention, the most telling first."""
    shared = first.names.keys() & second.names.keys()
    ordered = sorted(
        shared, key=lambda key: (-first.name_weights[key] - second.name_weights[key], key)
    )
    return [first.names[key] for key in ordered]


def _time_factor(first: _Profile, second: _Profile) -> float:
    """1 when nothing says the stories are far apart in time, less when something does."""
    factor = 1.0
    if first.published and second.published:
        gap = abs((first.published - second.published).days)
        if gap > SAME_EVENT_DAYS:
            factor -= DATE_PENALTY * min(1.0, (gap - SAME_EVENT_DAYS) / DATE_PENALTY_DAYS)
    if first.years and second.years and not first.years & second.years:
        factor -= YEAR_PENALTY
    return max(0.0, factor)


def _direct(first: _Profile, second: _Profile) -> float:
    """How alike two articles are on their own (0-1): words, names, near-duplicate text."""
    words = cosine(first.word_vector, second.word_vector)
    if first.name_vector and second.name_vector:
        similarity = WORD_SHARE * words + (1.0 - WORD_SHARE) * cosine(
            first.name_vector, second.name_vector
        )
    else:
        similarity = words
    if words >= DUPLICATE_CHECK and min(first.lead_words, second.lead_words) >= 20:
        # Copies of one story: a reworded headline and a cut ending leave the lead intact.
        copied = fuzz.ratio(first.lead, second.lead) / 100.0
        if copied >= DUPLICATE_RATIO:
            similarity = max(similarity, copied)
    return similarity * _time_factor(first, second)


def _context(first: _Profile, second: _Profile) -> float:
    """How much the two articles' closest neighbours overlap (0-1).

    Stories about one event resemble the same other stories; stories about two
    events of one topic each resemble their own event's coverage more. Only third
    articles count: the pair's own similarity is the direct part of the score.
    """
    if len(first.context) > len(second.context):
        first, second = second, first
    return sum(
        value * second.context.get(other, 0.0)
        for other, value in first.context.items()
        if other not in (first.index, second.index)
    )


def _score(first: _Profile, second: _Profile) -> float:
    """The similarity of two articles from 0 to 100.

    The square root spreads the low end, where stories of one event and of one topic
    part, over a wider range of the scale the threshold is set on.
    """
    direct = _direct(first, second)
    context = _context(first, second) * _time_factor(first, second)
    mixed = DIRECT_SHARE * direct + (1.0 - DIRECT_SHARE) * context
    return 100.0 * math.sqrt(max(0.0, min(1.0, mixed)))


def _blocking_keys(profile: _Profile) -> set[str]:
    """Headline and lead words, names, and word pairs of the lead: what same-event
    stories share first, and few enough to keep the index small."""
    lead_words = profile.lead.split()
    keys = {word for word in lead_words if _is_content(word)}
    keys.update(profile.headline)
    keys.update("n:" + key for key in profile.names)
    keys.update(f"s:{a} {b}" for a, b in itertools.pairwise(lead_words[:SHINGLE_WORDS]))
    return keys


def _candidate_pairs(profiles: Sequence[_Profile]) -> set[tuple[int, int]]:
    """Pairs sharing several rare words, names or lead shingles; never all pairs."""
    keys_of = [_blocking_keys(profile) for profile in profiles]
    df: Counter[str] = Counter()
    for keys in keys_of:
        df.update(keys)
    postings: dict[str, list[int]] = defaultdict(list)
    usable_of: list[list[str]] = []
    for index, keys in enumerate(keys_of):
        usable = [key for key in keys if 2 <= df[key] <= POSTING_CAP]
        for key in usable:
            postings[key].append(index)
        usable_of.append(heapq.nsmallest(KEYS_PER_ARTICLE, usable, key=lambda k: (df[k], k)))
    pairs: set[tuple[int, int]] = set()
    for index, usable in enumerate(usable_of):
        shared: Counter[int] = Counter()
        for key in usable:
            shared.update(postings[key])
        del shared[index]
        for other, count in shared.most_common(CANDIDATES_PER_ARTICLE):
            if count < MIN_SHARED_KEYS:
                break
            pairs.add((index, other) if index < other else (other, index))
    return pairs


def _set_contexts(profiles: Sequence[_Profile], direct: Mapping[tuple[int, int], float]) -> None:
    """Each article's closest neighbours (and itself), as a unit vector."""
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (first, second), value in direct.items():
        if value > 0.0:
            neighbours[first].append((value, second))
            neighbours[second].append((value, first))
    for profile in profiles:
        closest = sorted(neighbours[profile.index], reverse=True)[:CONTEXT_SIZE]
        row = {profile.index: 1.0, **{other: value for value, other in closest}}
        norm = math.sqrt(sum(value * value for value in row.values()))
        profile.context = {other: value / norm for other, value in row.items()}


class _Clusters:
    """Union-find that refuses merges whose average link is too weak."""

    def __init__(self, profiles: Sequence[_Profile], scored: dict[tuple[int, int], float]) -> None:
        self.profiles = profiles
        self.scored = scored
        self.parent = list(range(len(profiles)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def _pair_score(self, first: int, second: int) -> float:
        pair = (first, second) if first < second else (second, first)
        if pair not in self.scored:
            self.scored[pair] = _score(self.profiles[pair[0]], self.profiles[pair[1]])
        return self.scored[pair]

    def average_link(self, first_root: int, second_root: int) -> float:
        cross = [(a, b) for a in self.members[first_root] for b in self.members[second_root]]
        if len(cross) > LINK_SAMPLE:
            step = len(cross) / LINK_SAMPLE
            cross = [cross[int(i * step)] for i in range(LINK_SAMPLE)]
        return sum(self._pair_score(a, b) for a, b in cross) / len(cross)

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
) -> list[Group]:
    """Every article in exactly one group (singletons too), groups in corpus order.

    ``analyses`` are looked up by ``Article.id``; an article without one, or with an
    analysis that has no entities, is compared by its capitalised names instead.
    """
    ids = [article.id for article in articles]
    profiles = [
        _profile(index, article, analyses.get(ids[index])) for index, article in enumerate(articles)
    ]
    _weigh(profiles)
    candidates = _candidate_pairs(profiles)
    direct = {pair: _direct(profiles[pair[0]], profiles[pair[1]]) for pair in candidates}
    _set_contexts(profiles, direct)
    scored = {pair: _score(profiles[pair[0]], profiles[pair[1]]) for pair in candidates}
    edges = sorted(
        ((score, pair) for pair, score in scored.items() if score >= threshold),
        key=lambda edge: (-edge[0], edge[1]),
    )
    clusters = _Clusters(profiles, scored)
    link_threshold = threshold * LINK_RATIO
    for _score_value, (first, second) in edges:
        clusters.merge(first, second, link_threshold)

    by_root: dict[int, list[int]] = defaultdict(list)
    for index in range(len(profiles)):
        by_root[clusters.find(index)].append(index)
    group_pairs: dict[int, list[PairScore]] = defaultdict(list)
    for score, (first, second) in edges:
        root = clusters.find(first)
        if root == clusters.find(second) and len(group_pairs[root]) < 3 * len(by_root[root]):
            names = _shared_names(profiles[first], profiles[second])
            group_pairs[root].append(
                PairScore(profiles[first].key, profiles[second].key, round(score, 1), tuple(names))
            )
    groups = []
    for root, indices in sorted(by_root.items(), key=lambda item: item[1][0]):
        members = tuple(profiles[i].key for i in indices)
        groups.append(
            Group(
                id=_group_id(ids[i] for i in indices),
                members=members,
                pairs=tuple(group_pairs.get(root, ())),
                shared_entities=_shared_entities([profiles[i] for i in indices])
                if len(indices) > 1
                else (),
            )
        )
    return groups
