"""Shared by the reliability tests: private folders for every store, a threaded loopback
server, and invented feeds (the outlets, places and people are fictional, as in
tests/fixtures/feeds) generated in any number."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from summarise.ingest.feeds import LIBRARY_DB_NAME, Library

REPO = Path(__file__).resolve().parents[2]
TOWNS = ("Harrowby", "Quillon Bay", "Aldermere", "Scarth Moor", "Wyvenhoe", "Tollesby")
SENTENCE = (
    "The parish council of {town} met on Tuesday evening and agreed, after a long debate "
    "that ran well past ten o'clock, to keep the reading room open through the winter "
    "while the roof of the old corn exchange is repaired by volunteers. "
)


@dataclass
class Folders:
    data: Path
    cache: Path
    config: Path

    @property
    def library(self) -> Path:
        return self.data / LIBRARY_DB_NAME

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            NEWSREADER_DATA_DIR=str(self.data),
            NEWSREADER_CACHE_DIR=str(self.cache),
            NEWSREADER_CONFIG_DIR=str(self.config),
            PYTHONPATH=str(REPO),
        )
        return env


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Folders:
    """Every store in tmp_path, for this process and the processes it starts."""
    made = Folders(tmp_path / "data", tmp_path / "cache", tmp_path / "config")
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(made.data))
    monkeypatch.setenv("NEWSREADER_CACHE_DIR", str(made.cache))
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(made.config))
    return made


def story_text(feed: int, story: int) -> str:
    town = TOWNS[(feed + story) % len(TOWNS)]
    return (SENTENCE.format(town=town) * 6).strip()


def feed_xml(base: str, feed: int, stories: int, *, teasers: int = 0) -> str:
    """RSS for the invented "{town} Ledger" number ``feed``: ``stories`` full stories,
    the first ``teasers`` of them only a line whose page is /page/<feed>/<story>."""
    items = []
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)  # recent: retention keeps them
    for story in range(stories):
        town = TOWNS[(feed + story) % len(TOWNS)]
        text = (
            f"{town} reading room stays open."
            if story < teasers
            else f"<p>{story_text(feed, story)}</p>"
        )
        items.append(
            f"<item><title>{town} council, item {feed}-{story}</title>"
            f"<link>{base}/page/{feed}/{story}</link><guid>ledger-{feed}-{story}</guid>"
            f"<pubDate>{format_datetime(now - dt.timedelta(hours=story), usegmt=True)}</pubDate>"
            f"<description><![CDATA[{text}]]></description></item>"
        )
    town = TOWNS[feed % len(TOWNS)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>The {town} Ledger {feed}</title><link>{base}/</link>"
        f"<description>Invented news</description>{''.join(items)}</channel></rss>"
    )


def page_html(feed: int, story: int) -> str:
    paragraphs = "".join(f"<p>{story_text(feed, story + n)}</p>" for n in range(3))
    return (
        f"<html><head><title>Item {feed}-{story}</title></head><body><article>"
        f"<h1>Item {feed}-{story}</h1>{paragraphs}</article></body></html>"
    )


@dataclass
class FeedSite:
    """Invented feeds on a threaded loopback server: ``feeds`` feeds of ``stories``
    stories (``teasers`` of them with their text on a page), each answer delayed by
    ``delay`` seconds. ``arrived`` counts requests as they arrive."""

    server: HTTPServer
    feeds: int
    stories: int
    teasers: int = 0
    delay: float = 0.0
    arrived: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return self.server.url_for("/").rstrip("/")

    def urls(self) -> list[str]:
        return [f"{self.base}/ledger/{n}.rss" for n in range(self.feeds)]

    def opml(self) -> bytes:
        outlines = "".join(f'<outline type="rss" text="f" xmlUrl="{u}"/>' for u in self.urls())
        return f'<opml version="2.0"><body>{outlines}</body></opml>'.encode()

    def answer(self, request: Request) -> Response:
        with self._lock:
            self.arrived += 1
        if self.delay:
            time.sleep(self.delay)
        parts = request.path.strip("/").split("/")
        if parts[0] == "ledger":
            feed = int(parts[1].removesuffix(".rss"))
            body = feed_xml(self.base, feed, self.stories, teasers=self.teasers)
            return Response(body, content_type="application/rss+xml")
        if parts[0] == "page":
            return Response(page_html(int(parts[1]), int(parts[2])), content_type="text/html")
        return Response("not here", status=404)

    def wait_for(self, requests: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.arrived < requests:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {self.arrived} of {requests} requests arrived")
            time.sleep(0.005)


@pytest.fixture
def make_site() -> Iterator[Callable[..., FeedSite]]:
    servers: list[HTTPServer] = []

    def make(feeds: int, stories: int, **options: float) -> FeedSite:
        server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        site = FeedSite(server, feeds, stories, **options)  # type: ignore[arg-type]
        server.expect_request(re.compile(r"^/.*$")).respond_with_handler(site.answer)
        server.start()
        servers.append(server)
        return site

    yield make
    for server in servers:
        server.clear()
        server.stop()


def subscribed_library(path: Path, site: FeedSite) -> None:
    """A library at ``path`` subscribed to every feed of ``site``."""
    with Library(path) as library:
        assert library.import_opml(site.opml()) == site.feeds


def run_python(code: str, folders: Folders, *args: str, timeout: float = 120) -> str:
    """Run ``code`` in a new Python process with the stores in ``folders``; its stdout.
    Fails with its stderr when it fails."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=folders.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
