"""URL -> bytes over HTTP: the one client of the engine (requests, as the feed library
uses), with timeouts, a total deadline, a size cap, few redirects and http(s) only."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

# Far beyond any news page or feed; a response that grows past it is cut off and refused.
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
# A feed that answers with one of these has moved for good: its stored address follows.
PERMANENT_REDIRECTS = (301, 308)
CONNECT_SECONDS = 5.0
READ_SECONDS = 15.0
# A server that sends a byte a second never trips the read timeout; the deadline does.
DEADLINE_SECONDS = 30.0
USER_AGENT = "newsreader (terminal news reader; +https://pypi.org/project/newsreader/)"
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A page or feed that could not be fetched; the message is one line for the user."""


@dataclass(frozen=True)
class Fetched:
    url: str  # where the content came from, after redirects
    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str]  # looked up in any case, as HTTP header names are


def is_web_address(text: str) -> bool:
    """True for an http(s) address, the only kind ever fetched or opened."""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def make_session() -> Any:
    """A requests session with the engine's user agent and redirect limit."""
    import requests

    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    session.headers["User-Agent"] = USER_AGENT
    return session


def fetch(
    url: str,
    *,
    session: Any = None,
    max_bytes: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """The body at ``url`` (empty for "304 Not Modified"); FetchError (one line) on any
    failure, never another exception."""
    import requests

    if not is_web_address(url):
        raise FetchError("only http and https addresses are fetched")
    limit = MAX_RESPONSE_BYTES if max_bytes is None else max_bytes
    deadline = DEADLINE_SECONDS
    own_session = session is None
    session = session or make_session()
    # A server that sends a byte a second never trips the read timeout: a watchdog closes
    # the response when the whole request has taken too long, which ends a blocked read.
    expired = threading.Event()
    response: Any = None

    def cut_off() -> None:
        expired.set()
        if response is not None:
            response.close()

    watchdog = threading.Timer(deadline, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        response = session.get(
            url,
            stream=True,
            timeout=(CONNECT_SECONDS, READ_SECONDS),
            allow_redirects=True,
            headers=dict(headers or {}),
        )
        with response:
            if not is_web_address(response.url):
                raise FetchError("redirected to an address that is not http or https")
            if response.status_code >= 400:
                raise FetchError(f"the server answered {response.status_code} {response.reason}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"larger than {_size(limit)}")
            chunks: list[bytes] = []
            size = 0
            for chunk in _arriving(response):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"larger than {_size(limit)}")
                if expired.is_set():
                    break
                chunks.append(chunk)
            if expired.is_set():
                raise FetchError(f"took longer than {deadline:g} s")
            return Fetched(
                url=response.url,
                status=response.status_code,
                content_type=response.headers.get("content-type", ""),
                body=b"".join(chunks),
                headers=response.headers,
            )
    except FetchError:
        raise
    except (requests.RequestException, ValueError, OSError, AttributeError) as error:
        if expired.is_set():
            raise FetchError(f"took longer than {deadline:g} s") from None
        raise FetchError(request_failure(error)) from None
    finally:
        watchdog.cancel()
        if own_session:
            session.close()


def _arriving(response: Any) -> Iterator[bytes]:
    """The decoded body as it arrives: each read returns what the server has sent so far,
    so a trickling server is checked against the deadline between its bytes."""
    while True:
        chunk = response.raw.read1(_CHUNK, decode_content=True)
        if not chunk:
            return
        yield chunk


def _size(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{limit // 1024:,} KB"


def request_failure(error: BaseException) -> str:
    """One line for the user on why a request failed (no address, no traceback)."""
    import requests
    from urllib3.exceptions import TimeoutError as ReadTimeout

    if isinstance(error, requests.TooManyRedirects):
        return f"more than {MAX_REDIRECTS} redirects"
    if isinstance(error, (requests.Timeout, ReadTimeout, TimeoutError)) or "timed out" in str(
        error
    ):
        return "the server did not answer in time"
    if isinstance(error, requests.ConnectionError):
        return f"cannot connect ({_reason(error)})"
    return _reason(error)


def permanent_location(url: str, *, session: Any = None) -> str:
    """Where ``url`` has moved for good: the end of its chain of permanent redirects (301,
    308), found with HEAD requests; ``url`` itself when it has not moved or on any error."""
    import requests

    if not is_web_address(url):
        return url
    own_session = session is None
    session = session or make_session()
    current = url
    try:
        for _ in range(MAX_REDIRECTS):
            response = session.head(
                current, timeout=(CONNECT_SECONDS, READ_SECONDS), allow_redirects=False
            )
            response.close()
            location = response.headers.get("location", "").strip()
            if response.status_code not in PERMANENT_REDIRECTS or not location:
                break
            target = urljoin(current, location)
            if not is_web_address(target) or target == current:
                break
            current = target
    except (requests.RequestException, ValueError, OSError):
        return url
    finally:
        if own_session:
            session.close()
    return current


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return "no such host"
    if "Connection refused" in text:
        return "connection refused"
    return text[:160] or type(error).__name__
