"""The one place for terminal-safe text and for the words, stop words, stems and
similarities every part of the engine counts with."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

# Terminal control sequences (CSI, OSC and two-character escapes) must never reach a
# terminal from an article, so they go as a whole, not just their ESC byte.
_ANSI_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clearing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    # DCS, SOS, PM and APC strings: their payload is for the terminal, not for reading.
    r"|\x1b[PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x90\x98\x9d-\x9f][^\x07\x1b\x9c]*[\x07\x9c]"  # 8-bit string controls, terminated
)
# Every character of Unicode category Cc except tab and newline.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n|\r|[\v\f\u2028\u2029\x85]")
_ANY_UNSAFE_CHARACTER = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    r"\u200b\u200e\u200f\u2060\ufeff\ud800-\udfff]"
)
# Half of a UTF-16 pair on its own (JSON's "\ud800", a file name's undecodable byte):
# no character at all, and it cannot be written out as UTF-8.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Bidirectional overrides can reorder what a terminal shows, and zero-width spaces and
# word joiners hide inside words so that the same name no longer matches itself; none
# carries meaning here. Zero-width (non-)joiners stay: scripts and emoji need them.
_INVISIBLE_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF]
)


def clean_text(text: str) -> str:
    """Text safe to show in a terminal: escape sequences and control characters removed,
    line ends normalised to ``\\n``, a lone surrogate replaced by U+FFFD; tabs and
    newlines kept."""
    # Most text holds none of these; a scan for one character class is far cheaper than
    # the alternations below, which matters for feeds of thousands of stories.
    if not _ANY_UNSAFE_CHARACTER.search(text):
        return text
    text = _LINE_BREAKS.sub("\n", text)
    text = _ANSI_SEQUENCE.sub("", text)
    text = text.translate(_INVISIBLE_CONTROLS)
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return _CONTROL_CHARACTERS.sub("", text)


_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    r"\ud800-\udfff]"
)


def printable(text: str) -> str:
    """``text`` (a file name, a record id) for one line of terminal output: control and
    direction characters are shown as escapes (``\\x1b``, ``\\n``) instead of acting, and
    a lone surrogate (an undecodable byte of a file name) as ``\\udcff``, which can be
    printed."""
    return _UNPRINTABLE.sub(lambda match: ascii(match.group())[1:-1], text)


# A paragraph longer than this is cut into pieces at sentence ends: the language model's
# memory grows with the length of one text, and such a "paragraph" is in practice a whole
# story whose line breaks were lost.
MAX_PARAGRAPH_CHARS = 10_000
_BREAK_AFTER_SENTENCE = re.compile(r"[.!?…。！？]['\"’”)\]»]*\s+")


def split_long_paragraphs(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> str:
    """``text`` with every line longer than ``limit`` broken into paragraphs of at most
    ``limit`` characters: after a sentence when one ends in the second half of a piece,
    else at a space, else (one endless word) anywhere."""
    if len(text) <= limit:
        return text
    lines = []
    for line in text.split("\n"):
        while len(line) > limit:
            cut = _piece_end(line, limit)
            lines += [line[:cut].rstrip(), ""]
            line = line[cut:].lstrip()
        lines.append(line)
    return "\n".join(lines)


def _piece_end(line: str, limit: int) -> int:
    window = line[limit // 2 : limit]
    sentence_ends = [match.end() for match in _BREAK_AFTER_SENTENCE.finditer(window)]
    if sentence_ends:
        return limit // 2 + sentence_ends[-1]
    space = window.rfind(" ")
    return limit // 2 + space + 1 if space >= 0 else limit


_URL_UNSAFE = re.compile(
    r"[\x00-\x20\x7f-\x9f\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2069\u3000\ufeff]"
)


def url_text(url: str) -> str:
    """A web address fit to show and to follow: surrounding space removed, and every
    control, invisible or space character inside percent-encoded (as a browser sends
    it), so the address stays the same one instead of losing or gaining characters. A
    lone surrogate, which is no character, becomes U+FFFD."""
    return _URL_UNSAFE.sub(
        lambda match: "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8")),
        _LONE_SURROGATE.sub("\ufffd", url.strip()),
    )


def one_line(text: str) -> str:
    """``text`` made terminal-safe and folded onto a single line (titles, list rows)."""
    if text.isprintable():  # the common case, and much faster than the regular expressions
        return " ".join(text.split())
    return " ".join(clean_text(text).split())


# ---------------------------------------------------------------------------------------
# Words: the one tokeniser, stop-word lists, stemmer and similarity of the engine.

# Letters and digits, with inner hyphens, apostrophes and dots kept ("al-Assad", "U.S").
WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)

# Function words of English: prose is full of them, menus, headings and names are not.
_FUNCTION_WORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own said same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORD_TEXT.split())


def words(text: str) -> list[str]:
    """The word tokens of ``text``, as written."""
    return WORD.findall(text)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's English stop words (a superset of FUNCTION_WORDS): what summaries ignore."""
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words("english"))


@lru_cache(maxsize=1)
def stemmer() -> Any:
    """sumy's English (Snowball) stemmer; its import takes most of a second."""
    from sumy.nlp.stemmers import Stemmer

    return Stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return stemmer()(word)


def cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    """The dot product of two sparse vectors (their cosine when both have unit length)."""
    if len(first) > len(second):
        first, second = second, first
    return sum(value * second.get(term, 0.0) for term, value in first.items())
