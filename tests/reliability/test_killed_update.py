"""`newsreader update` killed with SIGKILL at any moment (while feeds arrive, while their
stories are stored, while the pages of teasers are fetched) leaves a library that opens,
lists every subscription, and updates completely the next time. Loopback only."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from summarise.ingest.feeds import Library
from tests.reliability.conftest import REPO, FeedSite, Folders, subscribed_library

FEEDS = 16
STORIES = 25
TEASERS = 2  # per feed: their pages are fetched after the feeds
# Requests arrive in this order: the feeds (GET), a HEAD per feed that brought stories,
# then the teasers' pages one at a time.
KILL_AFTER = {
    "while-opening": 0,
    "first-feed": 1,
    "feeds-arriving": FEEDS // 2,
    "feeds-stored": FEEDS + 2,
    "moves-checked": FEEDS * 2 - 2,
    "pages-fetched": FEEDS * 2 + FEEDS,
}


def start_update(folders: Folders) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "update"],
        cwd=REPO,
        env=folders.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_after(folders: Folders, site: FeedSite, requests: int) -> None:
    """Start an update and SIGKILL it once ``requests`` requests have arrived (0: while
    it starts and opens the library)."""
    site.arrived = 0
    update = start_update(folders)
    try:
        if requests:
            deadline = time.monotonic() + 60
            while site.arrived < requests and update.poll() is None:
                assert time.monotonic() < deadline, "the update never got that far"
                time.sleep(0.002)
        else:
            time.sleep(0.4)
        assert update.poll() is None, "the update ended before it could be killed"
    finally:
        update.send_signal(signal.SIGKILL)
        update.wait(timeout=30)
        if update.stderr is not None:
            update.stderr.close()


def assert_whole_and_updatable(folders: Folders, site: FeedSite) -> None:
    with sqlite3.connect(folders.library) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    site.delay = 0.0
    following = subprocess.run(
        [sys.executable, "-m", "tui.cli", "update"],
        cwd=REPO,
        env=folders.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert following.returncode == 0, following.stderr
    assert following.stderr == ""  # no failure, nothing repaired, nothing locked
    assert following.stdout.startswith(f"{FEEDS} of {FEEDS} feeds updated")
    with Library(folders.library) as library:
        assert library.warnings == []
        assert sorted(feed.url for feed in library.feeds()) == sorted(site.urls())
        assert all(feed.error == "" for feed in library.feeds())
        documents = library.documents()
        assert len(documents) == FEEDS * STORIES
        teasers = [d for d in documents if "item" in d.title and d.key.endswith(("-0", "-1"))]
        assert len(teasers) == FEEDS * TEASERS
        assert all("corn exchange" in d.text for d in teasers)  # their pages were fetched


@pytest.mark.parametrize("moment", list(KILL_AFTER), ids=list(KILL_AFTER))
def test_an_update_killed_at_any_moment_leaves_a_library_that_updates(
    folders: Folders, make_site: Callable[..., FeedSite], moment: str
) -> None:
    site = make_site(FEEDS, STORIES, teasers=TEASERS, delay=0.02)
    subscribed_library(folders.library, site)
    kill_after(folders, site, KILL_AFTER[moment])
    assert_whole_and_updatable(folders, site)


def test_updates_killed_again_and_again_leave_a_library_that_updates(
    folders: Folders, make_site: Callable[..., FeedSite]
) -> None:
    site = make_site(FEEDS, STORIES, teasers=TEASERS, delay=0.02)
    subscribed_library(folders.library, site)
    for requests in (3, FEEDS + 1, FEEDS * 2 + 5, 1):
        kill_after(folders, site, requests)
    assert_whole_and_updatable(folders, site)
