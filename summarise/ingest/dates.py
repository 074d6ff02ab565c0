"""Dates as pages write them ("22 March 2016", "March 22, 2016", "2016-03-22"), read as
YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
]
# "22/03/2016", "22.03.2016", "3/22/2016": which number is the month shows only when one
# of them is above 12; otherwise the date is ambiguous and not guessed.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.])(?P<first>[0-3]?\d)(?P<separator>[/.])(?P<second>[0-3]?\d)(?P=separator)"
    r"(?P<year>(?:19|20)\d\d)(?![\d/.])"
)
_DATE_WITHOUT_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*\d)", re.IGNORECASE)
ANY_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def make_date(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else _MONTHS.get(text.lower().rstrip("."), 0)


def _numeric_date(year: int, first: int, second: int) -> str:
    if first > 12 >= second:
        return make_date(year, second, first)
    if second > 12 >= first:
        return make_date(year, first, second)
    return ""


def find_date(text: str) -> str:
    """The first full calendar date in ``text`` as YYYY-MM-DD, or ""."""
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = make_date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            if iso:
                found.append((match.start(), iso))
                break
    for match in _NUMERIC_DATE.finditer(text):
        iso = _numeric_date(int(match["year"]), int(match["first"]), int(match["second"]))
        if iso:
            found.append((match.start(), iso))
            break
    return min(found)[1] if found else ""


def normalise_date(text: str) -> str:
    """A stated date (ISO timestamp, RFC 822, or a written date) as YYYY-MM-DD, or ""."""
    text = text.strip()
    if not text:
        return ""
    iso = find_date(text)
    if iso:
        return iso
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""


def month_day(text: str) -> tuple[int, int] | None:
    match = _DATE_WITHOUT_YEAR.search(text)
    if not match:
        return None
    return _month_number(match["month"]), int(match["day"])
