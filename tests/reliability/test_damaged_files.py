"""A damaged library, search index, read state or analysis cache is moved aside with one
line for the user and rebuilt, never fatal; the subscriptions, saved pages and read marks
come back (from the OPML backup beside the library and the ledger in the data dir). The
library is copied before the feed library migrates its schema. Loopback only."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from summarise.article import Analysis, SentenceSpan
from summarise.ingest.feeds import SUBSCRIPTIONS_BACKUP_NAME, Library, LibraryError
from summarise.store import STATE_DB_NAME, AnalysisCache, ReadState
from tests.reliability.conftest import FeedSite, Folders

FEEDS = 4
STORIES = 30
PAGE_SIZE = 4096


def zero_pages(path: Path, first: int, count: int) -> None:
    """Overwrite ``count`` pages from page ``first`` (0-based) with zeros, in place."""
    data = bytearray(path.read_bytes())
    assert len(data) > (first + count) * PAGE_SIZE, "the file is too small to damage"
    data[first * PAGE_SIZE : (first + count) * PAGE_SIZE] = bytes(count * PAGE_SIZE)
    path.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage": lambda path: path.write_bytes(b"\x8f\x00 this is no database \xff" * 4000),
    "empty-header": lambda path: path.write_bytes(path.read_bytes()[:100]),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "zeroed-pages": lambda path: zero_pages(path, 3, 12),
}


@pytest.fixture
def site(make_site: Callable[..., FeedSite]) -> FeedSite:
    return make_site(FEEDS, STORIES)


def filled_library(folders: Folders, site: FeedSite) -> tuple[set[str], str]:
    """A library subscribed to the site's feeds (one in a folder), updated, with a saved
    page and some stories marked read; (the keys marked read, the saved page's address)."""
    page = f"{site.base}/page/99/0"
    with Library(folders.library) as library:
        library.import_opml(site.opml())
        library.update()
        library.add_address(page)
        documents = library.documents()
        marked = {d.key for d in documents[::3]}
        for key in marked:
            library.set_read(key)
        library.set_read(documents[1].key)
        library.set_read(documents[1].key, read=False)  # unmarked again: stays unread
        assert library.warnings == []
    assert not folders.library.with_name(folders.library.name + "-wal").exists()
    return marked, page


def assert_all_back(folders: Folders, site: FeedSite, marked: set[str], page: str) -> None:
    with Library(folders.library) as library:
        assert sorted(feed.url for feed in library.feeds()) == sorted(site.urls())
        report = library.update()
        assert (report.updated, report.failures) == (FEEDS, [])
        documents = library.documents()
        assert len(documents) == FEEDS * STORIES + 1
        assert any(d.url == page and "corn exchange" in d.text for d in documents)
        unread = library.unread_keys()
        assert not marked & unread  # every read mark came back
        assert len(unread) == len(documents) - len(marked)


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_library_is_moved_aside_and_rebuilt_with_nothing_lost(
    folders: Folders, site: FeedSite, damage: str
) -> None:
    marked, page = filled_library(folders, site)
    DAMAGE[damage](folders.library)
    with Library(folders.library) as library:
        [warning] = library.warnings
        assert "\n" not in warning
        assert "was damaged" in warning and "rebuilt" in warning
        assert f"{FEEDS} subscriptions and 1 saved pages restored" in warning
        assert sorted(feed.url for feed in library.feeds()) == sorted(site.urls())
    aside = [p for p in folders.data.iterdir() if p.name.startswith("library.sqlite3.damaged-")]
    assert len(aside) == 1 and aside[0].stat().st_size > 0  # kept, never deleted
    assert_all_back(folders, site, marked, page)


def test_the_backup_of_the_subscriptions_follows_every_change(
    folders: Folders, site: FeedSite
) -> None:
    backup = folders.data / SUBSCRIPTIONS_BACKUP_NAME
    first, second, *_ = site.urls()
    with Library(folders.library) as library:
        library.import_opml(
            f'<opml version="2.0"><body><outline text="Local"><outline xmlUrl="{first}"/>'
            f'</outline><outline xmlUrl="{second}"/></body></opml>'.encode()
        )
        assert first in backup.read_text() and second in backup.read_text()
        library.remove_feed(second)
        assert second not in backup.read_text()
    # The backup is plain OPML: it can be imported anywhere, folders and all.
    with Library(folders.data / "elsewhere.sqlite3") as other:
        assert other.import_opml(backup.read_bytes()) == 1
        assert [(f.url, f.folder) for f in other.feeds()] == [(first, "Local")]


def test_a_library_without_a_backup_gets_one_when_opened(folders: Folders, site: FeedSite) -> None:
    filled_library(folders, site)
    backup = folders.data / SUBSCRIPTIONS_BACKUP_NAME
    backup.unlink()  # as left by a version of newsreader that kept no backup
    with Library(folders.library):
        pass
    assert all(url in backup.read_text() for url in site.urls())


def test_a_damaged_library_without_a_backup_still_opens_empty(
    folders: Folders, site: FeedSite
) -> None:
    filled_library(folders, site)
    (folders.data / SUBSCRIPTIONS_BACKUP_NAME).unlink()
    DAMAGE["garbage"](folders.library)
    with Library(folders.library) as library:
        [warning] = library.warnings
        assert "no backup of the subscriptions" in warning
        assert library.feeds() == []


def test_a_damaged_search_index_is_set_aside_and_the_library_kept(
    folders: Folders, site: FeedSite
) -> None:
    marked, _ = filled_library(folders, site)
    search = folders.library.with_name("library.sqlite3.search")
    assert search.exists()
    search.write_bytes(b"no index here " * 500)
    with Library(folders.library) as library:
        [warning] = library.warnings
        assert "search index" in warning and "was damaged" in warning
        assert len(library.documents()) == FEEDS * STORIES + 1  # nothing was rebuilt
        assert not marked & library.unread_keys()


def test_read_marks_survive_the_read_state_and_then_the_library_being_damaged(
    folders: Folders, site: FeedSite
) -> None:
    marked, page = filled_library(folders, site)
    state = folders.data / STATE_DB_NAME
    state.write_bytes(b"\x00\x01 broken" * 2000)
    with Library(folders.library) as library:
        assert any(STATE_DB_NAME in w and "damaged" in w for w in library.warnings)
        assert not marked & library.unread_keys()  # the library kept its own marks
    DAMAGE["truncated"](folders.library)  # now the other copy goes
    assert_all_back(folders, site, marked, page)


def test_a_library_is_copied_before_its_schema_is_migrated(
    folders: Folders, site: FeedSite
) -> None:
    filled_library(folders, site)
    with sqlite3.connect(folders.library) as connection:
        current = connection.execute("PRAGMA user_version").fetchone()[0]
        # An older schema, as an older feed library left it; the feed library migrates
        # it when it opens the file.
        connection.execute(f"PRAGMA user_version = {current - 1}")
    connection.close()
    backup = folders.data / f"library.sqlite3.backup-{current - 1}"
    with Library(folders.library) as library:
        [warning] = library.warnings
        assert f"schema {current - 1} to {current}" in warning and backup.name in warning
        assert len(library.feeds()) == FEEDS
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == current - 1
        assert copy.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    copy.close()
    with Library(backup) as old:  # the copy is a whole library
        assert sorted(f.url for f in old.feeds()) == sorted(site.urls())


def test_a_new_feed_library_that_migrates_nothing_leaves_no_copy(
    folders: Folders, site: FeedSite
) -> None:
    filled_library(folders, site)
    with sqlite3.connect(folders.data / STATE_DB_NAME) as state:
        # As if another version of the feed library had opened the file last.
        state.execute("UPDATE library_facts SET value = '0.1 ' || value WHERE key LIKE '%schema'")
    state.close()
    with Library(folders.library) as library:
        assert library.warnings == []
    assert not [p for p in folders.data.iterdir() if ".backup-" in p.name]


def test_a_library_from_a_newer_newsreader_is_refused_not_rebuilt(
    folders: Folders, site: FeedSite
) -> None:
    filled_library(folders, site)
    with sqlite3.connect(folders.library) as connection:
        connection.execute("PRAGMA user_version = 999")
    connection.close()
    before = folders.library.read_bytes()
    with pytest.raises(LibraryError, match="newer newsreader") as raised:
        Library(folders.library)
    assert "\n" not in str(raised.value)
    assert folders.library.read_bytes() == before
    assert sorted(p.name for p in folders.data.iterdir() if "library.sqlite3." in p.name) == [
        "library.sqlite3.lock",
        "library.sqlite3.search",
    ]


# -- the analysis cache and the read state ----------------------------------------------


def analysis(number: int) -> Analysis:
    return Analysis(
        article_id=f"article-{number}",
        pipeline="pipeline-1",
        sentences=tuple(SentenceSpan(n * 10, n * 10 + 9, 0) for n in range(40)),
        mentions=(),
        entities_available=False,
    )


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_analysis_cache_is_moved_aside_and_works_again(
    folders: Folders, damage: str
) -> None:
    path = folders.cache / "analyses.sqlite3"
    with AnalysisCache(path) as cache:
        cache.put_many(analysis(n) for n in range(400))
    DAMAGE[damage](path)
    with AnalysisCache(path) as cache:
        cache.get("article-5", "pipeline-1")  # may be lost: it is only a cache
        cache.put(analysis(1000))
        assert cache.get("article-1000", "pipeline-1") == analysis(1000)
        assert cache.persistent
        assert any("damaged" in warning for warning in cache.warnings)
    with AnalysisCache(path) as cache:  # and it stays repaired
        assert cache.get("article-1000", "pipeline-1") == analysis(1000)
        assert cache.warnings == []
    assert [p for p in folders.cache.iterdir() if ".damaged-" in p.name]


def test_a_read_state_damaged_in_use_keeps_the_marks_it_can_still_read(
    folders: Folders,
) -> None:
    path = folders.data / STATE_DB_NAME
    marks = {f"article-{n:05d}" for n in range(3000)}
    with ReadState(path) as state:
        for mark in sorted(marks):
            state.set_read(mark)
    zero_pages(path, 40, 3)  # a few pages near the end of the table
    with ReadState(path) as state:
        kept = state.read_ids()
        assert any("recovered" in warning for warning in state.warnings)
        assert kept <= marks and len(kept) > len(marks) // 2
        state.set_read("article-new")
        assert state.is_read("article-new")
    with ReadState(path) as state:
        assert state.is_read("article-new") and state.warnings == []
