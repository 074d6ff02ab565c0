"""One library used by several processes at once: two updates (cron and the user), and a
reader marking stories read while an update runs. No "database is locked" (nor any
other error) reaches anyone, no read mark and no story is lost. Loopback only."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from summarise.ingest.feeds import Library
from tests.reliability.conftest import REPO, FeedSite, Folders, subscribed_library

FEEDS = 24
STORIES = 30

MARKER = """
import json, sys, time
from pathlib import Path
from summarise.ingest.feeds import Library

stop = Path(sys.argv[1])
marked = []
with Library() as library:
    while True:
        last_round = stop.exists()
        for document in library.documents():
            if document.key not in marked:
                library.set_read(document.key)
                marked.append(document.key)
        if last_round:
            break
        time.sleep(0.01)
print(json.dumps(marked))
"""


UPDATE_ON_GO = """
import sys, time
from pathlib import Path
from tui.cli import main

print("ready", flush=True)
while not Path(sys.argv[1]).exists():
    time.sleep(0.001)
sys.exit(main(["update"]))
"""


def start(folders: Folders, *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *argv],
        cwd=REPO,
        env=folders.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    assert err == "", err  # no failure, no lock, no traceback
    return out


def assert_sound(folders: Folders) -> None:
    with sqlite3.connect(folders.library) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()


def test_two_updates_at_once_both_complete_and_lose_nothing(
    folders: Folders, make_site: Callable[..., FeedSite], tmp_path: Path
) -> None:
    site = make_site(FEEDS, STORIES, delay=0.03)
    subscribed_library(folders.library, site)
    go = tmp_path / "go"
    updates = [start(folders, "-c", UPDATE_ON_GO, str(go)) for _ in range(2)]
    for update in updates:  # both ready: started, imported, waiting
        assert update.stdout is not None and update.stdout.readline() == "ready\n"
    go.touch()
    outputs = [finish(update) for update in updates]
    for output in outputs:
        assert output.startswith(f"{FEEDS} of {FEEDS} feeds updated")
    # Between them every story arrived once: one update brought them, the other none.
    new = sorted(int(output.split(", ")[1].split()[0]) for output in outputs)
    assert new == [0, FEEDS * STORIES]
    assert_sound(folders)
    with Library(folders.library) as library:
        assert len(library.documents()) == FEEDS * STORIES
        assert all(feed.error == "" for feed in library.feeds())


def test_marks_made_while_an_update_runs_are_all_kept(
    folders: Folders, make_site: Callable[..., FeedSite], tmp_path: Path
) -> None:
    site = make_site(FEEDS, 5)
    subscribed_library(folders.library, site)
    with Library(folders.library) as library:
        assert library.update().failures == []
    site.stories = STORIES  # the next update brings new stories, slowly
    site.delay = 0.03
    stop = tmp_path / "stop"
    marker = start(folders, "-c", MARKER, str(stop))
    update = start(folders, "-m", "tui.cli", "update")
    update_output = finish(update)
    stop.touch()
    marked = set(json.loads(finish(marker)))
    assert update_output.startswith(f"{FEEDS} of {FEEDS} feeds updated")
    assert_sound(folders)
    with Library(folders.library) as library:
        documents = library.documents()
        assert len(documents) == FEEDS * STORIES
        assert len(marked) == FEEDS * STORIES  # the marker saw every story, new ones too
        assert library.unread_keys() == set()  # and every mark it made was kept


def test_a_second_update_waits_for_the_first_in_the_same_process(
    folders: Folders, make_site: Callable[..., FeedSite]
) -> None:
    """The app's update and a second Library object (as a command run from the app's
    shell would open) are two processes' worth of contention inside one."""
    import threading

    site = make_site(FEEDS, STORIES, delay=0.01)
    subscribed_library(folders.library, site)
    reports = []
    errors: list[BaseException] = []

    def update() -> None:
        try:
            with Library(folders.library) as library:
                reports.append(library.update())
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=update) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    assert sorted(report.new_articles for report in reports) == [0, FEEDS * STORIES]
    assert all(report.failures == [] for report in reports)


def test_a_mark_the_library_could_not_take_is_put_back_by_the_next_update(
    folders: Folders, make_site: Callable[..., FeedSite], monkeypatch
) -> None:
    import pytest

    from summarise.ingest.feeds import LibraryError

    site = make_site(2, 5)
    subscribed_library(folders.library, site)
    with Library(folders.library) as library:
        library.update()
        key = library.documents()[0].key

        def locked(*_: object) -> None:
            raise sqlite3.OperationalError("database is locked")

        # Another process holding the library past every wait, as long as this lasts.
        monkeypatch.setattr(library._reader, "set_entry_read", locked)
        with pytest.raises(LibraryError, match="locked too long; try again"):
            library.set_read(key)
        monkeypatch.undo()
        assert key in library.unread_keys()
    with Library(folders.library) as library:
        assert library.update().failures == []
        assert key not in library.unread_keys()  # the ledger had it
