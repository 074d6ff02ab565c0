"""Updating the library against a loopback server: wall time and requests of a first update
(every feed new) and a second one (every feed answers 304 Not Modified).

Two sites, served on 127.0.0.1 by a thread of this process, with made-up words only:
- full text: 50 feeds of 20 entries that carry their whole story (no page is fetched)
- teasers: 10 feeds of 20 one-sentence entries whose pages are fetched once, on the first
  update

Every feed has an ETag and a Last-Modified date and answers a matching conditional request
with 304. Nothing is asserted; the figures are printed.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.speed.corpus import _sentence, _word

FEEDS = 50
ITEMS = 20
TEASER_FEEDS = 10
STORY_SENTENCES = 16  # about 200 words: above the library's teaser threshold


@dataclass(frozen=True)
class _Resource:
    body: bytes
    content_type: str
    etag: str
    last_modified: str


class _Site:
    """Feeds and pages by path, and the requests they got as (method, path kind, status)."""

    def __init__(self) -> None:
        self.resources: dict[str, _Resource] = {}
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.lock = threading.Lock()

    def add(self, path: str, body: str, content_type: str, serial: int) -> None:
        when = time.gmtime(1_700_000_000 + serial)
        self.resources[path] = _Resource(
            body=body.encode(),
            content_type=content_type,
            etag=f'"{serial:x}"',
            last_modified=time.strftime("%a, %d %b %Y %H:%M:%S GMT", when),
        )

    def count(self, method: str, path: str, status: int) -> None:
        kind = "feed" if path.endswith(".rss") else "page"
        with self.lock:
            self.requests[(method, kind, status)] += 1


def _handler(site: _Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, with_body: bool) -> None:
            resource = site.resources.get(self.path)
            if resource is None:
                status, body, headers = 404, b"not here", {"Content-Type": "text/plain"}
            elif (
                self.headers.get("If-None-Match") == resource.etag
                or self.headers.get("If-Modified-Since") == resource.last_modified
            ):
                status, body, headers = 304, b"", {"ETag": resource.etag}
            else:
                status, body = 200, resource.body
                headers = {
                    "Content-Type": resource.content_type,
                    "ETag": resource.etag,
                    "Last-Modified": resource.last_modified,
                }
            site.count(self.command, self.path, status)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body and status != 304:
                self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

    return Handler


def _story(rng: random.Random, vocabulary: list[str]) -> tuple[str, list[str]]:
    names = [f"{_word(rng, 2).title()} {_word(rng, 2).title()}" for _ in range(3)]
    title = " ".join([names[0], *rng.sample(vocabulary, 4)]).capitalize()
    sentences = [_sentence(rng, vocabulary, names) for _ in range(STORY_SENTENCES)]
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return title, paragraphs


def _rss(base: str, feed: int, items: list[tuple[str, str, str]]) -> str:
    entries = []
    for item, (title, link, description) in enumerate(items):
        when = dt.datetime.fromtimestamp(1_700_000_000 - feed * 3600 - item * 60, dt.UTC)
        published = format_datetime(when, usegmt=True)
        entries.append(
            "<item>"
            f"<title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
            f"<guid isPermaLink='false'>feed-{feed}-item-{item}</guid>"
            f"<pubDate>{published}</pubDate>"
            f"<description>{html.escape(description)}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {feed}</title><link>{base}/</link>"
        f"<description>Made-up stories</description>{''.join(entries)}</channel></rss>"
    )


def _build(site: _Site, base: str, feeds: int, items: int, teasers: bool, seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = [_word(rng, rng.randint(1, 3)) for _ in range(2000)]
    serial = 0
    for feed in range(feeds):
        entries = []
        for item in range(items):
            title, paragraphs = _story(rng, vocabulary)
            link = f"{base}/pages/{feed}/{item}.html"
            if teasers:
                page = (
                    f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head>"
                    f"<body><nav><a href='/'>Home</a></nav><article>"
                    f"<h1>{html.escape(title)}</h1>"
                    + "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
                    + "</article></body></html>"
                )
                serial += 1
                site.add(f"/pages/{feed}/{item}.html", page, "text/html; charset=utf-8", serial)
                description = paragraphs[0].split(". ")[0] + "."
            else:
                description = "".join(f"<p>{text}</p>" for text in paragraphs)
            entries.append((title, link, description))
        serial += 1
        site.add(f"/feeds/{feed}.rss", _rss(base, feed, entries), "application/rss+xml", serial)


@contextmanager
def _serving(site: _Site) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class UpdateFigures:
    label: str
    seconds: float
    requests: Counter[tuple[str, str, int]]
    new_articles: int
    pages_fetched: int
    failures: int


def measure(
    feeds: int, items: int, *, teasers: bool, seed: int = 3
) -> tuple[list[UpdateFigures], int, float]:
    """The first and the second update of ``feeds`` subscribed feeds of ``items`` each;
    then the stories listed by documents() and the seconds that took."""
    from summarise.ingest.feeds import Library

    site = _Site()
    figures = []
    with _serving(site) as base, tempfile.TemporaryDirectory() as folder:
        _build(site, base, feeds, items, teasers, seed)
        urls = [f"{base}/feeds/{feed}.rss" for feed in range(feeds)]
        outlines = "".join(f'<outline type="rss" text="f" xmlUrl="{url}"/>' for url in urls)
        with Library(Path(folder) / "library.sqlite3") as library:
            library.import_opml(f'<opml version="2.0"><body>{outlines}</body></opml>'.encode())
            for label in ("first", "second"):
                site.requests.clear()
                started = time.perf_counter()
                report = library.update()
                seconds = time.perf_counter() - started
                figures.append(
                    UpdateFigures(
                        label,
                        seconds,
                        Counter(site.requests),
                        report.new_articles,
                        report.pages_fetched,
                        len(report.failures),
                    )
                )
            started = time.perf_counter()
            stories = len(library.documents())
            listing = time.perf_counter() - started
    return figures, stories, listing


def table(title: str, measured: tuple[list[UpdateFigures], int, float]) -> str:
    figures, stories, listing = measured
    columns = ("update", "seconds", "requests", "GET 200", "GET 304", "HEAD", "pages", "new")
    rows = [columns]
    for figure in figures:
        counts = figure.requests
        rows.append(
            (
                figure.label,
                f"{figure.seconds:.2f}",
                str(sum(counts.values())),
                str(sum(n for (m, _, s), n in counts.items() if m == "GET" and s == 200)),
                str(sum(n for (m, _, s), n in counts.items() if m == "GET" and s == 304)),
                str(sum(n for (m, _, _), n in counts.items() if m == "HEAD")),
                str(sum(n for (m, k, _), n in counts.items() if m == "GET" and k == "page")),
                str(figure.new_articles),
            )
        )
        if figure.failures:
            rows[-1] = (*rows[-1][:-1], f"{figure.new_articles} ({figure.failures} failed)")
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    lines = [title]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join(cells))
    lines.append(f"  documents(): {stories} stories listed in {listing:.2f} s")
    return "\n".join(lines)


def report(feeds: int = FEEDS, items: int = ITEMS, teaser_feeds: int = TEASER_FEEDS) -> str:
    parts = [
        table(
            f"feeds, full text: {feeds} feeds x {items} entries on 127.0.0.1",
            measure(feeds, items, teasers=False),
        )
    ]
    if teaser_feeds:
        parts.append(
            table(
                f"feeds, teasers: {teaser_feeds} feeds x {items} entries, pages fetched once",
                measure(teaser_feeds, items, teasers=True),
            )
        )
    return "\n\n".join(parts)


if __name__ == "__main__":
    print(report())
