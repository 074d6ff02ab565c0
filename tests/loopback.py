"""Helpers for tests that talk to a feed server on loopback (never the internet)."""

from __future__ import annotations

import socket


def refused_address() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.rss"


def opml_of(*urls: str) -> bytes:
    """An OPML subscription list of ``urls``."""
    outlines = "".join(f'<outline type="rss" text="f" xmlUrl="{url}"/>' for url in urls)
    return f'<opml version="2.0"><body>{outlines}</body></opml>'.encode()
