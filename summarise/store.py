"""SQLite stores: cached analyses (safe to delete), which articles have been read, and
what the feed library keeps outside its own file; plus the file-level safety the library
shares with them (integrity check, moving a damaged file aside, copies, a lock between
processes).

No store is ever fatal: a corrupt database is moved aside and rebuilt (for user data,
with whatever can still be read from it), and a database that cannot be opened or
written is replaced by an in-memory one. What went wrong is kept in ``warnings`` for the
interface to show.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Self

from summarise.article import Analysis, Article, Block, Mention, SentenceSpan
from summarise.config import cache_dir, data_dir

ANALYSIS_DB_NAME = "analyses.sqlite3"
STATE_DB_NAME = "state.sqlite3"

# Bumped whenever the stored layout changes; older caches are simply dropped.
ANALYSIS_FORMAT = 1
STATE_FORMAT = 1

IN_MEMORY = ":memory:"
# How long a connection waits for another process's write before giving up. Every write
# transaction here lasts milliseconds, so reaching this means something is stuck.
BUSY_TIMEOUT_SECONDS = 10.0
# Files SQLite keeps beside a database: its write-ahead log and rollback journal carry
# data, the shared-memory index is rebuilt from them.
_CARRIED = ("-wal", "-journal")
_DERIVED = ("-shm",)
_DAMAGE_WORDS = ("not a database", "malformed", "unknown format")


def is_damage(problem: BaseException) -> bool:
    """True when an SQLite error says the file itself is damaged (not busy, not denied)."""
    message = str(problem).lower()
    return any(word in message for word in _DAMAGE_WORDS)


def database_damage(path: Path) -> str | None:
    """Why the SQLite database at ``path`` is damaged, from SQLite's quick check of every
    page; None when it is sound, missing or empty. Raises sqlite3.OperationalError when
    it cannot be checked at all (busy, no permission): that is no damage to repair."""
    try:
        if path.stat().st_size == 0:
            return None
    except FileNotFoundError:
        return None
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.OperationalError as problem:
        if is_damage(problem):
            return str(problem)
        raise
    except sqlite3.DatabaseError as problem:
        return str(problem)
    finally:
        connection.close()
    return None if rows and rows[0][0] == "ok" else "it failed SQLite's integrity check"


def schema_version(path: Path) -> int:
    """The ``user_version`` of the SQLite file at ``path``; 0 when it has none or cannot
    be read."""
    if not path.is_file():
        return 0
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error:
        return 0
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def move_aside(path: Path) -> Path | None:
    """Rename a damaged database to ``<name>.damaged-<time>`` beside it, its journal and
    write-ahead log with it; None when it cannot be moved."""
    stamp = int(time.time())
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    try:
        path.replace(aside)
    except OSError:
        return None
    for suffix in _CARRIED:
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).replace(aside.with_name(aside.name + suffix))
    for suffix in _DERIVED:
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()
    return aside


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (write-ahead log included) at ``target``,
    which appears whole or not at all. OSError or sqlite3.Error when it cannot be made."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        origin = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
        with contextlib.closing(origin), contextlib.closing(sqlite3.connect(temporary)) as copy:
            origin.backup(copy)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


class FileLock:
    """An exclusive lock between processes (and between objects of one process) on the
    file ``path``. The operating system releases it when its holder ends, even when
    killed, so a lock is never left behind. TimeoutError after ``timeout`` seconds;
    OSError when the lock file cannot be created (a read-only folder)."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._handle: int | None = None

    def __enter__(self) -> Self:
        try:
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except PermissionError:
            handle = os.open(self.path, os.O_RDONLY)  # locking needs no write access
        deadline = time.monotonic() + self.timeout
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                os.close(handle)
                raise TimeoutError(f"{self.path} stayed locked for {self.timeout:.0f} s")
            time.sleep(0.05)
        self._handle = handle
        return self

    def __exit__(self, *_: object) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            _unlock(handle)
            os.close(handle)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: int) -> bool:
        os.lseek(handle, 0, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)


def analysis_to_json(analysis: Analysis) -> str:
    return json.dumps(
        {
            "article_id": analysis.article_id,
            "pipeline": analysis.pipeline,
            "sentences": [[s.start, s.end, s.paragraph] for s in analysis.sentences],
            "mentions": [[m.text, m.label, m.start, m.end] for m in analysis.mentions],
            "entities_available": analysis.entities_available,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def analysis_from_json(text: str) -> Analysis:
    """The Analysis stored as ``text``; ValueError/KeyError/TypeError if it is not one."""
    data = json.loads(text)
    return Analysis(
        article_id=str(data["article_id"]),
        pipeline=str(data["pipeline"]),
        sentences=tuple(
            SentenceSpan(int(start), int(end), int(paragraph))
            for start, end, paragraph in data["sentences"]
        ),
        mentions=tuple(
            # A handful of labels repeat in every analysis held: one copy of each.
            Mention(str(text), sys.intern(str(label)), int(start), int(end))
            for text, label, start, end in data["mentions"]
        ),
        entities_available=bool(data["entities_available"]),
    )


def article_to_json(article: Article) -> str:
    return json.dumps(
        {
            "key": article.key,
            "title": article.title,
            "blocks": [[block.kind, block.text] for block in article.blocks],
            "source": article.source,
            "published": article.published,
            "url": article.url,
            "standfirst": article.standfirst,
            "origin": article.origin,
            "id": article.id,
        },
        # Escaped, because a key may hold a lone surrogate (an undecodable file name),
        # which SQLite cannot store as text.
        ensure_ascii=True,
        separators=(",", ":"),
    )


def article_from_json(text: str) -> Article:
    """The Article stored as ``text``; ValueError/KeyError/TypeError if it is not one."""
    data = json.loads(text)
    article = Article(
        key=str(data["key"]),
        title=str(data["title"]),
        blocks=tuple(Block(str(kind), str(text)) for kind, text in data["blocks"]),  # type: ignore[arg-type]
        source=str(data["source"]),
        published=str(data["published"]),
        url=str(data["url"]),
        standfirst=str(data["standfirst"]),
        origin=str(data["origin"]),
    )
    # The id hashes the whole normalised text; it was worked out when the article was
    # stored, and Article.id is a cached_property, which keeps its value in __dict__.
    article.__dict__["id"] = str(data["id"])
    return article


# SQLite allows this many "?" in one statement (999 in builds before 3.32).
_PARAMETERS_PER_QUERY = 900


def _in_slices(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _PARAMETERS_PER_QUERY):
        yield items[start : start + _PARAMETERS_PER_QUERY]


class _Database:
    """One SQLite connection shared between threads behind a lock, never raising."""

    def __init__(
        self, path: Path, schema: str, format_version: int, disposable: tuple[str, ...] = ()
    ) -> None:
        """``disposable`` tables are dropped when the file has another format version;
        a store without any (user data) moves such a file aside instead, and keeps what
        can still be read from a damaged file."""
        self.path = path
        self.warnings: list[str] = []
        self._schema = schema
        self._format = format_version
        self._disposable = disposable
        self._lock = threading.Lock()
        self._repaired = False
        self._connection = self._open()

    @property
    def persistent(self) -> bool:
        """False when the store fell back to memory and forgets everything on exit."""
        return self._connection_path != IN_MEMORY

    def _connect(self, target: str) -> sqlite3.Connection:
        connection = sqlite3.connect(target, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            # Without this every small write waits for the disk; a lost last write
            # after a power cut only costs a re-analysis or one read mark.
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, self._format):
                if not self._disposable:
                    raise sqlite3.DatabaseError(f"unknown format {version}")
                for table in self._disposable:
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.executescript(self._schema)
            connection.execute(f"PRAGMA user_version = {int(self._format)}")
            connection.commit()
        except BaseException:
            connection.close()
            raise
        return connection

    def _open(self) -> sqlite3.Connection:
        self._connection_path = IN_MEMORY
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = self._connect(str(self.path))
            self._connection_path = str(self.path)
            return connection
        except sqlite3.DatabaseError as problem:
            if is_damage(problem):
                connection = self._rebuilt(problem)
                if connection is not None:
                    return connection
            self.warnings.append(f"cannot use {self.path} ({problem}); nothing will be kept")
        except OSError as problem:
            reason = problem.strerror or str(problem)
            self.warnings.append(f"cannot use {self.path} ({reason}); nothing will be kept")
        return self._connect(IN_MEMORY)

    def _rebuilt(self, problem: BaseException) -> sqlite3.Connection | None:
        """A new database in place of the damaged one, which is moved aside; for user
        data, with every record that can still be read from it. None when that fails."""
        self._repaired = True
        moved = move_aside(self.path)
        if moved is None:
            return None
        try:
            connection = self._connect(str(self.path))
        except (sqlite3.Error, OSError):
            return None
        self._connection_path = str(self.path)
        note = ""
        if not self._disposable:
            kept = _salvage(connection, moved)
            note = f"; {kept} records recovered from it" if kept else ""
        self.warnings.append(f"{self.path} was damaged ({problem}); moved to {moved.name}{note}")
        return connection

    def _repair(self, problem: sqlite3.DatabaseError) -> bool:
        """After damage found in use: a sound connection again (another store may have
        rebuilt the file already), or the file rebuilt. Once per session."""
        if self._repaired or not self.persistent:
            return False
        self._repaired = True
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()
        try:
            damage = database_damage(self.path)
        except sqlite3.Error:
            damage = str(problem)
        connection = None
        if damage is None:
            with contextlib.suppress(sqlite3.Error, OSError):
                connection = self._connect(str(self.path))
        else:
            connection = self._rebuilt(damage)
        if connection is None:
            self._connection_path = IN_MEMORY
            self.warnings.append(f"cannot use {self.path} ({problem}); nothing will be kept")
            connection = self._connect(IN_MEMORY)
        self._connection = connection
        return True

    def run(self, action: Callable[[sqlite3.Connection], Any], default: Any = None) -> Any:
        """``action`` under the lock; a failing database gives ``default`` and a warning.
        A database found damaged in use is repaired and ``action`` tried once more."""
        with self._lock:
            for attempt in range(2):
                try:
                    result = action(self._connection)
                    self._connection.commit()
                    return result
                except sqlite3.Error as problem:
                    with contextlib.suppress(sqlite3.Error):
                        self._connection.rollback()
                    if attempt == 0 and is_damage(problem) and self._repair(problem):
                        continue
                    message = f"{self.path}: {problem}"
                    if message not in self.warnings:
                        self.warnings.append(message)
                    return default
            return default

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._connection.close()


_ANALYSIS_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    article_id TEXT NOT NULL, fingerprint TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (article_id, fingerprint));
CREATE TABLE IF NOT EXISTS articles (document TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS derived (
    article_id TEXT NOT NULL, fingerprint TEXT NOT NULL, request TEXT NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (article_id, fingerprint, request));
"""
_ANALYSIS_TABLES = ("analyses", "articles", "derived")

_STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS read_articles (
    article_id TEXT PRIMARY KEY, read_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS library_read (
    feed_url TEXT NOT NULL, entry_id TEXT NOT NULL, read_at REAL NOT NULL,
    PRIMARY KEY (feed_url, entry_id));
CREATE TABLE IF NOT EXISTS library_facts (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _salvage(connection: sqlite3.Connection, damaged: Path) -> int:
    """Copy every record still readable in ``damaged`` into the same tables of
    ``connection`` (each table up to its first unreadable page); how many."""
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    copied = 0
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(columns)
            insert = (
                f"INSERT OR IGNORE INTO {table} ({names}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            rows: list[Any] = []
            with contextlib.suppress(sqlite3.Error):
                cursor = source.execute(f"SELECT {names} FROM {table}")
                while batch := cursor.fetchmany(500):
                    rows.extend(batch)
            if rows:
                connection.executemany(insert, rows)
                copied += len(rows)
        connection.commit()
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            connection.rollback()
        return 0
    finally:
        source.close()
    return copied


class _Store:
    """What both stores share: their database, its warnings, closing."""

    _db: _Database

    @property
    def warnings(self) -> list[str]:
        return self._db.warnings

    @property
    def persistent(self) -> bool:
        return self._db.persistent

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class AnalysisCache(_Store):
    """What is worked out from an article and can be worked out again, at
    cache_dir()/analyses.sqlite3: analyses by (article id, pipeline fingerprint),
    structured articles by the document they came from, and what is worked out from an
    analysis (summaries, entity lists) by (article id, pipeline fingerprint, what was
    asked)."""

    def __init__(self, path: Path | None = None) -> None:
        target = path if path is not None else cache_dir() / ANALYSIS_DB_NAME
        self._db = _Database(Path(target), _ANALYSIS_SCHEMA, ANALYSIS_FORMAT, _ANALYSIS_TABLES)

    def get_many(self, article_ids: Sequence[str], fingerprint: str) -> dict[str, Analysis]:
        """The analyses held for any of ``article_ids``, by article id."""

        def rows(c: sqlite3.Connection) -> list[tuple[str, str]]:
            found: list[tuple[str, str]] = []
            for part in _in_slices(list(dict.fromkeys(article_ids))):
                marks = ", ".join("?" for _ in part)
                found.extend(
                    c.execute(
                        "SELECT article_id, data FROM analyses"
                        f" WHERE fingerprint = ? AND article_id IN ({marks})",
                        (fingerprint, *part),
                    ).fetchall()
                )
            return found

        analyses: dict[str, Analysis] = {}
        for article_id, data in self._db.run(rows, []):
            try:
                analysis = analysis_from_json(data)
            except (ValueError, KeyError, TypeError):
                continue  # an unreadable entry is a miss; the next put replaces it
            if analysis.article_id == article_id:
                analyses[article_id] = analysis
        return analyses

    def get_articles(self, documents: Sequence[str]) -> dict[str, Article]:
        """Articles structured before from the documents with these digests."""

        def rows(c: sqlite3.Connection) -> list[tuple[str, str]]:
            found: list[tuple[str, str]] = []
            for part in _in_slices(list(dict.fromkeys(documents))):
                marks = ", ".join("?" for _ in part)
                found.extend(
                    c.execute(
                        f"SELECT document, data FROM articles WHERE document IN ({marks})",
                        tuple(part),
                    ).fetchall()
                )
            return found

        articles: dict[str, Article] = {}
        for document, data in self._db.run(rows, []):
            try:
                articles[document] = article_from_json(data)
            except (ValueError, KeyError, TypeError):
                continue
        return articles

    def put_articles(self, articles: Iterable[tuple[str, Article]]) -> None:
        """Store (document digest, article) pairs in one transaction."""
        rows = [(document, article_to_json(article)) for document, article in articles]
        if rows:
            self._db.run(
                lambda c: c.executemany(
                    "INSERT OR REPLACE INTO articles (document, data) VALUES (?, ?)", rows
                )
            )

    def get_derived(
        self, article_ids: Sequence[str], fingerprint: str, request: str
    ) -> dict[str, Any]:
        """Results worked out from analyses for ``request`` (what was asked and the version
        of the code that answered: a summary at some length, an entity list), by article id.
        """

        def rows(c: sqlite3.Connection) -> list[tuple[str, str]]:
            found: list[tuple[str, str]] = []
            for part in _in_slices(list(dict.fromkeys(article_ids))):
                marks = ", ".join("?" for _ in part)
                found.extend(
                    c.execute(
                        "SELECT article_id, data FROM derived WHERE fingerprint = ?"
                        f" AND request = ? AND article_id IN ({marks})",
                        (fingerprint, request, *part),
                    ).fetchall()
                )
            return found

        results: dict[str, Any] = {}
        for article_id, data in self._db.run(rows, []):
            with contextlib.suppress(ValueError):
                results[article_id] = json.loads(data)
        return results

    def put_derived(
        self, results: Iterable[tuple[str, Any]], fingerprint: str, request: str
    ) -> None:
        """Store (article id, JSON-able result) pairs for ``request`` in one transaction."""
        rows = [
            (article_id, fingerprint, request, json.dumps(result, separators=(",", ":")))
            for article_id, result in results
        ]
        if rows:
            self._db.run(
                lambda c: c.executemany(
                    "INSERT OR REPLACE INTO derived"
                    " (article_id, fingerprint, request, data) VALUES (?, ?, ?, ?)",
                    rows,
                )
            )

    def get(self, article_id: str, fingerprint: str) -> Analysis | None:
        return self.get_many([article_id], fingerprint).get(article_id)

    def put(self, analysis: Analysis) -> None:
        self.put_many([analysis])

    def put_many(self, analyses: Iterable[Analysis]) -> None:
        """Store several analyses in one transaction."""
        rows = [(a.article_id, a.pipeline, analysis_to_json(a)) for a in analyses]
        self._db.run(
            lambda c: c.executemany(
                "INSERT OR REPLACE INTO analyses (article_id, fingerprint, data) VALUES (?, ?, ?)",
                rows,
            )
        )

    def __len__(self) -> int:
        return int(
            self._db.run(lambda c: c.execute("SELECT COUNT(*) FROM analyses").fetchone()[0], 0)
        )


class ReadState(_Store):
    """Which articles the user has read, at data_dir()/state.sqlite3."""

    def __init__(self, path: Path | None = None) -> None:
        target = path if path is not None else data_dir() / STATE_DB_NAME
        self._db = _Database(Path(target), _STATE_SCHEMA, STATE_FORMAT)

    def is_read(self, article_id: str) -> bool:
        row = self._db.run(
            lambda c: c.execute(
                "SELECT 1 FROM read_articles WHERE article_id = ?", (article_id,)
            ).fetchone()
        )
        return row is not None

    def set_read(self, article_id: str, read: bool = True) -> None:
        if read:
            self._db.run(
                lambda c: c.execute(
                    "INSERT OR REPLACE INTO read_articles (article_id, read_at) VALUES (?, ?)",
                    (article_id, time.time()),
                )
            )
        else:
            self._db.run(
                lambda c: c.execute("DELETE FROM read_articles WHERE article_id = ?", (article_id,))
            )

    def read_ids(self) -> set[str]:
        rows = self._db.run(
            lambda c: c.execute("SELECT article_id FROM read_articles").fetchall(), []
        )
        return {row[0] for row in rows}


class LibraryLedger(_Store):
    """What the feed library keeps outside its own file, so that rebuilding a damaged
    library loses nothing the user did: which of its stories were read (by feed address
    and entry id) and a few facts about the file. It shares the read-state database in
    the data dir, which no cache rebuild touches."""

    def __init__(self, path: Path | None = None) -> None:
        target = path if path is not None else data_dir() / STATE_DB_NAME
        self._db = _Database(Path(target), _STATE_SCHEMA, STATE_FORMAT)

    def set_read(self, entries: Iterable[tuple[str, str]], read: bool = True) -> None:
        """Record ``entries`` (feed address, entry id) as read or unread, in one go."""
        rows = list(entries)
        if read:
            now = time.time()
            self._db.run(
                lambda c: c.executemany(
                    "INSERT OR REPLACE INTO library_read (feed_url, entry_id, read_at) "
                    "VALUES (?, ?, ?)",
                    [(feed, entry, now) for feed, entry in rows],
                )
            )
        else:
            self._db.run(
                lambda c: c.executemany(
                    "DELETE FROM library_read WHERE feed_url = ? AND entry_id = ?", rows
                )
            )

    def read_entries(self) -> set[tuple[str, str]]:
        rows = self._db.run(
            lambda c: c.execute("SELECT feed_url, entry_id FROM library_read").fetchall(), []
        )
        return {(row[0], row[1]) for row in rows}

    def move_feed(self, old: str, new: str) -> None:
        """A feed's marks follow it to its new address."""
        self._db.run(
            lambda c: c.execute(
                "UPDATE OR REPLACE library_read SET feed_url = ? WHERE feed_url = ?", (new, old)
            )
        )

    def forget_before(self, when: float) -> None:
        """Drop marks made before ``when`` (a time.time() value): their stories have long
        left the feeds that brought them."""
        self._db.run(lambda c: c.execute("DELETE FROM library_read WHERE read_at < ?", (when,)))

    def fact(self, key: str) -> str | None:
        row = self._db.run(
            lambda c: c.execute("SELECT value FROM library_facts WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else str(row[0])

    def set_fact(self, key: str, value: str) -> None:
        self._db.run(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO library_facts (key, value) VALUES (?, ?)", (key, value)
            )
        )
