"""Paths -> raw documents -> articles.

Reads plain text, Markdown, saved web pages, JSON / JSON Lines records and RSS / Atom
feeds, from files or whole folders. Whatever cannot be read becomes a ``LoadProblem`` with
one clear line for the user; the rest still loads.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import json
import math
import os
import re
import stat
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from summarise.article import Article, RawDocument
from summarise.ingest.build import build_article
from summarise.ingest.dates import normalise_date
from summarise.text import clean_text, split_long_paragraphs
from summarise.versions import code_digest

MAX_FILE_BYTES = 20 * 1024 * 1024
# Far beyond any news story (a long read is 50,000 characters); the language model needs
# time and memory in proportion, so a book or a log dump is refused rather than ground on.
MAX_ARTICLE_CHARS = 200_000

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | HTML_SUFFIXES | set(JSON_SUFFIXES) | FEED_SUFFIXES


class LoadProblem(NamedTuple):
    path: str
    message: str  # one line, fit for stderr


class _Unreadable(ValueError):
    """A file that cannot be used; the message is shown to the user. A ValueError, as
    callers of ``decode_bytes`` (pages fetched for the library) expect of bad data."""


def seeds_path() -> Path:
    """The folder of the bundled sample corpus."""
    from importlib.util import find_spec

    # The installed seeds are a folder of pages and nothing else (no __init__.py), so
    # they import as a namespace package: its search location is the folder.
    try:
        spec = find_spec("newsreader_seeds")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        bundled = Path(location)
        if bundled.is_dir() and any(bundled.glob("*.txt")):
            return bundled
    return Path(__file__).resolve().parent.parent / "seeds"


# ---------------------------------------------------------------------------------------
# Bytes -> text


def _read_bytes(path: Path) -> bytes:
    try:
        status = path.stat()
    except FileNotFoundError as error:
        missing = "broken link: its target is missing" if path.is_symlink() else "no such file"
        raise _Unreadable(missing) from error
    except OSError as error:
        raise _Unreadable(f"cannot read: {error.strerror or error}") from error
    if not stat.S_ISREG(status.st_mode):
        # Pipes and devices could block or never end.
        raise _Unreadable("not a regular file")
    size = status.st_size
    if size > MAX_FILE_BYTES:
        # Bytes, not rounded megabytes: a file just over the limit must not read "20 MB".
        raise _Unreadable(
            f"{size:,} bytes is over the limit for one file ({MAX_FILE_BYTES:,} bytes, 20 MiB)"
        )
    try:
        return path.read_bytes()
    except PermissionError as error:
        raise _Unreadable("permission denied") from error
    except IsADirectoryError as error:
        raise _Unreadable("is a folder, not a file") from error
    except OSError as error:
        raise _Unreadable(f"cannot read: {error.strerror or error}") from error


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 20)


def _utf16_without_mark(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: mostly ASCII text, so every other byte is
    zero, always on the same side."""
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2:
        return None
    even_zeros = sample[0::2].count(0) / (len(sample) / 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zeros > 0.6 and even_zeros < 0.05:
        encoding = "utf-16-le"
    elif even_zeros > 0.6 and odd_zeros < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    # Arrays of small binary numbers have the same zero pattern but decode to controls.
    controls = sum(1 for char in text[:4096] if char < " " and char not in "\t\n\r\f")
    return None if controls > len(text[:4096]) // 50 else text


def _windows_1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as Windows-1252 (Latin-1 for its five gaps)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    text = "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in chunk)
    return text, error.end


codecs.register_error("newsreader-cp1252", _windows_1252_fallback)
# A multi-byte UTF-8 sequence: in a file that is not valid UTF-8 throughout, its presence
# says the file is UTF-8 with a few pasted-in Windows-1252 characters, not the reverse.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


_DECLARED_ENCODING = re.compile(
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
    rb"""|<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
# What the detection below finds by itself; browsers read a declared Latin-1 as
# Windows-1252 too, since pages that say Latin-1 so often hold Windows' quotes.
_DETECTED_ENCODINGS = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "iso8859-1", "ascii", "cp1252"}


def _declared_encoding(data: bytes) -> str | None:
    """A less common encoding an XML or HTML file names in its first lines (KOI8-R,
    Shift JIS...) when the bytes really are in it."""
    match = _DECLARED_ENCODING.search(data[:2048])
    if not match:
        return None
    try:
        encoding = codecs.lookup((match[1] or match[2]).decode("ascii")).name
    except LookupError:
        return None
    if encoding in _DETECTED_ENCODINGS:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes) -> str:
    """Text from bytes: a byte-order mark first, then UTF-16 without one, strict UTF-8, an
    encoding the file declares, UTF-8 mixed with Windows-1252, then Windows-1252 (with
    Latin-1 for the bytes it lacks). Raises ``_Unreadable`` for binary data."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise _Unreadable(f"not valid {encoding.upper()} text") from error
    wide = _utf16_without_mark(data)
    if wide is not None:
        return wide
    if _looks_binary(data):
        raise _Unreadable("binary file, not text")
    try:
        # Valid UTF-8 beyond ASCII is hardly ever anything else, whatever a page declares.
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_encoding(data)
    if declared is not None:
        return declared
    if _UTF8_SEQUENCE.search(data):
        return data.decode("utf-8", errors="newsreader-cp1252")
    return data.decode("cp1252", errors="newsreader-cp1252")


_NOTHING_READABLE = "no readable text, only control or invisible characters"


def _read_raw_text(path: Path) -> str:
    """The file's text as decoded, not yet cleaned; ``_Unreadable`` when it is empty."""
    raw = decode_bytes(_read_bytes(path))
    if not raw.strip():
        raise _Unreadable("empty file")
    return raw


def _read_text(path: Path) -> str:
    text = clean_text(_read_raw_text(path))
    if not text.strip():
        raise _Unreadable(_NOTHING_READABLE)
    return text


# ---------------------------------------------------------------------------------------
# HTML fragments (feed items) -> text

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "section", "article", "tr", "table", "figure", "figcaption", "pre", "hr", "header",
    "footer", "aside", "dd", "dt",
}  # fmt: skip
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "head"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_fragment_text(fragment: str) -> str:
    """Readable text of an HTML fragment: paragraphs separated by blank lines."""
    opened = fragment.rfind("<!--")
    if opened != -1 and fragment.find("-->", opened + 4) == -1:
        # As in a browser, a comment never closed runs to the end and shows nothing.
        fragment = fragment[:opened]
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    text = "".join(collector.parts)
    paragraphs = (" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


# ---------------------------------------------------------------------------------------
# One file -> documents


def _text_documents(path: Path, key: str, origin: str) -> list[RawDocument]:
    return [RawDocument(key=key, text=_read_text(path), origin=origin)]


def _html_documents(path: Path, key: str) -> list[RawDocument]:
    document = html_document(_read_text(path), key)
    if document is None:
        raise _Unreadable("no readable text in this web page")
    return [document]


def html_document(html: str, key: str, url: str = "") -> RawDocument | None:
    """The article of a web page (its body, title, site name and date), or None when the
    page has no readable text."""
    import trafilatura

    extracted = None
    # Favouring precision keeps related links and teasers out; a page it finds nothing
    # in is tried again with trafilatura's balanced settings.
    for favour_precision in (True, False):
        try:
            extracted = trafilatura.bare_extraction(
                html,
                url=url or None,
                include_comments=False,
                include_tables=True,
                favor_precision=favour_precision,
                with_metadata=True,
            )
        except Exception:  # trafilatura raises many kinds of parser errors on broken pages
            extracted = None
        if extracted is not None and (getattr(extracted, "text", None) or "").strip():
            break
    text = getattr(extracted, "text", None) or ""
    if not text.strip():
        fallback = html_fragment_text(html)
        if not fallback.strip():
            return None
        return RawDocument(key=key, text=clean_text(fallback), url=url, origin="html")
    return RawDocument(
        key=key,
        text=clean_text(text),
        title=clean_text(getattr(extracted, "title", None) or ""),
        source=clean_text(getattr(extracted, "sitename", None) or ""),
        published=normalise_date(getattr(extracted, "date", None) or ""),
        url=url or clean_text(getattr(extracted, "url", None) or ""),
        origin="html",
        paragraphs_known=True,
    )


def _field(record: dict[str, Any], *names: str) -> str:
    for name in names:
        value = record.get(name)
        if isinstance(value, float) and not math.isfinite(value):
            continue  # NaN and Infinity are read by Python's json but mean nothing here
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return " ".join(clean_text(str(value)).split())
    return ""


_JSON_KINDS = {
    int: "a number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
}


def _parse_json(text: str) -> Any:
    """The JSON value of ``text``; ``ValueError`` with a message for the user otherwise."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"line {error.lineno}: {error.msg}") from error
    except RecursionError as error:
        raise ValueError("nested too deeply") from error
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise ValueError("a number is too long") from error


def _record_document(
    record: Any,
    path_key: str,
    number: int,
    origin: str,
    problems: list[LoadProblem],
    *,
    known_clean: bool = False,
) -> RawDocument | None:
    """``known_clean``: the record was parsed from a line that holds no unsafe character
    and no escape that could make one, so its text needs no cleaning."""
    where = f"{path_key}#{number}"
    if not isinstance(record, dict):
        problems.append(LoadProblem(where, "record is not a JSON object"))
        return None
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        kind = _JSON_KINDS.get(type(text), type(text).__name__)
        problems.append(LoadProblem(where, f'record\'s "text" is {kind}, not a string'))
        return None
    text = text if isinstance(text, str) else ""
    cleaned = text if known_clean else clean_text(text)
    if not cleaned.strip():
        problems.append(LoadProblem(where, 'record has no "text"'))
        return None
    record_id = _field(record, "id")
    return RawDocument(
        key=f"{path_key}#{record_id or number}",
        text=cleaned,
        title=_field(record, "title"),
        source=_field(record, "source"),
        published=normalise_date(_field(record, "published", "date")),
        url=_field(record, "url"),
        origin=origin,
    )


def _json_documents(path: Path, key: str, problems: list[LoadProblem]) -> list[RawDocument]:
    text = _read_text(path)
    try:
        data = _parse_json(text)
    except ValueError as error:
        raise _Unreadable(f"malformed JSON ({error})") from error
    records = data if isinstance(data, list) else [data]
    if not records:
        raise _Unreadable("empty JSON list")
    documents = []
    for number, record in enumerate(records, start=1):
        document = _record_document(record, key, number, "json", problems)
        if document is not None:
            documents.append(document)
    return documents


# JSON escapes that decode to a character ``clean_text`` would change: \b, \f, \r and
# any \u escape. A line without one (and without a raw unsafe character) gives records
# that are clean already. An escaped backslash before one of these letters matches too,
# which only costs a needless cleaning.
_RISKY_ESCAPE = re.compile(r"\\[bfru]")


def _clean_lines(text: str) -> Iterator[tuple[str, bool]]:
    """The lines of ``clean_text(text)``, each with whether it was clean as read.

    Only a line holding something unsafe is cleaned (and may become several lines, as a
    stray line break would in the whole text), so a file of clean records is never
    copied whole; the line numbers are those of the whole text cleaned at once.
    """
    for line in text.split("\n"):
        cleaned = clean_text(line)
        if cleaned is line:
            yield line, True
            continue
        # The "\r" of a "\r\n" ends this line: cleaned on its own it would add an empty
        # line after it.
        yield from ((part, False) for part in clean_text(line.removesuffix("\r")).split("\n"))


def _jsonl_documents(path: Path, key: str, problems: list[LoadProblem]) -> Iterator[RawDocument]:
    """The file's records as documents, each yielded as soon as its line is read, so the
    first stories of a large file can be shown before the rest are parsed."""
    readable = False
    for number, (line, was_clean) in enumerate(_clean_lines(_read_raw_text(path)), start=1):
        if not line.strip():
            continue
        readable = True
        try:
            record = _parse_json(line)
        except ValueError as error:
            message = str(error).removeprefix("line 1: ")
            problems.append(LoadProblem(f"{key}#{number}", f"malformed JSON line: {message}"))
            continue
        known_clean = was_clean and not _RISKY_ESCAPE.search(line)
        document = _record_document(record, key, number, "jsonl", problems, known_clean=known_clean)
        if document is not None:
            yield document
    if not readable:
        raise _Unreadable(_NOTHING_READABLE)


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(element: ET.Element, *names: str) -> str:
    for child in element:
        if _local_name(child.tag) in names:
            return "".join(child.itertext()).strip()
    return ""


def _atom_link(entry: ET.Element) -> str:
    links = [child for child in entry if _local_name(child.tag) == "link"]
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return links[0].get("href", "") if links else ""


def _feed_documents(path: Path, key: str) -> list[RawDocument]:
    # Already cleaned of control characters, which XML forbids and some feeds still carry.
    text = _read_text(path)
    if re.search(r"<!ENTITY", text, re.IGNORECASE):
        raise _Unreadable("feed declares XML entities; refused")
    try:
        # Parsed as text, already decoded: the declared encoding must not apply twice.
        root = ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as error:
        raise _Unreadable(f"malformed XML ({error})") from error
    kind = _local_name(root.tag)
    if kind == "rss" or kind == "rdf":
        items = [element for element in root.iter() if _local_name(element.tag) == "item"]
        channel = next((e for e in root if _local_name(e.tag) == "channel"), root)
        source = _child_text(channel, "title")
    elif kind == "feed":
        items = [element for element in root if _local_name(element.tag) == "entry"]
        source = _child_text(root, "title")
    else:
        raise _Unreadable(f"XML file is not an RSS or Atom feed (root <{kind}>)")
    documents = []
    for number, item in enumerate(items, start=1):
        body_html = _child_text(item, "encoded", "content") or _child_text(
            item, "description", "summary"
        )
        body = clean_text(html_fragment_text(body_html))
        title = clean_text(html_fragment_text(_child_text(item, "title")))
        if not body.strip():
            continue
        item_id = _child_text(item, "guid", "id")
        url = _child_text(item, "link") if kind != "feed" else _atom_link(item)
        published = _child_text(item, "pubdate", "published", "updated", "date")
        documents.append(
            RawDocument(
                key=f"{key}#{' '.join(clean_text(item_id).split()) or number}",
                text=body,
                title=title,
                source=clean_text(source),
                published=normalise_date(published),
                url=clean_text(url),
                origin="feed",
                paragraphs_known=True,
            )
        )
    if not documents:
        raise _Unreadable("feed has no items with text")
    return documents


def _documents_from_file(
    path: Path, key: str, problems: list[LoadProblem]
) -> Iterable[RawDocument]:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return _text_documents(path, key, TEXT_SUFFIXES[suffix])
    if suffix in HTML_SUFFIXES:
        return _html_documents(path, key)
    if JSON_SUFFIXES.get(suffix) == "json":
        return _json_documents(path, key, problems)
    if JSON_SUFFIXES.get(suffix) == "jsonl":
        return _jsonl_documents(path, key, problems)
    if suffix in FEED_SUFFIXES:
        return _feed_documents(path, key)
    known = " ".join(sorted(SUPPORTED_SUFFIXES))
    raise _Unreadable(f"unsupported file type {suffix or '(none)'}; known: {known}")


# ---------------------------------------------------------------------------------------
# Paths -> documents


def _files_in(folder: Path) -> Iterator[Path]:
    """Supported files under a folder, recursively, in sorted order; hidden ones skipped."""
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def _within_size(document: RawDocument, problems: list[LoadProblem]) -> bool:
    if len(document.text) <= MAX_ARTICLE_CHARS:
        return True
    message = (
        f"{len(document.text):,} characters is too long for one article "
        f"(limit {MAX_ARTICLE_CHARS:,})"
    )
    problems.append(LoadProblem(document.key, message))
    return False


_WEB_ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def read_documents(
    paths: Iterable[str | Path], problems: list[LoadProblem] | None = None
) -> list[RawDocument]:
    """Raw documents from files and folders; what cannot be read is added to ``problems``."""
    return list(iter_documents(paths, [] if problems is None else problems))


def iter_documents(
    paths: Iterable[str | Path], problems: list[LoadProblem]
) -> Iterator[RawDocument]:
    """``read_documents`` one document at a time, each as soon as it is read: the first
    records of a large JSON-lines file come before the rest of it is parsed. A file that
    fails part way keeps the documents it gave before the failure."""
    seen_keys: set[str] = set()
    for given in paths:
        if isinstance(given, str) and _WEB_ADDRESS.match(given):
            # Nothing is fetched from the network: reading stays offline and repeatable.
            problems.append(
                LoadProblem(given, "web addresses are not fetched; save the page or feed to a file")
            )
            continue
        path = Path(given)
        if path.is_dir():
            files = list(_files_in(path))
            if not files:
                problems.append(LoadProblem(str(path), "no articles found in this folder"))
        else:
            files = [path]
        for file in files:
            key = str(file)
            if key in seen_keys:
                continue
            seen_keys.add(key)
            try:
                for document in _documents_from_file(file, key, problems):
                    if _within_size(document, problems):
                        yield document
            except _Unreadable as problem:
                problems.append(LoadProblem(key, str(problem)))
            except (OSError, ValueError, RecursionError) as error:
                problems.append(LoadProblem(key, f"cannot read: {error}".splitlines()[0]))


def structure_document(document: RawDocument) -> Article | LoadProblem:
    """One document structured into an article, or the reason it has no article text."""
    document = dataclasses.replace(document, text=split_long_paragraphs(document.text))
    try:
        article = build_article(document)
    except (ValueError, IndexError, RecursionError) as error:
        return LoadProblem(document.key, f"cannot structure text: {error}")
    if not article.body.strip():
        return LoadProblem(document.key, "no article text found")
    return article


def load_articles(
    paths: Iterable[str | Path],
    problems: list[LoadProblem] | None = None,
    memo: ArticleMemo | None = None,
) -> list[Article]:
    """Structured articles from files and folders, each story once (the first copy wins)."""
    if problems is None:
        problems = []
    return structure_documents(read_documents(paths, problems), problems, memo)


# The code that turns a document into an article: a change to any of it restructures.
_STRUCTURE_MODULES = (
    "summarise.article",
    "summarise.text",
    "summarise.sources",
    "summarise.ingest.build",
    "summarise.ingest.lines",
    "summarise.ingest.dates",
    "summarise.ingest.furniture",
    "summarise.ingest.body",
    "summarise.ingest.roles",
)


class ArticleMemo(Protocol):
    """Where structured articles are kept between runs (the analysis cache)."""

    def get_articles(self, documents: Sequence[str]) -> dict[str, Article]: ...

    def put_articles(self, articles: Iterable[tuple[str, Article]]) -> None: ...


def document_digest(document: RawDocument) -> str:
    """What identifies ``document`` and the code that structures it."""
    fields = [
        document.key,
        document.text,
        document.title,
        document.source,
        document.published,
        document.url,
        document.origin,
        document.paragraphs_known,
        code_digest(*_STRUCTURE_MODULES),
    ]
    encoded = json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(encoded).hexdigest()


def structure_documents(
    documents: Iterable[RawDocument],
    problems: list[LoadProblem],
    memo: ArticleMemo | None = None,
) -> list[Article]:
    """Each document structured into an article, each story once (the first copy wins).

    With a ``memo``, a document structured on an earlier run is not structured again.
    """
    documents = list(documents)
    digests = [document_digest(document) for document in documents] if memo is not None else []
    known = memo.get_articles(digests) if memo is not None else {}
    made: list[tuple[str, Article]] = []
    articles: list[Article] = []
    seen_ids: set[str] = set()
    for index, document in enumerate(documents):
        article = known.get(digests[index]) if memo is not None else None
        if article is None:
            article = structure_document(document)
            if memo is not None and isinstance(article, Article):
                made.append((digests[index], article))
        if isinstance(article, LoadProblem):
            problems.append(article)
            continue
        if article.id in seen_ids:
            continue
        seen_ids.add(article.id)
        articles.append(article)
    if memo is not None and made:
        memo.put_articles(made)
    return articles
