"""The reader's read marks: held for the screen, saved in the app's store and, for the
library's stories, passed on to the library.

The library's own marks count unread stories per feed and let retention drop old
stories. An update holds the library for a while and the screen must not wait for it,
so those marks queue and a background writer passes them on in order; the app's store
has every mark too, so one the library never gets is not lost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from summarise.article import Article
from summarise.ingest.feeds import Library
from summarise.store import ReadState
from tui.widgets.listing import article_id


class LibraryMarkWriter:
    """Queues (story key, read) marks; ``start_writer`` runs ``write_queued`` in the
    background whenever marks wait and no writer is running."""

    def __init__(
        self, open_library: Callable[[], Library], start_writer: Callable[[], object]
    ) -> None:
        self._open_library = open_library
        self._start_writer = start_writer
        self._queued: list[tuple[str, bool]] = []
        self._lock = threading.Lock()
        self._writing = False

    def queue(self, marks: Iterable[tuple[str, bool]]) -> None:
        with self._lock:
            self._queued.extend(marks)
            if self._writing or not self._queued:
                return
            self._writing = True
        self._start_writer()

    def write_queued(self) -> None:
        """Write every queued mark, oldest first, until none is left (the writer's body)."""
        while True:
            with self._lock:
                batch, self._queued = self._queued, []
                if not batch:
                    self._writing = False
                    return
            for key, read in batch:
                try:
                    self._open_library().set_read(key, read)
                except Exception:  # a lost library mark: the app's own store has it
                    continue

    def flush(self, timeout: float) -> None:
        """Write the marks still queued before the library closes (an update under way
        holds it: wait up to ``timeout`` seconds, then leave them)."""
        with self._lock:
            start = bool(self._queued) and not self._writing
            if start:
                self._writing = True
        if start:
            # The app's workers are stopping: a plain thread does the last writing.
            threading.Thread(target=self.write_queued, daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._writing and not self._queued:
                    return
            time.sleep(0.02)


class ReadMarks:
    """The ids of the stories read, and the stores that keep them."""

    def __init__(self, store: ReadState | None, library_writer: LibraryMarkWriter) -> None:
        self.ids: set[str] = set()
        self.store = store  # the app's own; opened by the load worker when not given
        self._library_writer = library_writer

    def mark(self, articles: Iterable[Article], read: bool, *, in_library: bool) -> list[Article]:
        """Mark the articles read or unread, in the library too when ``in_library``;
        the ones that changed."""
        changed = [a for a in dict.fromkeys(articles) if (article_id(a) in self.ids) != read]
        for article in changed:
            if read:
                self.ids.add(article_id(article))
            else:
                self.ids.discard(article_id(article))
            if self.store is not None:
                self.store.set_read(article_id(article), read)
        if changed and in_library:
            self._library_writer.queue((article.key, read) for article in changed)
        return changed
