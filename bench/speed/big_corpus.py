"""Large grouping corpora built in memory from the shared data: real stories and reworded copies.

The shared data holds about 2,800 distinct news texts in BBC and CNN (ECB+ is left out:
its topics hold several reports of one event, which would blur the true groups). Larger corpora need
more distinct stories than that, so stories beyond the first "edition" are the same texts
with every content word consistently replaced by a made-up word of that edition (capitals
kept, so names stay names; function words and numbers kept). Each edition is a corpus with
the word statistics of real news, and editions share nothing but function words and numbers.

Every story is then told one to five times: the original, and reworded copies made by
dropping and shuffling later sentences, swapping words with others of the corpus, cutting
the ending and writing a new headline. The copies of a story are its true group.
Nothing is written to disk; the texts stay where the data lives.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from summarise.article import Article, Block
from summarise.text import FUNCTION_WORDS

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][a-z']*")
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
# Tellings of a story: mostly one or two, a few widely covered stories.
_TELLINGS = (1, 1, 2, 2, 3, 3, 4, 5)


@dataclass(frozen=True)
class Source:
    title: str
    sentences: tuple[str, ...]


@dataclass
class BigCorpus:
    articles: list[Article]
    story_of: list[int]  # article position -> story number (the true group)
    stories: int
    editions: int


def read_sources(data: Path) -> list[Source]:
    """Distinct texts of the shared data, each as a title and its sentences."""
    sources = []
    for line in _lines(data / "bbc-news-summary" / "dev.jsonl"):
        body = line["text"].split("\n", 1)[-1]
        sources.append(Source(line["title"], _sentences(body)))
    for line in _lines(data / "cnn" / "dev.jsonl"):
        sentences = _sentences(line["text"].removeprefix("(CNN)"))
        if sentences:
            sources.append(Source(_headline(sentences[0]), sentences))
    return [source for source in sources if len(source.sentences) >= 3]


def _lines(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip())


def _headline(sentence: str) -> str:
    return " ".join(sentence.split()[:10]).rstrip(",.;:")


def _made_up(word: str, edition: int) -> str:
    digest = hashlib.blake2b(f"{edition}:{word.lower()}".encode(), digest_size=8).digest()
    count = 2 + digest[0] % 3
    made = "".join(_SYLLABLES[digest[1 + i] % len(_SYLLABLES)] for i in range(count))
    return made.capitalize() if word[0].isupper() else made


def _encipher(text: str, edition: int, memo: dict[str, str]) -> str:
    if edition == 0:
        return text

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower() in FUNCTION_WORDS:
            return word
        if word not in memo:
            memo[word] = _made_up(word, edition)
        return memo[word]

    return _WORD.sub(swap, text)


def _reword(source: Source, rng: random.Random, vocabulary: list[str]) -> Source:
    """A copy another outlet might run: new headline, some sentences dropped or moved, a few
    words changed, the ending cut."""
    sentences = list(source.sentences)
    keep = max(3, int(len(sentences) * rng.uniform(0.5, 1.0)))
    head, rest = sentences[:2], sentences[2:keep]
    rest = [s for s in rest if rng.random() > 0.2]
    if rng.random() < 0.5:
        rng.shuffle(rest)
    changed = []
    for sentence in head + rest:
        words = sentence.split(" ")
        for _ in range(max(1, len(words) // 12)):
            position = rng.randrange(len(words))
            if words[position].isalpha() and words[position].islower():
                words[position] = rng.choice(vocabulary)
        changed.append(" ".join(words))
    title_words = [w for w in _WORD.findall(source.title + " " + sentences[0]) if len(w) > 3]
    rng.shuffle(title_words)
    title = " ".join(title_words[:8]).capitalize() or source.title
    return Source(title, tuple(changed))


def _article(key: str, source: Source, edition: int, memo: dict[str, str]) -> Article:
    title = _encipher(source.title, edition, memo)
    paragraphs = [
        _encipher(" ".join(source.sentences[i : i + 3]), edition, memo)
        for i in range(0, len(source.sentences), 3)
    ]
    blocks = (Block("title", title), *(Block("body", text) for text in paragraphs))
    return Article(key=key, title=title, blocks=blocks)


def big_corpus(data: Path, size: int, seed: int = 3) -> BigCorpus:
    """``size`` articles: stories from the shared data, each told one to five times."""
    sources = read_sources(data)
    rng = random.Random(seed)
    vocabulary = sorted({w for s in sources[:500] for t in s.sentences for w in _WORD.findall(t)})
    vocabulary = [w for w in vocabulary if w.islower() and w not in FUNCTION_WORDS]
    articles: list[Article] = []
    story_of: list[int] = []
    memos: dict[int, dict[str, str]] = {}
    story = 0
    while len(articles) < size:
        edition, position = divmod(story, len(sources))
        source = sources[position]
        memo = memos.setdefault(edition, {})
        tellings = min(rng.choice(_TELLINGS), size - len(articles))
        for telling in range(tellings):
            told = source if telling == 0 else _reword(source, rng, vocabulary)
            articles.append(_article(f"e{edition}/s{position}/t{telling}", told, edition, memo))
            story_of.append(story)
        story += 1
    order = list(range(len(articles)))
    rng.shuffle(order)
    return BigCorpus(
        [articles[i] for i in order],
        [story_of[i] for i in order],
        story,
        story // len(sources) + 1,
    )
