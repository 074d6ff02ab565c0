"""What the article list shows: entries in order, grouped or not, filtered by words.

Pure functions over engine objects so that sorting and filtering 5,000 articles costs
a few milliseconds and can be tested without a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from summarise.article import Analysis, Article, Group
from summarise.entities import surface_key


@lru_cache(maxsize=1 << 16)
def article_id(article: Article) -> str:
    """``Article.id`` hashes the whole text on every call; the list asks for it constantly."""
    return article.id


SORT_LABELS = {"date": "newest first", "source": "source", "title": "title", "corpus": "as loaded"}


@dataclass(frozen=True)
class Entry:
    """One top-level row: a single article, or a group of several (members in order)."""

    members: tuple[Article, ...]
    group: Group | None = None

    @property
    def is_group(self) -> bool:
        return self.group is not None and len(self.members) > 1


def _sort_key(order: str, position: Mapping[str, int]) -> Callable[[Article], tuple]:
    if order == "date":
        # Newest first; undated articles last, in corpus order.
        return lambda a: (a.published == "", _inverted(a.published), position[a.key])
    if order == "source":
        return lambda a: (a.source == "", a.source.casefold(), position[a.key])
    if order == "title":
        return lambda a: (a.title.casefold(), position[a.key])
    return lambda a: (position[a.key],)


def _inverted(text: str) -> tuple[int, ...]:
    return tuple(-ord(char) for char in text)


def arrange(
    articles: Sequence[Article],
    groups: Sequence[Group] | None,
    order: str,
    keep: Callable[[Article], bool] | None = None,
) -> list[Entry]:
    """The list's rows: groups (or single articles) sorted by ``order``, filtered by ``keep``."""
    position = {article.key: index for index, article in enumerate(articles)}
    by_key = {article.key: article for article in articles}
    key = _sort_key(order, position)
    if groups is None:
        clusters: Iterable[tuple[Group | None, list[Article]]] = (
            (None, [article]) for article in articles
        )
    else:
        # Stories that arrived after the groups were made stand alone until the next grouping.
        grouped = {key for group in groups for key in group.members}
        clusters = chain(
            ((group, [by_key[k] for k in group.members if k in by_key]) for group in groups),
            ((None, [article]) for article in articles if article.key not in grouped),
        )
    entries: list[tuple[tuple, Entry]] = []
    for group, members in clusters:
        shown = sorted((m for m in members if keep is None or keep(m)), key=key)
        if not shown:
            continue
        entry = Entry(tuple(shown), group if len(shown) > 1 else None)
        entries.append((key(shown[0]), entry))
    entries.sort(key=lambda pair: pair[0])
    return [entry for _, entry in entries]


class TextIndex:
    """Case-folded searchable text per article: title, standfirst, body, entity names."""

    def __init__(self) -> None:
        self._text: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._entity_keys: dict[str, frozenset[str]] = {}

    def text(self, article: Article) -> str:
        found = self._text.get(article_id(article))
        if found is None:
            found = " ".join((article.title, article.standfirst, article.source, article.body))
            found = found.casefold()
            self._text[article_id(article)] = found
        return found

    def add_analysis(self, analysis: Analysis) -> None:
        names = {mention.text for mention in analysis.mentions}
        self._names[analysis.article_id] = " ".join(sorted(names)).casefold()
        self._entity_keys[analysis.article_id] = frozenset(
            surface_key(mention.text) for mention in analysis.mentions
        )

    def matches(self, article: Article, words: Sequence[str]) -> bool:
        """Every word appears in the article's text or in its entity names."""
        if not words:
            return True
        haystack = self.text(article)
        names = self._names.get(article_id(article), "")
        return all(word in haystack or word in names for word in words)

    def mentions(self, article: Article, entity: str) -> bool:
        """The article mentions the entity (compared by its normalised name)."""
        return surface_key(entity) in self._entity_keys.get(article_id(article), frozenset())


def query_words(query: str) -> list[str]:
    return [word for word in query.casefold().split() if word]
