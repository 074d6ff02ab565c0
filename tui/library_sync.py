"""The reader's side of the user's library: its stories as articles, updates whose new
stories are posted as each feed answers, and reading the library again.

A story whose document did not change keeps the article already built for it, so an
update or a reload structures only what is new or changed. Runs in the app's workers;
it never touches widgets.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence

from textual.message import Message

from summarise.article import Article, RawDocument
from summarise.engine import Corpus
from summarise.ingest.feeds import Library
from tui.background import Offload, build_articles
from tui.messages import LibraryReloaded, StoriesArrived, UpdateFinished, UpdateProgress
from tui.widgets.listing import article_id


class _UpdateCancelled(Exception):
    """Raised from the update's progress callback to stop it when the app closes."""


def _signature(document: RawDocument) -> int:
    """Changes when what the reader shows of a stored story changes."""
    return hash((document.text, document.title, document.source, document.published, document.url))


def arrivals(corpus: Corpus, articles: Iterable[Article]) -> list[Article]:
    """The stories of ``articles`` that ``corpus`` does not hold: a story already held
    under another key (its feed moved) is not new."""
    ids = {article_id(article) for article in corpus.articles}
    return [
        article
        for article in articles
        if article.key not in corpus.by_key and article_id(article) not in ids
    ]


def read_in_library(
    before: Mapping[str, Article],
    articles: Iterable[Article],
    read_keys: set[str],
    read_ids: set[str],
) -> list[Article]:
    """The stories of ``articles`` to mark read that are not yet: those read before under
    the same key whose text changed (the full page came), and the library's read stories
    that were not shown before (``before``: the shown stories by key)."""
    found: list[Article] = []
    for article in articles:
        if article_id(article) in read_ids:
            continue
        old = before.get(article.key)
        if old is not None and article_id(old) in read_ids:
            found.append(article)  # its text changed (the full page came)
        elif old is None and article.key in read_keys:
            found.append(article)
    return found


class LibrarySync:
    """The user's library (opened on first use) and the articles built from its stories."""

    def __init__(self, library: Library | None, offload: Offload) -> None:
        self._library = library
        self._offload = offload
        self._opening = threading.Lock()
        # Worker threads only: each story's document signature and the article built from it.
        self._built: dict[str, tuple[int, Article]] = {}

    @property
    def library(self) -> Library:
        """The user's library, opened on first use (LibraryError when it cannot be)."""
        with self._opening:
            if self._library is None:
                self._library = Library()
            return self._library

    @property
    def is_open(self) -> bool:
        return self._library is not None

    def close(self) -> None:
        if self._library is not None:
            self._library.close()

    def forget(self) -> None:
        """Drop the articles built so far (the reader switches to the library afresh)."""
        self._built = {}

    def remember(self, documents: Sequence[RawDocument], articles: Sequence[Article]) -> None:
        """Keep each story's built article with its document's signature, so the next
        reload structures only what is new or changed."""
        by_key = {article.key: article for article in articles}
        self._built = {
            document.key: (_signature(document), by_key[document.key])
            for document in documents
            if document.key in by_key
        }

    def read_ids(self, articles: Iterable[Article]) -> set[str]:
        """The ids of those ``articles`` the library has marked read."""
        unread = self.library.unread_keys()
        return {article_id(article) for article in articles if article.key not in unread}

    def stories(self, documents: Sequence[RawDocument]) -> list[Article]:
        """The library's stories as articles, in its order and each story once; those
        whose document did not change are the articles already built."""
        known = self._built
        signatures = {document.key: _signature(document) for document in documents}
        todo = [
            document
            for document in documents
            if known.get(document.key, (None, None))[0] != signatures[document.key]
        ]
        built, _problems = self._offload.run(
            self._offload.worth_a_process(len(todo)), build_articles, todo
        )
        fresh = {article.key: article for article in built}
        remembered: dict[str, tuple[int, Article]] = {}
        articles: list[Article] = []
        seen: set[str] = set()
        for document in documents:
            signature = signatures[document.key]
            article = fresh.get(document.key)
            if article is None:
                old = known.get(document.key)
                if old is None or old[0] != signature:
                    continue  # nothing readable in it
                article = old[1]
            remembered[document.key] = (signature, article)
            if article_id(article) not in seen:
                seen.add(article_id(article))
                articles.append(article)
        self._built = remembered
        return articles

    def _stories_and_read_keys(self) -> tuple[list[Article], set[str]]:
        library = self.library
        articles = self.stories(library.documents())
        unread = library.unread_keys()
        return articles, {article.key for article in articles if article.key not in unread}

    def update(
        self,
        shown_keys: Iterable[str],
        *,
        keep_days: int,
        post: Callable[[Message], object],
        cancelled: Callable[[], bool],
    ) -> UpdateFinished | None:
        """Fetch every feed, posting each feed's stories not in ``shown_keys`` as it
        answers; the whole library once the update (and the full text of teasers) is
        done, or None when it was cancelled."""
        started = dt.datetime.now(dt.UTC)
        known = set(shown_keys)
        try:
            library = self.library

            def progress(done: int, total: int, url: str) -> None:
                if cancelled():
                    raise _UpdateCancelled
                post(UpdateProgress(done, total, url))
                try:
                    documents = [
                        d for d in library.feed_documents(url, started) if d.key not in known
                    ]
                    built, _problems = build_articles(documents)
                except Exception:  # they come with the whole library at the end
                    return
                known.update(document.key for document in documents)
                if built:
                    post(StoriesArrived(built))

            report = library.update(progress, keep_days=keep_days)
            if cancelled():
                return None
            articles, read_keys = self._stories_and_read_keys()
        except _UpdateCancelled:
            return None
        except Exception as problem:  # the library's file, a bug in a feed parser, …
            return UpdateFinished(None, problem=f"{type(problem).__name__}: {problem}")
        return UpdateFinished(report, articles, read_keys)

    def reload(self) -> LibraryReloaded:
        """The library's stories read again (a subscription went away)."""
        articles, read_keys = self._stories_and_read_keys()
        return LibraryReloaded(articles, read_keys)
