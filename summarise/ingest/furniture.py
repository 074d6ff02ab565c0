"""Page furniture: photo captions and credits, bylines, dates, interface lines and
lines a page repeats. None of it is the story."""

from __future__ import annotations

import re
from collections import Counter

from summarise.ingest.dates import find_date, month_day
from summarise.ingest.lines import CLOSING, INTERFACE_PHRASE, Line

_CREDIT_WORD = re.compile(
    r"\b(?:photo(?:graph)?s?|image|picture|pic|credit|courtesy|illustration|file photo"
    r"|getty images|shutterstock|video)\b",
    re.IGNORECASE,
)
_CREDIT_SHAPE = re.compile(
    r"^(?:[A-Z][\w ]{0,25}):\s"  # "Photo: ...", "Above: ..."
    r"|\((?:[^()]{0,40}[|/:][^()]{0,40})\)\s*$"  # "(File photo | AP)"
    r"|\s[|/]\s*[\w .&'-]{2,40}$",  # "... | Reuters"
)
_CREDIT_NAME = re.compile(r"\b(?:getty images|shutterstock|courtesy|credits?)\b", re.IGNORECASE)
_SLASHED_NAMES = re.compile(r"^[A-Z][\w.' -]{1,40}(?:/[A-Z][\w.' -]{1,40})+$")
_PHOTO_CREDIT = re.compile(r"\b(?:photo|image|picture)\s+(?:credit|by)\b", re.IGNORECASE)
_AGENCY_PHOTO = re.compile(r"\((?:[A-Z][\w.]*\s+)?photo\s*/", re.IGNORECASE)
_CREDIT_LABEL = re.compile(r"\bcredit\b\s*:", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|from|written by|posted by)\s+[^\W\d_]", re.IGNORECASE)
AGENCY_CREDIT = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b",
    re.IGNORECASE,
)
COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b|ⓒ", re.IGNORECASE)


# A caption's closing credit: "… Photograph: Agency via Ministry".
_CLOSING_CREDIT = re.compile(
    r"\b(?:photo(?:graph)?|picture|image|illustration)s?(?:\s+(?:by|credit))?\s*:\s*"
    r"[^.:!?]{2,80}$",
    re.IGNORECASE,
)


def is_caption_or_credit(line: Line) -> bool:
    text = line.text
    if _CLOSING_CREDIT.search(text[-120:]):
        return True
    if line.words > 45:
        return False
    if _CREDIT_WORD.search(text) and _CREDIT_SHAPE.search(text):
        return True
    if (
        line.words <= 12
        and not line.ends_sentence
        and (_CREDIT_NAME.search(text) or _SLASHED_NAMES.match(text))
    ):
        return True  # "Jane Doe/Agency", "Jane Doe | Getty Images"
    # "Image Credit: X", "Photo by X", "(AP Photo/Name)"
    return bool(
        _PHOTO_CREDIT.search(text)
        or _AGENCY_PHOTO.search(text)
        or (line.words <= 6 and _CREDIT_LABEL.search(text))
    )


def is_byline(line: Line) -> bool:
    return bool(_BYLINE.match(line.text)) and line.words <= 10 and not line.ends_sentence


def is_date_line(line: Line) -> bool:
    return line.words <= 16 and bool(
        find_date(line.text) or (line.words <= 6 and month_day(line.text))
    )


def repeated(lines: list[Line]) -> set[int]:
    """Indexes of lines that repeat an earlier line (menus shown twice, pull quotes), and
    both copies of a line shown twice in a row (an image's text and its caption)."""
    seen: set[str] = set()
    repeats: set[int] = set()
    counts = Counter(line.text.casefold() for line in lines)
    for index, line in enumerate(lines):
        key = line.text.casefold()
        if key in seen or (counts[key] > 1 and not line.is_prose) or is_doubled(lines, index):
            repeats.add(index)
        seen.add(key)
    return repeats


def is_doubled(lines: list[Line], index: int) -> bool:
    """True when the line before or after says exactly the same."""
    key = lines[index].text.casefold()
    return any(
        0 <= other < len(lines) and lines[other].text.casefold() == key
        for other in (index - 1, index + 1)
    )


LONGEST_HEADLINE_WORDS = 30
# "(Agency/Photographer)", "(Photo: Agency)" closing a line.
_PARENTHESISED_CREDIT = re.compile(r"\([^()]{1,60}[/|:][^()]{1,60}\)\s*$")


def is_doubled_caption(lines: list[Line], index: int) -> bool:
    """A line a pasted page shows twice in a row, written as a sentence or closing with a
    credit: an image's description, once as its text and once as its caption. A headline
    shown twice (it ends without a full stop) is left to the other rules."""
    line = lines[index]
    return is_doubled(lines, index) and (
        line.text.rstrip(CLOSING).endswith(".")
        or line.words > LONGEST_HEADLINE_WORDS
        or bool(_PARENTHESISED_CREDIT.search(line.text) or _CREDIT_WORD.search(line.text))
    )


def is_interface_line(line: Line) -> bool:
    """A button or notice of the page ("Click here to subscribe", "Comments")."""
    if line.is_prose:
        return False
    if line.words <= 15 and INTERFACE_PHRASE.search(line.text):
        return True
    return 1 <= line.words <= 3 and line.interface_ratio >= 0.5
