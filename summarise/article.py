"""The engine's data objects: articles, their blocks, analyses, summaries and groups.

Every offset in this module is a character offset into ``Article.body``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

BlockKind = Literal["title", "standfirst", "dateline", "caption", "body", "boilerplate"]

# Paragraphs of the body are joined with this separator; sentence and entity
# offsets rely on it being exactly two characters long and never inside a block.
PARAGRAPH_SEPARATOR = "\n\n"

_WHITESPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text folded for identity: NFC, whitespace collapsed, case kept."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def text_id(text: str) -> str:
    """A short stable id for a text: the same words give the same id."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-sized piece of an article with the role it plays."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class RawDocument:
    """What a source file gives before its structure is known.

    ``title`` and the other metadata are set only when the source states them
    (a JSON field, HTML metadata); otherwise structure analysis finds them.
    ``paragraphs_known`` says the text already holds only the article (as
    extracted from HTML), so structure analysis need not hunt for a title line.
    """

    key: str
    text: str
    title: str = ""
    source: str = ""
    published: str = ""
    url: str = ""
    origin: str = ""  # the file format: txt, md, html, json, jsonl, feed
    paragraphs_known: bool = False


@dataclass(frozen=True)
class Article:
    """A structured article. ``body`` is what summaries and entities point into."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    source: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) when known, else ""
    url: str = ""
    standfirst: str = ""
    origin: str = ""

    # The article is immutable, so its derived strings are computed once; the list view
    # asks for ids and bodies of thousands of articles on every refresh.
    @cached_property
    def id(self) -> str:
        return text_id(self.title + "\n" + self.body)

    @property
    def body_blocks(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.kind == "body")

    @cached_property
    def body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(block.text for block in self.body_blocks)

    @property
    def paragraph_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each body paragraph in ``body``."""
        spans: list[tuple[int, int]] = []
        position = 0
        for block in self.body_blocks:
            spans.append((position, position + len(block.text)))
            position += len(block.text) + len(PARAGRAPH_SEPARATOR)
        return spans


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    start: int
    end: int
    paragraph: int  # index into Article.paragraph_spans


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention; ``label`` is a spaCy label such as PERSON, GPE, ORG."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    text: str
    label: str
    count: int


@dataclass(frozen=True)
class Analysis:
    """The NLP result for one article: cached by (article id, pipeline fingerprint)."""

    article_id: str
    pipeline: str  # fingerprint of the spaCy model or rule-based fallback used
    sentences: tuple[SentenceSpan, ...]
    mentions: tuple[Mention, ...] = ()
    entities_available: bool = True


@dataclass(frozen=True)
class Summary:
    algorithm: str
    sentence_ids: tuple[int, ...]  # indices into Analysis.sentences, in article order

    def sentences(self, article: Article, analysis: Analysis) -> list[str]:
        body = article.body
        return [
            body[analysis.sentences[i].start : analysis.sentences[i].end] for i in self.sentence_ids
        ]


@dataclass(frozen=True, slots=True)
class PairScore:
    """Why two members were joined: their similarity and what they share."""

    first: str  # article key
    second: str
    score: float
    shared_entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    id: str
    members: tuple[str, ...]  # article keys, in corpus order
    pairs: tuple[PairScore, ...] = ()
    shared_entities: tuple[str, ...] = field(default=())

    @property
    def why(self) -> str:
        if len(self.members) == 1:
            return "single story"
        best = max((pair.score for pair in self.pairs), default=0.0)
        names = ", ".join(self.shared_entities[:6]) or "no shared names"
        return f"{len(self.members)} stories; best similarity {best:.0f}; shared: {names}"
