"""The user's library: feed subscriptions, their updates over the web, full text, read
marks and OPML. The feed library `reader` keeps feeds and entries in SQLite and makes
conditional requests (ETag, Last-Modified); this module adds what a news reader needs on
top: a site page that links its feed, the full text of teaser entries fetched once,
folders as tags, retention, and articles built the same way as files.

Nothing the user did is lost to a damaged file, a killed process or a second process:
the library file is checked on opening, and a damaged one is moved aside and rebuilt
from the plain OPML backup of the subscriptions kept beside it (the read marks come
back from the ledger in the data dir as the stories return); the file is copied before
the feed library may migrate it; updates run one at a time across processes; and
storage failures reach the caller as one-line LibraryErrors.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
import threading
import time
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from xml.sax import SAXParseException

from summarise.article import RawDocument
from summarise.config import data_dir
from summarise.export import write_new_file
from summarise.ingest.retriever import mount as mount_retriever
from summarise.ingest.web import (
    Fetched,
    FetchError,
    fetch,
    is_web_address,
    permanent_location,
    request_failure,
)
from summarise.store import (
    STATE_DB_NAME,
    FileLock,
    LibraryLedger,
    copy_database,
    database_damage,
    move_aside,
    schema_version,
)
from summarise.text import clean_text, one_line, url_text

LIBRARY_DB_NAME = "library.sqlite3"
# The subscriptions and saved pages as OPML beside the library, rewritten after every
# change: what a damaged library is rebuilt from, and a file the user can keep.
SUBSCRIPTIONS_BACKUP_NAME = "subscriptions.opml"
# How long an update (or a repair) waits for another process's update to end.
LOCK_WAIT_SECONDS = 600.0
# Read marks older than this leave the ledger: their stories left their feeds long ago.
MARKS_KEPT_DAYS = 400
# An entry with fewer words than this is a teaser: its page is fetched for the story.
TEASER_WORDS = 150
UPDATE_WORKERS = 4
# Full-text pages fetched at once from one site: polite to each host.
PAGES_PER_HOST = 1

_TAG = ".newsreader."
_FULL_TEXT = _TAG + "full-text"  # the extracted article of an entry's page
_DROPPED = _TAG + "dropped"  # left the library by retention
_FOLDER = _TAG + "folder"  # the OPML folder a feed was imported from
_PAGE = _TAG + "page"  # title, site and date of a page saved on its own
_ERROR = _TAG + "error"  # why the last update of a feed failed, one line
# Ledger facts: "<reader version> <schema version>" after the last opening; whether the
# marks made before the ledger existed were copied into it; whether the library may lack
# marks the ledger has (it was rebuilt, or a mark was cut short): "1" or "".
_SCHEMA_FACT = "library-schema"
_MARKS_FACT = "library-marks-copied"
_MARKS_PENDING_FACT = "library-marks-pending"
_PAGES_OUTLINE = "newsreader saved pages"
# Pages read on their own live in a feed of their own that is never updated.
PAGES_FEED = "newsreader:pages"
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)

ProgressCallback = Callable[[int, int, str], None]
_T = TypeVar("_T")


class LibraryError(Exception):
    """Something the user asked of the library that cannot be done; one line."""


def _storage_reason(error: BaseException) -> str:
    """Why the library's file failed, in the user's words."""
    cause = error.__cause__
    text = one_line(str(cause if isinstance(cause, sqlite3.Error) else error))
    lower = text.lower()
    if "readonly" in lower or "read-only" in lower:
        return "its folder or file is read-only"
    if "disk is full" in lower or "no space" in lower:
        return "the disk is full"
    if "locked" in lower or "busy" in lower:
        return "another program kept it locked too long; try again"
    if "malformed" in lower or "not a database" in lower:
        return "the file is damaged; newsreader sets it aside and rebuilds it when next opened"
    if "invalid version" in lower:
        return "a newer newsreader wrote it; upgrade newsreader to open it"
    if "unable to open" in lower:
        return "it cannot be opened (check the folder's permissions)"
    return text or type(error).__name__


def _guarded(retries: int = 0) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """Storage failures of a Library method as one LibraryError line. ``retries`` > 0
    (methods that can safely run again): a lock another process held past SQLite's wait
    is waited out that many more times first."""

    def decorate(method: Callable[..., _T]) -> Callable[..., _T]:
        @functools.wraps(method)
        def guarded(self: Library, *args: Any, **kwargs: Any) -> _T:
            from reader.exceptions import StorageError

            for attempt in range(retries + 1):
                try:
                    return method(self, *args, **kwargs)
                except (StorageError, sqlite3.Error) as error:
                    reason = _storage_reason(error)
                    if attempt < retries and reason.startswith("another program"):
                        time.sleep(0.2 * (attempt + 1))
                        continue
                    raise LibraryError(f"the library {self.path}: {reason}") from None
            raise AssertionError("unreachable")

        return guarded

    return decorate


@dataclass(frozen=True)
class FeedInfo:
    url: str
    title: str
    articles: int
    unread: int
    updated: str  # ISO timestamp of the last update that worked, or ""
    error: str  # why the last update failed, "" when it worked
    folder: str = ""

    def record(self) -> dict[str, object]:
        return {
            "url": self.url,
            "title": self.title,
            "articles": self.articles,
            "unread": self.unread,
            "updated": self.updated,
            "error": self.error,
        }


@dataclass
class UpdateReport:
    feeds: int = 0
    updated: int = 0  # feeds that answered (new items or not modified)
    new_articles: int = 0
    pages_fetched: int = 0
    dropped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old url, new url)

    @property
    def all_failed(self) -> bool:
        return self.feeds > 0 and self.updated == 0


def library_path() -> Path:
    return data_dir() / LIBRARY_DB_NAME


class Library:
    """The feeds a user follows and the stories they brought, kept under the data dir.

    ``warnings`` holds what was repaired on opening (a damaged file set aside and
    rebuilt, a copy made before a schema migration), one line each, for the user.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or library_path()
        self.backup_path = self.path.with_name(SUBSCRIPTIONS_BACKUP_NAME)
        self.warnings: list[str] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror or str(error)
            raise LibraryError(f"cannot create the folder {self.path.parent}: {reason}") from None
        self._ledger = LibraryLedger(self.path.with_name(STATE_DB_NAME))
        self.warnings.extend(self._ledger.warnings)
        self._keys: dict[str, tuple[str, str]] = {}
        self._copies: dict[str, list[tuple[str, str]]] = {}
        self._lock = threading.RLock()
        from reader.exceptions import ReaderError

        try:
            self._open()
        except (ReaderError, sqlite3.Error) as error:
            self._ledger.close()
            reason = _storage_reason(error)
            raise LibraryError(f"cannot open the library {self.path}: {reason}") from None
        except BaseException:
            self._ledger.close()
            raise
        self._retriever = mount_retriever(self._reader)

    def _open(self) -> None:
        """Open the file, first setting a damaged one aside (under the update lock, so
        two processes never repair at once) and rebuilding it from the backup."""
        if self._damage() is None:
            self._reader = self._open_reader()
            self._after_opening()
            return
        with self._exclusive("repair"):
            damage = self._damage()  # another process may have repaired it meanwhile
            moved = None
            if damage is not None:
                problem, target = damage
                moved = move_aside(target)
                if moved is None:
                    raise LibraryError(
                        f"the library {target} is damaged ({problem}) and cannot be moved "
                        "aside; move it away by hand"
                    )
                search = self._search_path()
                if target == self.path and search.exists() and move_aside(search) is None:
                    search.unlink(missing_ok=True)
            self._reader = self._open_reader()
            if damage is None or moved is None:
                self._after_opening()
            elif damage[1] != self.path:
                self.warnings.append(
                    f"the search index {damage[1]} was damaged ({damage[0]}); "
                    f"moved to {moved.name} (it holds nothing that is not in the library)"
                )
                self._after_opening()
            else:
                self._rebuild(damage[0], moved)

    def _search_path(self) -> Path:
        # The feed library keeps a full-text search index in a file of its own.
        return self.path.with_name(self.path.name + ".search")

    def _damage(self) -> tuple[str, Path] | None:
        """(why, which file) when the library or its search index is damaged."""
        for target in (self.path, self._search_path()):
            try:
                problem = database_damage(target)
            except sqlite3.Error:
                continue  # busy or not permitted: not damage; opening says what is wrong
            if problem is not None:
                return problem, target
        return None

    def _open_reader(self) -> Any:
        """The feed library on our file, copied first when the feed library may migrate
        it: when another version of it last opened the file, or the file's schema
        version is not the one it left."""
        from reader import __version__ as reader_version
        from reader import make_reader
        from reader.exceptions import ReaderError

        before = schema_version(self.path)
        backup = None
        if before and self._ledger.fact(_SCHEMA_FACT) != f"{reader_version} {before}":
            backup = self._free_name(f"{self.path.name}.backup-{before}")
            try:
                copy_database(self.path, backup)
            except (OSError, sqlite3.Error) as error:
                backup = None
                reason = getattr(error, "strerror", None) or _storage_reason(error)
                self.warnings.append(
                    f"could not copy {self.path.name} before opening it with another "
                    f"version of the feed library ({reason})"
                )
        opened = None
        for attempt in range(3):
            try:
                opened = make_reader(str(self.path), plugins=[])
                break
            except (ReaderError, sqlite3.Error) as error:
                reason = _storage_reason(error)
                if attempt < 2 and reason.startswith("another program"):
                    time.sleep(0.5)
                    continue
                if backup is not None and schema_version(self.path) == before:
                    backup.unlink(missing_ok=True)  # a failed migration changes nothing
                raise LibraryError(f"cannot open the library {self.path}: {reason}") from None
        after = schema_version(self.path)
        if backup is not None:
            if after == before:
                backup.unlink(missing_ok=True)  # nothing was migrated
            else:
                self.warnings.append(
                    f"the feed library upgraded {self.path.name} (schema {before} to "
                    f"{after}); the file as it was is kept as {backup.name}"
                )
        if after:
            self._ledger.set_fact(_SCHEMA_FACT, f"{reader_version} {after}")
        return opened

    def _free_name(self, name: str) -> Path:
        candidate = self.path.with_name(name)
        counter = 2
        while candidate.exists():
            candidate = self.path.with_name(f"{name}-{counter}")
            counter += 1
        return candidate

    def _after_opening(self) -> None:
        """Chores of a sound library: the marks made before the ledger existed are copied
        into it once, and a backup of the subscriptions is made if there is none."""
        if self._ledger.fact(_MARKS_FACT) is None:
            read = [(entry.feed_url, entry.id) for entry in self._reader.get_entries(read=True)]
            self._ledger.set_read(read, True)
            self._ledger.set_fact(_MARKS_FACT, "1")
        if not self.backup_path.exists() and not self.is_empty():
            self._write_backup()

    def _rebuild(self, problem: str, moved: Path) -> None:
        """A new, empty library in place of a damaged one: subscriptions and saved pages
        come back from the backup now, their stories and read marks with the next
        update."""
        try:
            data: bytes | None = self.backup_path.read_bytes()
        except OSError:
            data = None
        note = f"no backup of the subscriptions ({self.backup_path.name}) was found"
        if data:
            try:
                feeds = self.import_opml(data)
                pages = self._restore_pages(data)
            except LibraryError as error:
                note = f"its backup {self.backup_path.name} could not be read ({error})"
            else:
                note = (
                    f"{feeds} subscriptions and {pages} saved pages restored from "
                    f"{self.backup_path.name}; their stories return with the next update"
                )
        self._ledger.set_fact(_MARKS_FACT, "1")
        self._ledger.set_fact(_MARKS_PENDING_FACT, "1")
        self.warnings.append(
            f"the library {self.path} was damaged ({problem}); moved to {moved.name} and "
            f"rebuilt: {note}"
        )

    @contextmanager
    def _exclusive(self, doing: str) -> Iterator[None]:
        """One update (or repair) of this library at a time, across processes."""
        lock = FileLock(self.path.with_name(self.path.name + ".lock"), LOCK_WAIT_SECONDS)
        try:
            lock.__enter__()
        except TimeoutError:
            raise LibraryError(
                f"cannot {doing} the library: another update has held it for "
                f"{LOCK_WAIT_SECONDS / 60:.0f} minutes; try again later"
            ) from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise LibraryError(
                f"cannot {doing} the library in {self.path.parent}: {reason}"
            ) from None
        try:
            yield
        finally:
            lock.__exit__()

    def close(self) -> None:
        """Never raises: what closing tidies up (SQLite's statistics) can wait, and a
        read-only or full library refuses it."""
        from reader.exceptions import ReaderError

        with suppress(ReaderError, sqlite3.Error):
            self._reader.close()
        self._retriever.close()
        self._ledger.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- subscriptions -------------------------------------------------------------

    @_guarded(retries=2)
    def is_empty(self) -> bool:
        """True while nothing is subscribed and no page was saved."""
        return self._reader.get_feed_counts().total == 0

    @_guarded()
    def add_feed(self, url: str) -> str:
        """Subscribe to ``url``: a feed, or a page that links its feed. Returns the feed's
        address. The feed is fetched to check it; its stories arrive with update()."""
        url, page = _fetch_address(url)
        feed_url = page.url if _looks_like_feed(page.content_type, page.body) else ""
        if not feed_url:
            feed_url = _linked_feed(page.url, page.body, page.headers)
        if not feed_url:
            raise LibraryError(f"{one_line(url)}: neither a feed nor a page that links one")
        self._reader.add_feed(feed_url, exist_ok=True)
        self._write_backup()
        return feed_url

    @_guarded()
    def add_address(self, url: str) -> str:
        """Read ``url`` at once and keep it: a feed is subscribed to and updated, any other
        page is saved as a story. Returns what was done, for the user."""
        url, page = _fetch_address(url)
        if _looks_like_feed(page.content_type, page.body):
            from reader.exceptions import UpdateError

            with self._exclusive("update"):
                known = self._reader.get_feed(page.url, None) is not None
                self._reader.add_feed(page.url, exist_ok=True)
                try:
                    self._reader.update_feed(page.url)
                except UpdateError as error:
                    if not known:
                        self._reader.delete_feed(page.url, missing_ok=True)
                    raise LibraryError(f"{one_line(url)}: {_why(error)}") from None
                self._fetch_full_texts()
                self._restore_marks()
            self._write_backup()
            return f"subscribed to {one_line(page.url)}"
        try:
            document = _page_document(page)
        except ValueError as error:  # a PDF, an image: bytes that are not text
            raise LibraryError(f"{one_line(url)}: not a web page ({error})") from None
        if document is None:
            raise LibraryError(f"{one_line(url)}: no readable text on this page")
        self._save_page(page.url, document)
        self._write_backup()
        return f"saved {one_line(document.title or page.url)}"

    def _save_page(self, url: str, document: RawDocument) -> None:
        with self._lock:
            self._pages_feed()
            entry = {
                "feed_url": PAGES_FEED,
                "id": url,
                "title": document.title,
                "link": url,
                "updated": dt.datetime.now(dt.UTC),
            }
            self._reader.add_entry(entry, overwrite=True)
            resource = (PAGES_FEED, url)
            self._reader.set_tag(resource, _FULL_TEXT, document.text)
            self._reader.set_tag(
                resource,
                _PAGE,
                {"source": document.source, "published": document.published},
            )

    @_guarded()
    def remove_feed(self, url: str) -> None:
        from reader.exceptions import FeedNotFoundError

        try:
            self._reader.delete_feed(url.strip())
        except FeedNotFoundError:
            raise LibraryError(f"not subscribed: {one_line(url)}") from None
        self._write_backup()

    @_guarded(retries=2)
    def feeds(self) -> list[FeedInfo]:
        result = []
        for feed in self._reader.get_feeds():
            if feed.url == PAGES_FEED:
                continue
            # Dropped stories are read ones, so leaving them out changes no unread count.
            kept = self._reader.get_entry_counts(feed=feed, tags=[f"-{_DROPPED}"])
            error = ""
            if feed.last_exception is not None:
                error = str(self._reader.get_tag(feed, _ERROR, "")) or _stored_why(
                    feed.url, feed.last_exception.value_str, feed.last_exception.type_name
                )
            result.append(
                FeedInfo(
                    url=feed.url,
                    title=one_line(feed.user_title or feed.title or ""),
                    articles=kept.total,
                    unread=kept.total - kept.read,
                    updated=_iso(feed.last_updated),
                    error=error,
                    folder=str(self._reader.get_tag(feed, _FOLDER, "")),
                )
            )
        return result

    # -- OPML ----------------------------------------------------------------------

    @_guarded(retries=2)
    def import_opml(self, data: bytes) -> int:
        """Subscribe to every feed of an OPML file (its folders kept as tags); how many."""
        feeds = opml_feeds(data)
        for url, folder in feeds:
            self._reader.add_feed(url, exist_ok=True, allow_invalid_url=False)
            if folder:
                self._reader.set_tag(url, _FOLDER, folder)
        self._write_backup()
        return len(feeds)

    @_guarded(retries=2)
    def export_opml(self) -> str:
        return opml_document(self.feeds())

    # -- the backup beside the library ----------------------------------------------

    def _write_backup(self) -> None:
        """Rewrite the OPML backup of the subscriptions and saved pages when they changed;
        a failure is a warning (the library itself holds them)."""
        from reader.exceptions import ReaderError

        try:
            text = self._backup_document()
            try:
                if self.backup_path.read_text(encoding="utf-8") == text:
                    return
            except (OSError, UnicodeError):
                pass
            write_new_file(self.backup_path, text, force=True)
        except (OSError, ReaderError, sqlite3.Error) as error:
            reason = getattr(error, "strerror", None) or _storage_reason(error)
            message = f"cannot keep the backup of the subscriptions {self.backup_path}: {reason}"
            if message not in self.warnings:
                self.warnings.append(message)

    def _backup_document(self) -> str:
        feeds = [
            FeedInfo(
                url=feed.url,
                title=one_line(feed.user_title or feed.title or ""),
                articles=0,
                unread=0,
                updated="",
                error="",
                folder=str(self._reader.get_tag(feed, _FOLDER, "")),
            )
            for feed in self._reader.get_feeds()
            if feed.url != PAGES_FEED
        ]
        pages = []
        if self._reader.get_feed(PAGES_FEED, None) is not None:
            pages = [
                (entry.id, one_line(entry.title or ""))
                for entry in self._reader.get_entries(feed=PAGES_FEED)
            ]
        return opml_document(feeds, pages)

    def _restore_pages(self, data: bytes) -> int:
        """Saved pages listed in a backup, back as stories without text: the next update
        fetches their text as it does for a teaser's page."""
        pages = opml_pages(data)
        with self._lock:
            for url, title in pages:
                self._pages_feed()
                entry = {
                    "feed_url": PAGES_FEED,
                    "id": url,
                    "title": title,
                    "link": url,
                    "updated": dt.datetime.now(dt.UTC),
                }
                self._reader.add_entry(entry, overwrite=True)
        if pages:
            self._write_backup()
        return len(pages)

    def _pages_feed(self) -> None:
        self._reader.add_feed(PAGES_FEED, exist_ok=True, allow_invalid_url=True)
        self._reader.disable_feed_updates(PAGES_FEED)

    def _restore_marks(self) -> int:
        """Stories that came back unread although the ledger says they were read (the
        library was rebuilt, or a mark was cut short) are marked read again; how many.
        Only while marks are pending: it reads every unread story."""
        if not self._ledger.fact(_MARKS_PENDING_FACT):
            return 0
        marked = self._ledger.read_entries()
        if not marked:
            return 0
        back = [
            entry
            for entry in self._reader.get_entries(read=False)
            if (entry.feed_url, entry.id) in marked
        ]
        for entry in back:
            self._reader.set_entry_read(entry, True)
        return len(back)

    # -- updating ------------------------------------------------------------------

    @_guarded()
    def update(
        self, progress: ProgressCallback | None = None, *, keep_days: int = 90
    ) -> UpdateReport:
        """Fetch every feed now, then the pages of new teaser entries; drop old read
        stories. A broken feed is a failure in the report, never an exception; a library
        that cannot be written (a full disk, a read-only folder) is a LibraryError.
        Another process's update is waited for: two at once would race on new stories."""
        with self._exclusive("update"):
            report = self._update(progress, keep_days)
            self._restore_marks()
            if not report.failures:  # every story still in a feed is back: none pending
                self._ledger.set_fact(_MARKS_PENDING_FACT, "")
            self._ledger.forget_before(time.time() - MARKS_KEPT_DAYS * 86400)
        self._write_backup()
        return report

    def _update(self, progress: ProgressCallback | None, keep_days: int) -> UpdateReport:
        from reader.exceptions import ResourceNotFoundError

        report = UpdateReport(feeds=self._reader.get_feed_counts(updates_enabled=True).total)
        done = 0
        changed: list[str] = []  # feeds that answered with new content, not "not modified"
        with self._lock:
            for result in self._reader.update_feeds_iter(scheduled=False, workers=UPDATE_WORKERS):
                done += 1
                error = getattr(result, "error", None)
                if error is not None:
                    why = _why(error)
                    report.failures.append((result.url, why))
                    with suppress(ResourceNotFoundError):  # removed meanwhile
                        self._reader.set_tag(result.url, _ERROR, why)
                else:
                    report.updated += 1
                    updated = getattr(result, "updated_feed", None)
                    if updated is not None:
                        report.new_articles += updated.new
                        if updated.new or updated.modified:
                            changed.append(result.url)
                if progress is not None:
                    progress(done, report.feeds, result.url)
            report.moved = self._follow_moves(changed)
            report.pages_fetched = self._fetch_full_texts()
            report.dropped = self._drop_old(keep_days)
        return report

    def _follow_moves(self, urls: list[str]) -> list[tuple[str, str]]:
        """Store the new address of each feed that has moved for good (301, 308). The
        feed library follows redirects but keeps asking the old address; a feed that
        brought new stories is asked once more, with a HEAD request that follows nothing.
        A "not modified" answer costs no extra request."""
        from reader.exceptions import FeedExistsError, FeedNotFoundError

        if not urls:
            return []
        with ThreadPoolExecutor(max_workers=UPDATE_WORKERS) as pool:
            locations = list(pool.map(permanent_location, urls))
        moved = []
        for old, new in zip(urls, locations, strict=True):
            if new == old:
                continue
            try:
                self._reader.change_feed_url(old, new)
            except (FeedExistsError, FeedNotFoundError):
                continue  # already subscribed at the new address: both are kept
            self._ledger.move_feed(old, new)
            moved.append((old, new))
        return moved

    def _fetch_full_texts(self) -> int:
        # The store leaves out what has its page already or was dropped, so an update
        # looks at the stories still waiting, not at the whole library again.
        wanted = [
            entry
            for entry in self._reader.get_entries(tags=[f"-{_FULL_TEXT}", f"-{_DROPPED}"])
            if entry.link and is_web_address(entry.link) and _is_teaser(entry)
        ]
        by_link: dict[str, list[Any]] = {}
        for entry in wanted:
            by_link.setdefault(entry.link, []).append(entry)
        by_host: dict[str, list[str]] = {}
        for link in by_link:
            by_host.setdefault(urlsplit(link).netloc.lower(), []).append(link)

        def fetch_host(links: list[str]) -> list[tuple[str, str | None]]:
            return [(link, _page_text(link)) for link in links]

        fetched = 0
        with ThreadPoolExecutor(max_workers=UPDATE_WORKERS) as pool:
            for pages in pool.map(fetch_host, by_host.values()):
                for link, text in pages:
                    # An empty text is stored too: a page is never fetched twice.
                    for entry in by_link[link]:
                        self._reader.set_tag(entry, _FULL_TEXT, text or "")
                    fetched += 1
        return fetched

    def _drop_old(self, keep_days: int) -> int:
        limit = utc_now() - dt.timedelta(days=keep_days)
        dropped = 0
        for entry in self._reader.get_entries(read=True, important=False, tags=[f"-{_DROPPED}"]):
            # A story's age in the library counts, not its date: an old story read
            # today stays until it has been kept for keep_days.
            when = entry.added or entry.published or entry.updated
            if when is None or _aware(when) >= limit:
                continue
            self._reader.set_tag(entry, _DROPPED, True)
            self._reader.delete_tag(entry, _FULL_TEXT, missing_ok=True)
            dropped += 1
        return dropped

    # -- stories -------------------------------------------------------------------

    @_guarded(retries=2)
    def documents(self) -> list[RawDocument]:
        """Every stored story as a raw document (newest first), ready to be structured."""
        documents = []
        keys: dict[str, tuple[str, str]] = {}
        by_page: dict[str, str] = {}  # page address -> key of the story shown for it
        copies: dict[str, list[tuple[str, str]]] = {}
        # The feed library answers a tag's value one story at a time (a query each, about
        # a millisecond); one query says which stories carry a kept page text, so only
        # those are asked for it.
        with_text = {
            (entry.feed_url, entry.id)
            for entry in self._reader.get_entries(tags=[_FULL_TEXT, f"-{_DROPPED}"])
        }
        for entry in self._reader.get_entries(tags=[f"-{_DROPPED}"]):
            document = self._document(entry, (entry.feed_url, entry.id) in with_text)
            if document is None:
                continue
            shown = by_page.get(document.url) if document.url else None
            if shown is not None:
                # The same page reached from another feed is the same story, whatever
                # headline that feed gave it: shown once, read once.
                copies.setdefault(shown, []).append((entry.feed_url, entry.id))
                continue
            if document.url:
                by_page[document.url] = document.key
            documents.append(document)
            keys[document.key] = (entry.feed_url, entry.id)
        self._keys = keys
        self._copies = copies
        return documents

    def _document(self, entry: Any, has_text: bool = True) -> RawDocument | None:
        """The stored story as a raw document; ``has_text``: it may carry a kept page text
        (False skips asking for it)."""
        from summarise.sources import html_fragment_text

        feed = entry.feed
        source = one_line(feed.user_title or feed.title or "") if feed is not None else ""
        published = _iso_date(entry.published or entry.updated)
        saved = self._reader.get_tag(entry, _PAGE, None) if entry.feed_url == PAGES_FEED else None
        if isinstance(saved, dict):
            source = one_line(str(saved.get("source") or ""))
            published = str(saved.get("published") or "")
        # Shown and followed as given, but a control character in it percent-encoded.
        link = url_text(entry.link) if entry.link and is_web_address(entry.link) else ""
        full_text = self._reader.get_tag(entry, _FULL_TEXT, None) if has_text else None
        text = full_text if isinstance(full_text, str) and full_text.strip() else ""
        if not text:
            text = html_fragment_text(_entry_html(entry))
        if not text.strip():
            return None
        title = entry.title or ""
        if "<" in title or "&" in title:  # markup or a character reference to read
            title = html_fragment_text(title)
        return RawDocument(
            key=f"{entry.feed_url}#{entry.id}",
            text=clean_text(text),
            title=one_line(title),
            source=source,
            published=published,
            url=link,
            origin="feed",
            paragraphs_known=True,
        )

    @_guarded(retries=2)
    def set_read(self, key: str, read: bool = True) -> None:
        """Mark the stored story with document key ``key`` read or unread: in the ledger
        first (what a rebuilt library takes its marks from), then in the library."""
        found = self._entry_of(key)
        if found is None:
            return
        entries = [found, *self._copies.get(key, ())]
        self._ledger.set_read(entries, read)
        try:
            with self._lock:
                for entry in entries:
                    self._reader.set_entry_read(entry, read)
        except BaseException:
            if read:  # the next update puts the mark the ledger has in the library
                self._ledger.set_fact(_MARKS_PENDING_FACT, "1")
            raise

    @_guarded(retries=2)
    def unread_keys(self) -> set[str]:
        """The document keys of every unread story kept in the library."""
        return {
            f"{entry.feed_url}#{entry.id}"
            for entry in self._reader.get_entries(read=False, tags=[f"-{_DROPPED}"])
        }

    def _entry_of(self, key: str) -> tuple[str, str] | None:
        """(feed URL, entry id) of a document key; either part may hold a "#"."""
        found = self._keys.get(key)
        if found is not None:
            return found
        position = key.find("#")
        while position != -1:
            candidate = (key[:position], key[position + 1 :])
            if self._reader.get_entry(candidate, None) is not None:
                return candidate
            position = key.find("#", position + 1)
        return None

    @_guarded(retries=2)
    def feed_documents(self, feed_url: str, added_since: dt.datetime) -> list[RawDocument]:
        """The stories of one feed that entered the library at or after ``added_since``
        (an aware time), as documents() gives them: what an update brought, feed by feed,
        before the whole update ends."""
        documents = []
        for entry in self._reader.get_entries(feed=feed_url, tags=[f"-{_DROPPED}"]):
            if entry.added is None or _aware(entry.added) < added_since:
                continue
            document = self._document(entry)
            if document is not None:
                documents.append(document)
                self._keys[document.key] = (entry.feed_url, entry.id)
        return documents


# ---------------------------------------------------------------------------------------
# Helpers


def _why(error: BaseException) -> str:
    """One line for the user on why a feed did not update (its address is said apart)."""
    import requests

    cause = error.__cause__
    message = one_line(str(getattr(error, "message", "") or ""))
    if isinstance(cause, requests.HTTPError) and cause.response is not None:
        response = cause.response
        return one_line(f"the server answered {response.status_code} {response.reason or ''}")
    if isinstance(cause, requests.RequestException):
        return request_failure(cause)
    if isinstance(cause, SAXParseException):
        detail = one_line(cause.getMessage())
        return f"not a feed: malformed XML ({detail} at line {cause.getLineNumber()})"
    if message == "unknown feed type":
        return "not a feed (neither RSS, Atom nor JSON Feed)"
    if cause is not None:
        detail = one_line(str(cause))
        if detail and detail not in message:
            message = f"{message}: {detail}" if message else detail
    return message[:200] or type(error).__name__


def _stored_why(url: str, value: str, type_name: str) -> str:
    """The stored error of a feed without the address the feed library repeats in it."""
    text = one_line(value).replace(f"'{url}': ", "").replace(f": '{url}'", "")
    return text[:200] or type_name


def _looks_like_feed(content_type: str, body: bytes) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    if kind in _FEED_TYPES:
        return True
    head = body[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def _linked_feed(url: str, body: bytes, headers: dict[str, str]) -> str:
    from reader.discover import from_http_response

    try:
        with warnings.catch_warnings():
            # BeautifulSoup's note on which HTML parser it chose is not for the user.
            warnings.simplefilter("ignore")
            links = from_http_response(url, body, headers)
    except Exception:  # a page that cannot be parsed links no feed
        return ""
    for link in links:
        if is_web_address(link.href):
            return link.href
    return ""


def _fetch_address(url: str) -> tuple[str, Fetched]:
    """(the address as typed less spaces, what it serves); LibraryError (one line) when
    it is not a web address or cannot be fetched."""
    url = url.strip()
    if not is_web_address(url):
        raise LibraryError(f"not a web address (http or https): {one_line(url)}")
    try:
        return url, fetch(url)
    except FetchError as error:
        raise LibraryError(f"{one_line(url)}: {error}") from None


def _page_document(page: Fetched) -> RawDocument | None:
    """The article of a fetched web page, None when it has no readable text; ValueError
    when its bytes are not text at all."""
    from summarise.sources import decode_bytes, html_document

    return html_document(decode_bytes(page.body), page.url, url=page.url)


def _page_text(link: str) -> str | None:
    try:
        document = _page_document(fetch(link))
    except (FetchError, ValueError):
        return None
    return document.text if document is not None else None


def _entry_html(entry: Any) -> str:
    contents = sorted(entry.content or (), key=lambda c: len(c.value or ""), reverse=True)
    if contents and contents[0].value:
        return contents[0].value
    return entry.summary or ""


def _is_teaser(entry: Any) -> bool:
    from summarise.sources import html_fragment_text

    return len(html_fragment_text(_entry_html(entry)).split()) < TEASER_WORDS


def utc_now() -> dt.datetime:
    """Now, in UTC: the clock retention counts days on."""
    return dt.datetime.now(dt.UTC)


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _iso(when: dt.datetime | None) -> str:
    return _aware(when).isoformat(timespec="seconds") if when else ""


def _iso_date(when: dt.datetime | None) -> str:
    return _aware(when).date().isoformat() if when else ""


# ---------------------------------------------------------------------------------------
# OPML


def _opml_root(data: bytes) -> ET.Element:
    """The root element of an OPML document; LibraryError (one line) when it is not XML."""
    if b"<!ENTITY" in data.upper():
        raise LibraryError("the OPML file declares XML entities; refused")
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise LibraryError(f"not an OPML file: malformed XML ({error})") from None


def opml_feeds(data: bytes) -> list[tuple[str, str]]:
    """(feed address, folder) for every feed outline of an OPML document."""
    root = _opml_root(data)
    if root.tag.lower() != "opml":
        raise LibraryError(f"not an OPML file (root <{one_line(root.tag)}>)")
    found: list[tuple[str, str]] = []

    def walk(node: ET.Element, folder: str, depth: int) -> None:
        if depth > 20:
            return
        for child in node:
            if child.tag.lower() != "outline":
                walk(child, folder, depth + 1)
                continue
            attributes = {key.lower(): value for key, value in child.attrib.items()}
            url = attributes.get("xmlurl", "").strip()
            if url:
                if is_web_address(url):
                    found.append((url, folder))
                continue
            name = one_line(attributes.get("title") or attributes.get("text") or "")
            walk(child, name or folder, depth + 1)

    walk(root, "", 0)
    first_folder: dict[str, str] = {}
    for url, folder in found:
        first_folder.setdefault(url, folder)  # a feed listed twice is subscribed once
    return list(first_folder.items())


def opml_pages(data: bytes) -> list[tuple[str, str]]:
    """(address, title) of the saved pages listed in a backup made by opml_document."""
    root = _opml_root(data)
    pages = []
    for outline in root.iter("outline"):
        if outline.get("text") != _PAGES_OUTLINE:
            continue
        for child in outline.iter("outline"):
            url = (child.get("url") or "").strip()
            if child.get("type") == "link" and is_web_address(url):
                pages.append((url, one_line(child.get("title") or "")))
    return list(dict.fromkeys(pages))


def opml_document(feeds: Iterable[FeedInfo], pages: Iterable[tuple[str, str]] = ()) -> str:
    """OPML 2.0 for ``feeds`` (folders as outlines), and saved ``pages`` (address,
    title) as links in an outline of their own, which feed readers ignore."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "newsreader subscriptions"
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.folder:
            parent = folders.get(feed.folder) or ET.SubElement(
                body, "outline", text=feed.folder, title=feed.folder
            )
            folders[feed.folder] = parent
        title = feed.title or feed.url
        ET.SubElement(parent, "outline", type="rss", text=title, title=title, xmlUrl=feed.url)
    saved = list(pages)
    if saved:
        outline = ET.SubElement(body, "outline", text=_PAGES_OUTLINE, title=_PAGES_OUTLINE)
        for url, title in saved:
            shown = title or url
            ET.SubElement(outline, "outline", type="link", text=shown, title=shown, url=url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
