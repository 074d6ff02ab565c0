"""Any bytes a server answers for a feed (and for the pages its entries link) end as a
report, never an exception; every story the library keeps is safe to show. Served from
loopback; nothing leaves 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from summarise.ingest import feeds as feeds_module
from summarise.ingest.feeds import Library, LibraryError
from summarise.ingest.web import FetchError
from summarise.sources import LoadProblem, structure_documents
from tests.properties.budget import examples
from tests.properties.strategies import (
    FEED_KINDS,
    assert_screen_safe,
    feed_bytes,
    html_page_text,
    mutated,
    scratch_folder,
)
from tests.properties.test_structure import assert_article_invariants

CONTENT_TYPES = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/xml; charset=koi8-r",
    "text/xml; charset=utf-8",
    "text/html; charset=utf-8",
    "text/plain",
    "application/octet-stream",
    "",
]


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def _only_loopback(real_fetch: Any) -> Any:
    """The library's page fetches, refused for any host but the test server's."""

    def fetch(url: str, **kwargs: Any) -> Any:
        if urlsplit(url).hostname != "127.0.0.1":
            raise FetchError("cannot connect (only loopback in the property tests)")
        return real_fetch(url, **kwargs)

    return fetch


# Entries link their page by a relative address, which the feed parser resolves against
# the feed's: the examples do not depend on the test server's port.
PAGE = "/page"


@st.composite
def answers(draw: st.DrawFn) -> tuple[str, bytes, bytes]:
    """(content type, feed body, body of the page the entries link): a feed of each kind,
    mostly with its own content type, or arbitrary bytes."""
    kind = draw(st.sampled_from([*FEED_KINDS, "rss", "atom", "bytes"]))
    content_type = draw(
        st.sampled_from(CONTENT_TYPES)
        if kind == "bytes" or draw(st.integers(0, 3)) == 0
        else st.just(FEED_KINDS[kind])
    )
    page = draw(
        st.one_of(
            html_page_text().map(lambda page: page.encode("utf-8", "replace")).flatmap(mutated),
            st.binary(max_size=500),
        )
    )
    return content_type, draw(feed_bytes(PAGE, kind)), page


ATOM_TEASER = (
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    b"<title>t</title><id>urn:feed</id><updated>2024-06-04T10:00:00Z</updated><entry>"
    b'<title>t</title><id>urn:0</id><link rel="alternate" href="HREF"/>'
    b'<updated>2024-06-04T10:00:00Z</updated><content type="html">Short.</content>'
    b"</entry></feed>"
)


@pytest.fixture(scope="module")
def serve(server: HTTPServer) -> Any:
    def answer(content_type: str, feed: bytes, page: bytes) -> str:
        server.clear()
        server.expect_request("/feed").respond_with_data(feed, content_type=content_type)
        server.expect_request(PAGE).respond_with_data(page, content_type="text/html")
        return server.url_for("/feed")

    return answer


@examples(100)
@given(answer=answers())
# Found by this property: a teaser linking a binary page (a PDF, an image) ended the
# whole update with an exception from decoding the page.
@example(answer=("application/atom+xml", ATOM_TEASER.replace(b"HREF", b"/page"), b"\x00%PDF"))
# Found by this property: a control character in an entry's link reached the story's URL.
@example(answer=("application/atom+xml", ATOM_TEASER.replace(b"HREF", b"\x7f/page"), b""))
def test_any_feed_gives_a_report_and_safe_stories(
    serve: Any, answer: tuple[str, bytes, bytes]
) -> None:
    feed_url = serve(*answer)
    with (
        scratch_folder() as folder,
        patch.object(feeds_module, "fetch", _only_loopback(feeds_module.fetch)),
        Library(Path(folder) / "library.sqlite3") as library,
    ):
        library.import_opml(
            f'<opml version="2.0"><body><outline xmlUrl="{feed_url}"/></body></opml>'.encode()
        )
        report = library.update()
        assert report.feeds == 1
        assert report.updated + len(report.failures) == 1, report
        for url, why in report.failures:
            assert url == feed_url
            assert why.strip()
            assert_screen_safe(why, "failure", one_line=True)
        for info in library.feeds():
            assert_screen_safe(info.title, "feed title", one_line=True)
            assert_screen_safe(info.error, "feed error", one_line=True)
        documents = library.documents()
    event("feed failed" if report.failures else f"feed updated, {min(len(documents), 2)}+ stories")
    event(f"pages fetched: {report.pages_fetched}")
    for document in documents:
        assert_screen_safe(document.title, "title", one_line=True)
        assert_screen_safe(document.source, "source", one_line=True)
        assert_screen_safe(document.url, "url", one_line=True)
        assert_screen_safe(document.published, "published", one_line=True)
        assert_screen_safe(document.text, "text")
        assert document.text.strip()
    problems: list[LoadProblem] = []
    for article in structure_documents(documents, problems):
        assert_article_invariants(article)
    for problem in problems:
        assert_screen_safe(problem.message, "problem", one_line=True)


@examples(40)
@given(answer=answers(), the_page=st.booleans())
# Found by this property: an address serving binary data (a PDF) ended add_address with
# an exception from decoding it instead of a LibraryError.
@example(answer=("application/pdf", b"", b"\x00%PDF-1.7"), the_page=True)
def test_any_address_is_saved_subscribed_or_refused_in_one_line(
    serve: Any, answer: tuple[str, bytes, bytes], the_page: bool
) -> None:
    feed_url = serve(*answer)
    address = feed_url.removesuffix("/feed") + PAGE if the_page else feed_url
    with (
        scratch_folder() as folder,
        patch.object(feeds_module, "fetch", _only_loopback(feeds_module.fetch)),
        Library(Path(folder) / "library.sqlite3") as library,
    ):
        try:
            done = library.add_address(address)
        except LibraryError as error:
            done = str(error)
            event("refused")
        else:
            event(done.split()[0])
        assert_screen_safe(done, "what was done", one_line=True)
        documents = library.documents()
    for document in documents:
        assert_screen_safe(document.title, "title", one_line=True)
        assert_screen_safe(document.url, "url", one_line=True)
        assert_screen_safe(document.text, "text")
