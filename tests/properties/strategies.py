"""Hostile text, files and feeds for the property tests, and the one check of what may
reach a terminal."""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
from typing import Any

from hypothesis import strategies as st

# What a terminal acts on instead of showing: C0 and C1 controls (tab and newline are
# layout), direction overrides and marks, invisible spaces and the byte-order mark.
TERMINAL_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    r"\u2028\u2029]"
)


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """A private folder for one example, in memory where the system has one: SQLite's
    and the export's syncs to disk would otherwise take most of an example's time."""
    memory = "/dev/shm"
    in_memory = os.path.isdir(memory) and os.access(memory, os.W_OK | os.X_OK)
    return tempfile.TemporaryDirectory(
        prefix="newsreader-property-", dir=memory if in_memory else None
    )


def unsafe_characters(text: str) -> list[str]:
    """The characters of ``text`` that must never reach a terminal, as escapes."""
    return [ascii(match.group()) for match in TERMINAL_CONTROLS.finditer(text)]


def assert_screen_safe(text: str, what: str, *, one_line: bool = False) -> None:
    assert isinstance(text, str), (what, text)
    assert not TERMINAL_CONTROLS.search(text), (what, unsafe_characters(text), text[:200])
    text.encode("utf-8")  # no lone surrogate: printing one raises UnicodeEncodeError
    if one_line:
        assert "\n" not in text and "\t" not in text, (what, text[:200])


# ---------------------------------------------------------------------------------------
# Text

# Pieces a hostile or broken source carries: escape sequences whole and cut, C0 and C1
# controls, every kind of line end, direction overrides and zero-width characters, Rich
# and Markdown markup, HTML and entities, combining marks, emoji sequences and scripts
# written right to left.
HOSTILE_PIECES = [
    "\x1b[31m",
    "\x1b[2J\x1b[H",
    "\x1b]0;owned\x07",
    "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "\x1bP+q544e\x1b\\",
    "\x1b_apc\x1b\\",
    "\x1b",
    "\x1b[",
    "\x9b31m",
    "\x90payload\x9c",
    "\x9d8;;x\x07",
    "\x07",
    "\x00",
    "\x08",
    "\x7f",
    "\x85",
    "\r\n",
    "\r",
    "\v",
    "\f",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200e",
    "\u200f",
    "\u2060",
    "\ufeff",
    "\u200d",
    "\u200c",
    "\ufffd",
    "\ud800",  # lone surrogates: JSON's "\ud800" escape, undecodable bytes of a file name
    "\udcff",
    "\ud83d",
    "[bold red]",
    "[/]",
    "[link=http://evil.example]",
    "[@click=app.quit]",
    "\\[",
    "**",
    "__",
    "`",
    "# ",
    "## ",
    "> ",
    "- ",
    "1. ",
    "=====",
    "---",
    "|",
    "~~",
    "<script>alert(1)</script>",
    "<b>",
    "</p>",
    "<br>",
    "<!--",
    "-->",
    "&amp;",
    "&#27;",
    "&#x1b;",
    "&#0;",
    "&nbsp;",
    "]]>",
    "<![CDATA[",
    "\t",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\xa0",
    "\u3000",
    "🙂",
    "👨‍👩‍👧",
    "e\u0301",
    "中文新闻",
    "עברית",
    "العربية",
    "Mr.",
    "U.S.",
    "...",
    "?!",
    "“",
    "”",
    "'",
    '"',
    "(",
    ")",
    "—",
    "(Reuters) -",
    "BEIRUT (AP) —",
    "By Jane Roe",
    "Photo: Getty Images",
    "Share on Twitter",
    "Subscribe to our newsletter",
    "http://example.com/a?b=c",
    "2024-06-04",
    "Tue, 04 Jun 2024 10:00:00 GMT",
]

WORDS = [
    "the", "council", "said", "that", "road", "would", "open", "in", "spring", "and", "of",
    "a", "to", "was", "ferry", "harbour", "minister", "police", "on", "Monday", "after",
    "storm", "workers", "strike", "mill", "fire", "two", "hundred", "people", "were", "not",
    "it", "will", "be", "for", "at", "by", "with", "Northport", "Valmora", "Dana", "Roe",
    "Kelso", "Osterby", "United", "Nations", "Reuters", "BBC", "EU", "NATO", "£5m", "1,200",
    "3.5%", "well-known", "don't", "al-Assad", "U.S", "o'clock", "résumé", "Zürich", "São",
    "Paulo", "İstanbul", "ß", "ǅ", "ﬁne", "Straße", "naïve", "ВВС", "Москва",
]  # fmt: skip


# Prose is drawn from one number each: a paragraph costs one choice, not hundreds, which
# keeps thousands of examples within the CI budget. The interesting choices (hostile
# pieces, structure, encodings) are still drawn one by one and shrink well.
SEEDS = st.integers(0, 2**32 - 1)


def _sentence(rng: random.Random) -> str:
    text = " ".join(rng.choices(WORDS, k=rng.randint(3, 25)))
    return text[:1].upper() + text[1:] + rng.choice(SENTENCE_ENDS)


def words_text(min_words: int = 1, max_words: int = 30) -> st.SearchStrategy[str]:
    """Prose-like text: words of news English with names and numbers."""
    return SEEDS.map(
        lambda seed: " ".join(
            (rng := random.Random(seed)).choices(WORDS, k=rng.randint(min_words, max_words))
        )
    )


SENTENCE_ENDS = [".", ".", ".", "?", "!", "…", '."', ".”", ".)", ":", ",", ""]


def sentences() -> st.SearchStrategy[str]:
    return SEEDS.map(lambda seed: _sentence(random.Random(seed)))


def prose_paragraph(max_sentences: int = 6) -> st.SearchStrategy[str]:
    return st.builds(
        lambda count, seed: " ".join(_sentence(rng) for rng in [random.Random(seed)] * count),
        st.integers(1, max_sentences),
        SEEDS,
    )


# Unicode text of every category, surrogates aside (they cannot be written as UTF-8).
ANY_CHARACTERS = st.characters(exclude_categories=["Cs"])


def hostile_text(max_pieces: int = 40) -> st.SearchStrategy[str]:
    """Text mixing prose, hostile pieces and arbitrary characters."""
    piece = st.one_of(
        st.sampled_from(HOSTILE_PIECES),
        sentences(),
        words_text(1, 6),
        st.text(ANY_CHARACTERS, max_size=12),
        st.text(st.characters(max_codepoint=0x2FF), max_size=12),
    )
    return st.lists(piece, max_size=max_pieces).map("".join)


def huge_line() -> st.SearchStrategy[str]:
    """One paragraph far longer than any real one: one word or one sentence repeated."""
    return st.builds(
        lambda unit, times: unit * times,
        st.one_of(
            st.sampled_from(["x", "word ", "The ferry sailed. ", "\u202e", "\x1b[0m", "中"]),
            sentences().map(lambda sentence: sentence + " "),
        ),
        st.integers(2_000, 40_000),
    ).map(lambda text: text[:40_000])


def article_text() -> st.SearchStrategy[str]:
    """A whole raw text: paragraphs of prose, hostile lines and now and then a huge one."""
    paragraph = st.one_of(
        prose_paragraph(),
        prose_paragraph(),
        hostile_text(12),
        st.sampled_from(HOSTILE_PIECES),
    )
    separator = st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n", "\u2029", "\f", "\n\n\n"])
    paragraphs = st.lists(st.tuples(paragraph, separator), max_size=14).map(
        lambda pairs: "".join(text + between for text, between in pairs)
    )
    return st.one_of(
        paragraphs,
        paragraphs,
        paragraphs,
        hostile_text(),
        st.text(ANY_CHARACTERS, max_size=300),
        st.tuples(paragraphs, huge_line(), paragraphs).map("\n\n".join),
    )


# ---------------------------------------------------------------------------------------
# Files: the bytes of every supported format, well formed, broken and random

ENCODINGS = [
    "utf-8",
    "utf-8",
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "latin-1",
    "koi8-r",
    "shift_jis",
]


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def _escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def markup_text(draw: st.DrawFn) -> str:
    """Text for inside an XML or HTML element: escaped, raw (markup may break) or CDATA."""
    text = draw(st.one_of(prose_paragraph(3), hostile_text(10)))
    how = draw(st.sampled_from(["escaped", "escaped", "raw", "cdata", "html"]))
    if how == "escaped":
        return _escape_xml(text)
    if how == "cdata":
        return f"<![CDATA[{text}]]>"
    if how == "html":
        return _escape_xml(f"<p>{text}</p><p>{draw(prose_paragraph(2))}</p>")
    return text


@st.composite
def rss_text(draw: st.DrawFn, link: str = "http://127.0.0.1/page") -> str:
    encoding = draw(st.sampled_from(["UTF-8", "utf-8", "ISO-8859-1", "windows-1252", "KOI8-R"]))
    items = []
    for number in range(draw(st.integers(0, 4))):
        fields = [
            f"<title>{draw(markup_text())}</title>",
            f"<description>{draw(markup_text())}</description>",
            f"<guid>{draw(st.one_of(st.just(str(number)), markup_text()))}</guid>",
            f"<link>{draw(st.sampled_from([link, '', 'javascript:alert(1)', 'not a url']))}</link>",
            f"<pubDate>{draw(st.sampled_from(['', 'Tue, 04 Jun 2024 10:00:00 GMT', 'soon']))}"
            "</pubDate>",
        ]
        if draw(st.booleans()):
            fields.append(
                "<content:encoded>"
                f"{draw(markup_text())}{_escape_xml(draw(prose_paragraph()))}"
                "</content:encoded>"
            )
        items.append("<item>" + "".join(draw(st.permutations(fields))) + "</item>")
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{draw(markup_text())}</title><link>{link}</link>"
        + "".join(items)
        + "</channel></rss>"
    )


@st.composite
def atom_text(draw: st.DrawFn, link: str = "http://127.0.0.1/page") -> str:
    entries = []
    for number in range(draw(st.integers(0, 4))):
        content_type = draw(st.sampled_from(["html", "text", "xhtml"]))
        content = draw(markup_text())
        if content_type == "xhtml":
            content = f'<div xmlns="http://www.w3.org/1999/xhtml">{content}</div>'
        entries.append(
            "<entry>"
            f"<title>{draw(markup_text())}</title>"
            f"<id>urn:{number}:{_escape_xml(draw(st.text(ANY_CHARACTERS, max_size=8)))}</id>"
            f'<link rel="alternate" href="{draw(st.sampled_from([link, "", "data:x"]))}"/>'
            f"<updated>{draw(st.sampled_from(['2024-06-04T10:00:00Z', '', 'yesterday']))}"
            "</updated>"
            f"<summary>{draw(markup_text())}</summary>"
            f'<content type="{content_type}">{content}</content>'
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{draw(markup_text())}</title><id>urn:feed</id>"
        f"<updated>2024-06-04T10:00:00Z</updated>" + "".join(entries) + "</feed>"
    )


@st.composite
def rdf_text(draw: st.DrawFn, link: str = "http://127.0.0.1/page") -> str:
    items = "".join(
        f'<item rdf:about="{link}#{number}"><title>{draw(markup_text())}</title>'
        f"<link>{link}</link><description>{draw(markup_text())}</description></item>"
        for number in range(draw(st.integers(0, 3)))
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x">'
        f"<title>{draw(markup_text())}</title></channel>{items}</rdf:RDF>"
    )


def json_values(strings: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        strings,
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(strings, children, max_size=4)
        ),
        max_leaves=12,
    )


@st.composite
def json_record(draw: st.DrawFn) -> Any:
    """A record as a scraper writes one: mostly with a text, the fields of any type."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values(hostile_text(5)))  # not an object at all
    record: dict[str, Any] = {}
    if draw(st.integers(0, 5)):
        record["text"] = draw(
            st.one_of(article_text(), article_text(), hostile_text(), json_values(hostile_text(3)))
        )
    for name in ("title", "source", "published", "date", "url", "id"):
        if draw(st.booleans()):
            record[name] = draw(st.one_of(hostile_text(6), json_values(hostile_text(3))))
    return record


def json_feed_text(link: str = "http://127.0.0.1/page") -> st.SearchStrategy[str]:
    item = st.fixed_dictionaries(
        {"id": hostile_text(3), "url": st.sampled_from([link, "", "x"])},
        optional={
            "title": hostile_text(8),
            "content_html": st.one_of(markup_text(), prose_paragraph()),
            "content_text": st.one_of(hostile_text(), prose_paragraph()),
            "date_published": st.sampled_from(["2024-06-04T10:00:00Z", "", "never"]),
        },
    )
    feed = st.fixed_dictionaries(
        {
            "version": st.just("https://jsonfeed.org/version/1.1"),
            "title": hostile_text(5),
            "items": st.lists(item, max_size=4),
        }
    )
    return st.builds(
        lambda value, ascii_only: json.dumps(value, ensure_ascii=ascii_only),
        st.one_of(feed, json_values(hostile_text(3))),
        st.booleans(),
    )


def html_page_text() -> st.SearchStrategy[str]:
    @st.composite
    def page(draw: st.DrawFn) -> str:
        charset = draw(st.sampled_from(["utf-8", "windows-1252", "koi8-r", "shift_jis", "bogus"]))
        title = draw(markup_text())
        body = "".join(
            f"<{tag}>{text}</{tag}>"
            for tag, text in draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(["p", "p", "p", "h1", "div", "li", "script", "figure"]),
                        st.one_of(prose_paragraph(), markup_text()),
                    ),
                    max_size=10,
                )
            )
        )
        return (
            f'<!doctype html><html><head><meta charset="{charset}"><title>{title}</title>'
            f'<meta property="og:site_name" content="{draw(hostile_text(3))}">'
            f"</head><body><article>{body}</article></body></html>"
        )

    return page()


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` now and then cut short or with bytes overwritten or inserted."""
    how = draw(st.sampled_from(["keep", "keep", "keep", "cut", "overwrite", "insert"]))
    if how == "keep" or not data:
        return data
    at = draw(st.integers(0, len(data)))
    if how == "cut":
        return data[:at]
    piece = draw(st.binary(min_size=1, max_size=16))
    if how == "overwrite":
        return data[:at] + piece + data[at + len(piece) :]
    return data[:at] + piece + data[at:]


def _text_bytes(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.builds(encoded, text, st.sampled_from(ENCODINGS)).flatmap(mutated)


def file_bytes(suffix: str) -> st.SearchStrategy[bytes]:
    """Bytes a file with ``suffix`` may hold: its format well or badly formed, text in any
    encoding, or arbitrary bytes."""
    if suffix in (".txt", ".md"):
        shaped = st.one_of(article_text(), hostile_text())
    elif suffix == ".html":
        shaped = st.one_of(html_page_text(), article_text())
    elif suffix == ".json":
        shaped = st.builds(
            lambda value, ascii_only: json.dumps(value, ensure_ascii=ascii_only),
            st.one_of(json_record(), st.lists(json_record(), max_size=4)),
            st.booleans(),
        ) | st.sampled_from(["[" * 50_000, "[]", "{}", "1e999999", "9" * 5_000, "NaN"])
    elif suffix == ".jsonl":
        line = st.one_of(
            st.builds(json.dumps, json_record()),
            hostile_text(5),
            st.sampled_from(["", "{", "[" * 10_000, "null", '{"text": "\\u0000\\u001b[2J"}']),
        )
        shaped = st.lists(line, max_size=6).map("\n".join)
    else:  # .xml .rss .atom
        shaped = st.one_of(
            rss_text(),
            atom_text(),
            rdf_text(),
            st.sampled_from(
                [
                    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>',
                    "<rss><channel><item><description>x</description></item></channel></rss>",
                    "<html><body>not a feed</body></html>",
                    "<" * 1000,
                ]
            ),
        )
    return st.one_of(_text_bytes(shaped), _text_bytes(shaped), st.binary(max_size=2_000))


FEED_KINDS = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "rdf": "application/rdf+xml",
    "json": "application/feed+json",
    "html": "text/html; charset=utf-8",
}


def feed_bytes(link: str, kind: str) -> st.SearchStrategy[bytes]:
    """What a server may answer for a feed of ``kind`` (or arbitrary bytes for any other
    kind), with entry links pointing at ``link``."""
    shaped = {
        "rss": rss_text,
        "atom": atom_text,
        "rdf": rdf_text,
        "json": json_feed_text,
        "html": lambda _link: html_page_text(),
    }.get(kind)
    if shaped is None:
        return st.binary(max_size=2_000)
    return _text_bytes(shaped(link))
