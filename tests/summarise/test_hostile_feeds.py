"""Feeds that misbehave, served from loopback: each ends as one clear line for that feed
while the others still update. The feeds are invented (tests/fixtures/feeds)."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from summarise.ingest import web
from summarise.ingest.feeds import Library
from tests.loopback import opml_of
from tests.summarise.test_library import fixture_text, requests_to, serve


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library.sqlite3") as opened:
        yield opened


def subscribe(library: Library, *urls: str) -> None:
    library.import_opml(opml_of(*urls))


def failures_of(library: Library) -> dict[str, str]:
    report = library.update()
    assert report.updated >= 1, report  # the good feed always updates
    return dict(report.failures)


@pytest.fixture
def good_feed(httpserver: HTTPServer) -> str:
    return serve(httpserver, "/good.rss", "courier.rss")


def test_a_feed_larger_than_the_cap_is_refused(
    httpserver: HTTPServer, library: Library, good_feed: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(web, "MAX_RESPONSE_BYTES", 2_000)
    big = httpserver.url_for("/big.rss")
    httpserver.expect_request("/big.rss").respond_with_data(
        fixture_text(httpserver, "courier.rss") + "<!--" + "x" * 5_000 + "-->",
        content_type="application/rss+xml",
    )
    subscribe(library, good_feed, big)
    assert failures_of(library) == {big: "larger than 1 KB"}


def test_a_compressed_feed_that_inflates_past_the_cap_is_refused(
    httpserver: HTTPServer, library: Library, good_feed: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(web, "MAX_RESPONSE_BYTES", 50_000)
    bomb = httpserver.url_for("/bomb.rss")
    inflated = b"<rss><channel>" + b" " * 5_000_000 + b"</channel></rss>"
    httpserver.expect_request("/bomb.rss").respond_with_data(
        gzip.compress(inflated),
        content_type="application/rss+xml",
        headers={"Content-Encoding": "gzip"},
    )
    subscribe(library, good_feed, bomb)
    assert "larger than" in failures_of(library)[bomb]


def test_a_server_that_trickles_is_cut_off_at_the_deadline(
    library: Library, good_feed: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(web, "DEADLINE_SECONDS", 1.0)

    def trickle(_: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b'<?xml version="1.0"?><rss version="2.0"><channel>'
            for _ in range(40):  # one byte every 0.1 s: never a read timeout
                time.sleep(0.1)
                yield b" "
            yield b"</channel></rss>"

        return Response(body(), content_type="application/rss+xml")

    # A second server: the test server answers one request at a time, and the trickling
    # one must not hold up the good feed.
    slow_server = HTTPServer(host="127.0.0.1", port=0)
    slow_server.expect_request("/slow.rss").respond_with_handler(trickle)
    slow_server.start()
    try:
        slow = slow_server.url_for("/slow.rss")
        subscribe(library, good_feed, slow)
        started = time.monotonic()
        failures = failures_of(library)
        assert failures[slow] == "took longer than 1 s"
        assert time.monotonic() - started < 3.5
    finally:
        slow_server.clear()
        slow_server.stop()


def test_redirect_loops_and_redirects_away_from_the_web_are_one_line_each(
    httpserver: HTTPServer, library: Library, good_feed: str
):
    loop = httpserver.url_for("/loop.rss")
    away = httpserver.url_for("/away.rss")
    httpserver.expect_request("/loop.rss").respond_with_data(
        "", status=302, headers={"Location": "/loop.rss"}
    )
    httpserver.expect_request("/away.rss").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    subscribe(library, good_feed, loop, away)
    failures = failures_of(library)
    assert failures[loop] == f"more than {web.MAX_REDIRECTS} redirects"
    assert len(requests_to(httpserver, "/loop.rss")) == web.MAX_REDIRECTS + 1
    assert away in failures and "\n" not in failures[away]
    assert "passwd" not in "".join(doc.text for doc in library.documents())


def test_feeds_are_fetched_with_our_user_agent_and_conditional_headers(
    httpserver: HTTPServer, library: Library
):
    etag = '"v1"'
    httpserver.expect_request("/tagged.rss").respond_with_data(
        fixture_text(httpserver, "courier.rss"),
        content_type="application/rss+xml",
        headers={"ETag": etag},
    )
    tagged = httpserver.url_for("/tagged.rss")
    subscribe(library, tagged)
    library.update()
    library.update()
    first, second = requests_to(httpserver, "/tagged.rss")
    assert first.headers["User-Agent"].startswith("newsreader")
    assert "If-None-Match" not in first.headers
    assert second.headers["If-None-Match"] == etag


XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>Harbour Notes</title>
<item><title>Tide tables &secret;</title><guid>xxe-1</guid>
<description>The harbour master published the tide tables for June on Monday, and the
ferry timetable will follow them. &secret;</description></item>
</channel></rss>"""

BOMB_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rss version="2.0"><channel><title>Harbour Notes</title>
<item><title>Bomb</title><guid>bomb-1</guid><description>&f;</description></item>
</channel></rss>"""

HOSTILE_TEXT_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour [bold]Notes[/bold]\x1b[2J</title>
<item><title>Ferry \x1b[31mtimes\x1b[0m [link=https://evil.example]change[/link]</title>
<guid>text-1</guid><link>javascript:alert(1)</link>
<description>The ferry to Skelda will leave at nine from Monday, the harbour office said,
and the evening sailing moves to half past six.\x07</description></item>
</channel></rss>"""


def test_external_entities_are_never_resolved(
    httpserver: HTTPServer, library: Library, good_feed: str, tmp_path: Path
):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    httpserver.expect_request("/xxe.rss").respond_with_data(
        XXE_FEED.replace("{secret}", str(secret)), content_type="application/rss+xml"
    )
    subscribe(library, good_feed, httpserver.url_for("/xxe.rss"))
    library.update()
    stored = " ".join(doc.title + " " + doc.text for doc in library.documents())
    assert "TOP-SECRET-CONTENT" not in stored


def test_an_entity_expansion_bomb_is_one_line_and_never_expanded(
    httpserver: HTTPServer, library: Library, good_feed: str
):
    bomb = httpserver.url_for("/bomb.rss")
    httpserver.expect_request("/bomb.rss").respond_with_data(
        BOMB_FEED, content_type="application/rss+xml"
    )
    subscribe(library, good_feed, bomb)
    started = time.monotonic()
    report = library.update()
    assert time.monotonic() - started < 10
    assert report.updated >= 1
    assert all(len(doc.text) < 100_000 for doc in library.documents())


def test_escape_codes_markup_and_script_links_in_a_feed_stay_inert(
    httpserver: HTTPServer, library: Library
):
    httpserver.expect_request("/text.rss").respond_with_data(
        HOSTILE_TEXT_FEED, content_type="application/rss+xml"
    )
    subscribe(library, httpserver.url_for("/text.rss"))
    library.update()
    (document,) = library.documents()
    for field in (document.title, document.source, document.text):
        assert "\x1b" not in field and "\x07" not in field
    assert "[link=https://evil.example]change[/link]" in document.title  # shown as text
    assert document.url == ""  # a javascript: link is never kept as the story's link
    (feed,) = library.feeds()
    assert "\x1b" not in feed.title
