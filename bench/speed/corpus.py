"""A deterministic synthetic corpus: stories told several times in different words.

Made-up words and names only, so the benchmark needs no data files and copies no text.
"""

from __future__ import annotations

import random

from summarise.article import Article, Block

_ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
_CODAS = ["", "n", "r", "s", "l", "nd", "rt", "st"]
_FUNCTION = ["the", "a", "of", "in", "to", "and", "on", "for", "with", "by", "at", "from"]
_VERBS = ["said", "told", "announced", "confirmed", "reported", "warned", "agreed", "denied"]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
    )


def _sentence(rng: random.Random, vocabulary: list[str], names: list[str]) -> str:
    words = [rng.choice(names), rng.choice(_VERBS)]
    for _ in range(rng.randint(8, 16)):
        words.append(rng.choice(_FUNCTION) if rng.random() < 0.35 else rng.choice(vocabulary))
    if rng.random() < 0.5:
        words.insert(rng.randint(3, len(words)), rng.choice(names))
    return " ".join(words) + "."


def synthetic_corpus(stories: int, tellings: int, seed: int = 7) -> list[Article]:
    """``stories`` x ``tellings`` short articles; tellings of a story share names and words."""
    rng = random.Random(seed)
    common = [_word(rng, rng.randint(1, 3)) for _ in range(3000)]
    articles = []
    for story in range(stories):
        names = [f"{_word(rng, 2).title()} {_word(rng, 2).title()}" for _ in range(3)] + [
            _word(rng, 2).title() for _ in range(2)
        ]
        topic = [_word(rng, rng.randint(2, 3)) for _ in range(25)]
        for telling in range(tellings):
            vocabulary = topic + rng.sample(common, 60)
            paragraphs = [
                " ".join(_sentence(rng, vocabulary, names) for _ in range(rng.randint(1, 2)))
                for _ in range(rng.randint(2, 3))
            ]
            title = " ".join([names[0], rng.choice(_VERBS), *rng.sample(topic, 3)]).capitalize()
            blocks = (Block("title", title), *(Block("body", text) for text in paragraphs))
            articles.append(
                Article(key=f"story-{story}/telling-{telling}", title=title, blocks=blocks)
            )
    return articles
