"""SQLite stores: cached analyses (safe to delete) and which articles have been read.

Neither store is ever fatal: a corrupt database is moved aside and rebuilt, and a
database that cannot be opened or written is replaced by an in-memory one. What went
wrong is kept in ``warnings`` for the interface to show.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Self

from summarise.article import Analysis, Mention, SentenceSpan
from summarise.config import cache_dir, data_dir

ANALYSIS_DB_NAME = "analyses.sqlite3"
STATE_DB_NAME = "state.sqlite3"

# Bumped whenever the stored layout changes; older caches are simply dropped.
ANALYSIS_FORMAT = 1
STATE_FORMAT = 1

IN_MEMORY = ":memory:"


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
            Mention(str(text), str(label), int(start), int(end))
            for text, label, start, end in data["mentions"]
        ),
        entities_available=bool(data["entities_available"]),
    )


class _Database:
    """One SQLite connection shared between threads behind a lock, never raising."""

    def __init__(
        self, path: Path, schema: str, format_version: int, disposable: tuple[str, ...] = ()
    ) -> None:
        """``disposable`` tables are dropped when the file has another format version;
        a store without any (user data) moves such a file aside instead."""
        self.path = path
        self.warnings: list[str] = []
        self._schema = schema
        self._format = format_version
        self._disposable = disposable
        self._lock = threading.Lock()
        self._connection = self._open()

    @property
    def persistent(self) -> bool:
        """False when the store fell back to memory and forgets everything on exit."""
        return self._connection_path != IN_MEMORY

    def _connect(self, target: str) -> sqlite3.Connection:
        connection = sqlite3.connect(target, check_same_thread=False, timeout=5.0)
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
            if self._is_corrupt(problem):
                moved = self._move_aside()
                if moved:
                    try:
                        connection = self._connect(str(self.path))
                        self._connection_path = str(self.path)
                        self.warnings.append(f"{self.path} was damaged; moved to {moved.name}")
                        return connection
                    except (sqlite3.Error, OSError) as second:
                        problem = second
            self.warnings.append(f"cannot use {self.path} ({problem}); nothing will be kept")
        except OSError as problem:
            reason = problem.strerror or str(problem)
            self.warnings.append(f"cannot use {self.path} ({reason}); nothing will be kept")
        return self._connect(IN_MEMORY)

    @staticmethod
    def _is_corrupt(problem: sqlite3.DatabaseError) -> bool:
        message = str(problem).lower()
        return any(word in message for word in ("not a database", "malformed", "unknown format"))

    def _move_aside(self) -> Path | None:
        aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
        try:
            self.path.replace(aside)
        except OSError:
            return None
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()
        return aside

    def run(self, action: Callable[[sqlite3.Connection], Any], default: Any = None) -> Any:
        """``action`` under the lock; a failing database gives ``default`` and a warning."""
        with self._lock:
            try:
                result = action(self._connection)
                self._connection.commit()
                return result
            except sqlite3.Error as problem:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.rollback()
                message = f"{self.path}: {problem}"
                if message not in self.warnings:
                    self.warnings.append(message)
                return default

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._connection.close()


_ANALYSIS_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    article_id TEXT NOT NULL, fingerprint TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (article_id, fingerprint));
"""

_STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS read_articles (
    article_id TEXT PRIMARY KEY, read_at REAL NOT NULL);
"""


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
    """Analyses by (article id, pipeline fingerprint), at cache_dir()/analyses.sqlite3."""

    def __init__(self, path: Path | None = None) -> None:
        target = path if path is not None else cache_dir() / ANALYSIS_DB_NAME
        self._db = _Database(Path(target), _ANALYSIS_SCHEMA, ANALYSIS_FORMAT, ("analyses",))

    def get(self, article_id: str, fingerprint: str) -> Analysis | None:
        row = self._db.run(
            lambda c: c.execute(
                "SELECT data FROM analyses WHERE article_id = ? AND fingerprint = ?",
                (article_id, fingerprint),
            ).fetchone()
        )
        if row is None:
            return None
        try:
            analysis = analysis_from_json(row[0])
        except (ValueError, KeyError, TypeError):
            return None  # an unreadable entry is a miss; the next put() replaces it
        return analysis if analysis.article_id == article_id else None

    def put(self, analysis: Analysis) -> None:
        data = analysis_to_json(analysis)
        self._db.run(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO analyses (article_id, fingerprint, data) VALUES (?, ?, ?)",
                (analysis.article_id, analysis.pipeline, data),
            )
        )

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
