"""The one place for terminal-safe text and for the words, stop words, stems and
similarities every part of the engine counts with."""

from __future__ import annotations

import re

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
    r"\u200b\u200e\u200f\u2060\ufeff]"
)
# Bidirectional overrides can reorder what a terminal shows, and zero-width spaces and
# word joiners hide inside words so that the same name no longer matches itself; none
# carries meaning here. Zero-width (non-)joiners stay: scripts and emoji need them.
_INVISIBLE_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF]
)


def clean_text(text: str) -> str:
    """Text safe to show in a terminal: escape sequences and control characters removed,
    line ends normalised to ``\\n``; tabs and newlines kept."""
    # Most text holds none of these; a scan for one character class is far cheaper than
    # the alternations below, which matters for feeds of thousands of stories.
    if not _ANY_UNSAFE_CHARACTER.search(text):
        return text
    text = _LINE_BREAKS.sub("\n", text)
    text = _ANSI_SEQUENCE.sub("", text)
    text = text.translate(_INVISIBLE_CONTROLS)
    return _CONTROL_CHARACTERS.sub("", text)


_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


def printable(text: str) -> str:
    """``text`` (a file name, a record id) for one line of terminal output: control and
    direction characters are shown as escapes (``\\x1b``, ``\\n``) instead of acting."""
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
