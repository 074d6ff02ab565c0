"""How the feed library fetches feeds: through the engine's one HTTP client, so a feed
gets the same limits as every page (a total deadline, a 10 MB cap after decompression,
at most five redirects, http and https only) and each site is asked politely, a couple
of feeds at a time, while feeds of other sites are fetched alongside.

`reader` lets a retriever be mounted per URL prefix; that hook lives on its parser
(`Reader._parser`), which reader documents as internal API for plugins (its own
user-agent plugin uses it). The version is pinned below 4 in pyproject.toml.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from summarise.ingest.web import FetchError, fetch, is_web_address, make_session

# Feeds of one site fetched at once: more would be impolite to a small server.
FEEDS_PER_HOST = 2


class FeedRetriever:
    """A reader retriever for http(s) feeds, with conditional requests (ETag and
    Last-Modified kept as reader's caching info)."""

    def __init__(self) -> None:
        self._session = make_session()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._hosts_lock = threading.Lock()

    def __enter__(self) -> FeedRetriever:
        return self

    def __exit__(self, *_: object) -> None:
        """The session is kept for the next update; reader enters this once per update."""

    def close(self) -> None:
        self._session.close()

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            return self._hosts.setdefault(host, threading.Semaphore(FEEDS_PER_HOST))

    @contextmanager
    def __call__(
        self, url: str, caching_info: Any = None, accept: str | None = None
    ) -> Iterator[Any]:
        from reader._parser import HTTPInfo, NotModified, RetrievedFeed, RetrieveError

        headers = {"A-IM": "feed"}
        if accept:
            headers["Accept"] = accept
        cached = caching_info if isinstance(caching_info, dict) else {}
        if isinstance(cached.get("etag"), str):
            headers["If-None-Match"] = cached["etag"]
        if isinstance(cached.get("last-modified"), str):
            headers["If-Modified-Since"] = cached["last-modified"]
        try:
            with self._host_slot(url):
                page = fetch(url, session=self._session, headers=headers)
        except FetchError as error:
            raise RetrieveError(url, message=str(error)) from None
        http_info = HTTPInfo(page.status, page.headers)
        if page.status == 304:
            raise NotModified(url, http_info=http_info)
        fresh: dict[str, str] = {}
        if page.headers.get("ETag"):
            fresh["etag"] = page.headers["ETag"]
        last_modified = page.headers.get("Last-Modified") or cached.get("last-modified")
        if isinstance(last_modified, str) and last_modified:
            fresh["last-modified"] = last_modified
        mime_type = page.content_type.split(";")[0].strip().lower() or None
        # Compression was undone while reading; the parser must not try again.
        headers_seen = {k: v for k, v in page.headers.items() if k.lower() != "content-encoding"}
        headers_seen.setdefault("content-location", page.url)
        yield RetrievedFeed(
            io.BytesIO(_without_controls(page.body)),
            mime_type,
            fresh or None,
            HTTPInfo(page.status, headers_seen),
        )

    def validate_url(self, url: str) -> None:
        if not is_web_address(url):
            raise ValueError("only http and https addresses are fetched")


# C0 controls other than tab and line ends: XML forbids them, and one escape code in a
# title would make the whole feed unreadable. In UTF-8 and the single-byte encodings they
# never occur inside another character, so the bytes can go before decoding.
_XML_FORBIDDEN = bytes(range(0x20)).translate(None, b"\t\n\r")


def _without_controls(body: bytes) -> bytes:
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body  # UTF-16: its zero bytes are half of every character
    return body.translate(None, _XML_FORBIDDEN)


def mount(reader: Any) -> FeedRetriever:
    """Make ``reader`` fetch http(s) feeds through a FeedRetriever; returns it."""
    retriever = FeedRetriever()
    parser = reader._parser
    # Its own retrievers are set up on first use; done now, so they cannot replace ours.
    parser.get_retriever("http://")
    for prefix in ("http://", "https://"):
        parser.mount_retriever(prefix, retriever)
    return retriever
