"""A full disk or a read-only folder while exporting or updating is one clear line, never
a traceback, and leaves no partial file; the library still opens afterwards and the next
update completes. Tests run as root in CI, where chmod stops nothing: there the read-only
folder is a path under a file, or SQLite's own read-only switch, and the full disk is
ENOSPC raised where the operating system would raise it, or SQLite's page limit."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from summarise import export
from summarise.ingest.feeds import SUBSCRIPTIONS_BACKUP_NAME, Library
from summarise.sources import seeds_path
from tests.reliability.conftest import FeedSite, Folders, subscribed_library
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def every_file(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def no_space(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# -- export ---------------------------------------------------------------------------


def test_export_below_a_file_is_one_line_and_writes_nothing(
    folders: Folders, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    code, _, err = run(capsys, "export", str(seeds_path()), "--to", str(blocker / "notes"))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("newsreader: cannot write")
    assert blocker.read_text() == "a file"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_export_to_a_full_disk_is_one_line_and_leaves_no_partial_file(
    folders: Folders,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
) -> None:
    notes = tmp_path / "notes"
    monkeypatch.setattr(export.os, failing, no_space)
    code, out, err = run(capsys, "export", str(seeds_path()), "--to", str(notes), "--force")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "No space left on device" in err
    assert every_file(notes) == []  # neither the file nor its temporary copy


def test_export_without_hard_links_to_a_full_disk_leaves_no_empty_file(
    folders: Folders,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notes = tmp_path / "notes"

    def no_links(*_: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(export.os, "link", no_links)
    monkeypatch.setattr(export.os, "replace", no_space)
    code, _, err = run(capsys, "export", str(seeds_path()), "--to", str(notes))
    assert code == 2 and "No space left on device" in err
    assert every_file(notes) == []


# -- update ---------------------------------------------------------------------------


@pytest.fixture
def site(make_site: Callable[..., FeedSite]) -> FeedSite:
    return make_site(6, 20)


@pytest.fixture
def library_files(folders: Folders, site: FeedSite) -> Folders:
    """A library subscribed to the site, updated once before the site had new stories."""
    site.stories = 2
    subscribed_library(folders.library, site)
    with Library(folders.library) as library:
        assert library.update().failures == []
    site.stories = 20
    return folders


@pytest.fixture
def library_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """SQL run on every new connection to the library file (not to the other stores)."""
    statements: list[str] = []
    connect = sqlite3.connect

    def connect_then_run(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(database, *args, **kwargs)
        if str(database).endswith("library.sqlite3"):
            for statement in statements:
                connection.execute(statement)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_then_run)
    yield statements


def assert_opens_and_updates(folders: Folders, site: FeedSite) -> None:
    with Library(folders.library) as library:
        assert library.warnings == []
        assert len(library.feeds()) == site.feeds
        report = library.update()
        assert (report.updated, report.failures) == (site.feeds, [])
        assert len(library.documents()) == site.feeds * site.stories


def test_an_update_on_a_full_disk_is_one_line_and_the_library_survives(
    library_files: Folders,
    site: FeedSite,
    library_connections: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    pages = sqlite3.connect(library_files.library).execute("PRAGMA page_count").fetchone()[0]
    # SQLite's answer when a database cannot grow is the one a full disk gives.
    library_connections.append(f"PRAGMA max_page_count = {pages}")
    code, out, err = run(capsys, "update")
    assert code == 2 and out == ""
    assert err == f"newsreader: the library {library_files.library}: the disk is full\n"
    library_connections.clear()
    assert_opens_and_updates(library_files, site)


def test_an_update_on_a_read_only_library_is_one_line_and_the_library_survives(
    library_files: Folders,
    site: FeedSite,
    library_connections: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    library_connections.append("PRAGMA query_only = 1")
    code, out, err = run(capsys, "update")
    assert code == 2 and out == ""
    assert err == (
        f"newsreader: the library {library_files.library}: its folder or file is read-only\n"
    )
    library_connections.clear()
    assert_opens_and_updates(library_files, site)


def test_a_backup_that_cannot_be_written_is_a_warning_and_leaves_no_partial_file(
    folders: Folders, site: FeedSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(folders.library) as library:
        monkeypatch.setattr(export.os, "fsync", no_space)
        library.import_opml(site.opml())
        [warning] = library.warnings
        assert "cannot keep the backup" in warning and "No space left" in warning
        assert len(library.feeds()) == site.feeds  # the subscriptions themselves are kept
    kept = ["library.sqlite3", "library.sqlite3.search", "state.sqlite3"]
    assert every_file(folders.data) == kept  # no backup, no temporary copy of it
    monkeypatch.undo()
    with Library(folders.library):  # the backup is made when it can be
        pass
    assert (folders.data / SUBSCRIPTIONS_BACKUP_NAME).is_file()
