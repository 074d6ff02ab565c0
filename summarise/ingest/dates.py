"""Dates as pages write them ("22 March 2016", "March 22, 2016", "2016-03-22"), read as
YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import re

# Month names of the languages news pages are most often written in (English, German,
# French, Spanish, Portuguese, Italian, Dutch, Indonesian), so a page's own date is read
# whatever its language.
_MONTH_NAMES = [
    "january jan januar jänner janvier enero janeiro gennaio januari",
    "february feb februar février fevrier febrero fevereiro febbraio februari",
    "march mar märz maerz mars marzo março marco maart maret",
    "april apr avril abril aprile",
    "may mai mayo maio maggio mei",
    "june jun juni juin junio junho giugno",
    "july jul juli juillet julio julho luglio",
    "august aug août aout agosto augustus agustus",
    "september sep sept septembre septiembre setiembre setembro settembre",
    "october oct oktober octobre octubre outubro ottobre",
    "november nov novembre noviembre novembro",
    "december dec dezember décembre decembre diciembre dezembro dicembre desember",
]
_MONTHS = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    # "22 March 2016", "22 de outubro de 2010", "22. März 2016"
    re.compile(
        rf"\b{_DAY}\.?\s+(?:(?:of|de|di|del)\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}\b",
        re.IGNORECASE,
    ),
]
# "22/03/2016", "22.03.2016", "3/22/2016": which number is the month shows only when one
# of them is above 12; otherwise the date is ambiguous and not guessed.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.])(?P<first>[0-3]?\d)(?P<separator>[/.])(?P<second>[0-3]?\d)(?P=separator)"
    r"(?P<year>(?:19|20)\d\d)(?![\d/.])"
)
# "11/19/19 06:56 AM": a two-digit year is read only in a stamp with its time.
_STAMP_DATE = re.compile(
    r"(?<![\d/.])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/(?P<year>\d\d)\s+\d{1,2}:\d\d(?!\d)"
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
    for pattern, century in ((_NUMERIC_DATE, 0), (_STAMP_DATE, 2000)):
        for match in pattern.finditer(text):
            year = century + int(match["year"])
            iso = _numeric_date(year, int(match["first"]), int(match["second"]))
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
