"""Part 5: a pasted web page's structure. Are the title, source and date found in the copied
text the ones the page's HTML states, and do summary sentences come from the article body?

Run alone for a developer's view of the mistakes on one half of the pages::

    python -m bench.quality.structure --half A --errors --no-summaries
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.quality.cleaning import Page, _normalised, inside, read_pages
from bench.quality.common import (
    MissingData,
    Table,
    data_root,
    harmonic,
    jobs,
    parallel_map,
    set_jobs,
    split,
    words,
)

_SENTENCES = 3
TITLE_F1 = 0.9

# ---------------------------------------------------------------------------------------
# Dates: written forms, parsing, and "does this text state that date?"

_MONTH_NAMES = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
# Full month names of the other languages among the pages (German, French, Spanish,
# Portuguese, Italian, Indonesian, Russian in the genitive: "24 сентября 2018").
_FOREIGN_MONTHS = (
    "januar janvier enero janeiro gennaio januari января",
    "februar février febrero fevereiro febbraio februari февраля",
    "märz mars marzo março maret марта",
    "april avril abril aprile апреля",
    "mai mayo maio maggio mei мая",
    "juni juin junio junho giugno июня",
    "juli juillet julio julho luglio июля",
    "august août agosto agustus августа",
    "september septembre septiembre setembro settembre сентября",
    "oktober octobre octubre outubro ottobre октября",
    "november novembre noviembre novembro ноября",
    "dezember décembre diciembre dezembro dicembre desember декабря",
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
for _number, _names in enumerate(_FOREIGN_MONTHS, 1):
    _MONTHS.update((name, _number) for name in _names.split() if name not in _MONTHS)
_MONTH_ALTERNATIVES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
# Every written form the naive "first date in the text" baseline and the gold normaliser read.
_WRITTEN_DATES = (
    # 2019-11-19, 2019/11/19, 2019.11.19 (and ISO timestamps)
    ("ymd", re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    # 2019년 11월 19일 (Korean pages)
    ("ymd", re.compile(r"((?:19|20)\d\d)\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")),
    # November 19, 2019 / Nov. 19th 2019 / Tuesday, Nov 19, 2019
    (
        "mdy",
        re.compile(
            rf"\b({_MONTH_ALTERNATIVES})\.?\s+(\d{{1,2}}){_ORDINAL},?\s+((?:19|20)\d\d)\b",
            re.IGNORECASE,
        ),
    ),
    # 19 November 2019 / 19th of Nov. 2019 / 19. November 2019 / Tue, 19 Nov 2019
    (
        "dmy",
        re.compile(
            rf"\b(\d{{1,2}}){_ORDINAL}\.?\s+(?:of\s+|de\s+)?({_MONTH_ALTERNATIVES})\.?,?\s+"
            r"(?:de\s+)?((?:19|20)\d\d)\b",
            re.IGNORECASE,
        ),
    ),
    # 11/19/2019 or 19/11/2019 (month first when that is a valid date), also with - or .
    ("numeric", re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d\d)(?!\d)")),
    # 20191119 (only in metadata)
    ("compact", re.compile(r"^((?:19|20)\d\d)(\d\d)(\d\d)(?:\D|$)")),
)


def _iso(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _MONTHS.get(text.lower(), 0)


def _date_of(kind: str, groups: Sequence[str]) -> str:
    first, second, third = groups
    if kind in ("ymd", "compact"):
        return _iso(int(first), int(second), int(third))
    if kind == "mdy":
        return _iso(int(third), _month(first), int(second))
    if kind == "dmy":
        return _iso(int(third), _month(second), int(first))
    return _iso(int(third), int(first), int(second)) or _iso(int(third), int(second), int(first))


def dates_in(text: str, compact: bool = False) -> Iterator[tuple[int, str]]:
    """(position, YYYY-MM-DD) of every written date found in ``text``."""
    for kind, pattern in _WRITTEN_DATES:
        if kind == "compact" and not compact:
            continue
        for match in pattern.finditer(text):
            iso = _date_of(kind, match.groups())
            if iso:
                yield match.start(), iso


def first_date(text: str) -> str:
    """The earliest written date in ``text`` as YYYY-MM-DD, or "" (the naive baseline)."""
    found = sorted(dates_in(text))
    return found[0][1] if found else ""


def normalise_date(value: str) -> str:
    """A metadata date (ISO timestamp, RFC 822, compact, written) as YYYY-MM-DD, or ""."""
    value = value.strip()
    if not value:
        return ""
    found = sorted(dates_in(value, compact=True))
    if found:
        return found[0][1]
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""


def states_date(text: str, iso: str) -> bool:
    """True when ``text`` writes the date ``iso`` in any of the forms above (ISO, "March 22,
    2016", "22 March 2016", "Mar. 22nd, 2016", "22/03/2016", "03/22/2016", "2016/03/22",
    "2016년 3월 22일", "22 de março de 2016", "22 марта 2016"), or numerically with a
    two-digit year ("03/22/16", "22.03.16")."""
    if not iso:
        return False
    if any(found == iso for _, found in dates_in(text)):
        return True
    year, month, day = (int(part) for part in iso.split("-"))
    # Numeric day and month either way round ("05/11/2019" is May 11 or 5 November).
    years = f"(?:{year}|{year % 100:02d})"
    numeric = re.compile(rf"(?<![\d/.-])(\d{{1,2}})[-/.](\d{{1,2}})[-/.]{years}(?!\d)")
    pairs = ((month, day), (day, month))
    return any((int(match[1]), int(match[2])) in pairs for match in numeric.finditer(text))


# ---------------------------------------------------------------------------------------
# Text comparison

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.,;:!?…\-|]+$")


def normalise_title(text: str) -> str:
    """Casefolded, NFKC, quotes and dashes unified, whitespace collapsed, trailing
    punctuation stripped: the form in which two titles must be equal."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _TRAILING.sub("", _SPACES.sub(" ", text).strip())


def token_f1(predicted: str, gold: str) -> float:
    mine, true = Counter(words(predicted)), Counter(words(gold))
    common = sum((mine & true).values())
    if not common:
        return 0.0
    return harmonic(common / sum(mine.values()), common / sum(true.values()))


def _name(text: str) -> str:
    return " ".join(words(unicodedata.normalize("NFKC", text)))


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word != "the")


def same_source(ours: str, gold: str) -> bool:
    """Equal once lower-cased to words, or one contains the other as whole words
    ("The Guardian" and "Guardian"), or equal without spaces ("TheHill" and "The Hill"),
    or one word is the initials of the other ("WSJ" and "Wall Street Journal")."""
    mine, true = _name(ours), _name(gold)
    if not mine or not true:
        return False
    if mine == true or f" {mine} " in f" {true} " or f" {true} " in f" {mine} ":
        return True
    if mine.replace(" ", "") == true.replace(" ", ""):
        return True
    short, long = sorted((mine, true), key=len)
    return " " not in short and len(short) >= 2 and " " in long and short == _initials(long)


def names_site(text: str, site: str) -> bool:
    """True when ``site`` occurs in ``text`` case-insensitively, at word boundaries."""
    parts = [re.escape(part) for part in site.split()]
    if not parts:
        return False
    pattern = r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


# ---------------------------------------------------------------------------------------
# Gold: what the page's HTML states


@dataclass
class Gold:
    title: str = ""
    title_from: str = ""
    # Every headline the HTML states (og:title, <title> less its suffix, the first <h1>):
    # a page whose social title differs from the headline it shows has both right.
    titles: tuple[str, ...] = ()
    source: str = ""
    source_from: str = ""
    date: str = ""
    date_from: str = ""
    date_written: str = ""  # the value the date was read from

    def utc_early(self) -> bool:
        """A UTC timestamp before 08:00: the page's local date may be the day before."""
        match = re.search(
            r"T?\s?(\d\d):\d\d(?::[\d.]+)?\s*(Z|UTC|GMT|[+-]00:?00)\b", self.date_written
        )
        return match is not None and int(match[1]) < 8


_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
_DATE_KEYS = ("article:published_time", "og:article:published_time", "article:published")
_DATE_NAMES = ("datepublished", "date", "pubdate", "publishdate", "dc.date.issued")
_ARTICLE_TYPES = re.compile(r"article|posting|report|news", re.IGNORECASE)


def _meta(tree: Any) -> dict[str, str]:
    """First non-empty content of each <meta> key (property, name or itemprop; lower-cased)."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            # itemprop may hold several names ("datePublished dateCreated")
            for key in (element.get(attribute) or "").lower().split():
                found.setdefault(key, content)
    return found


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Every JSON object (nested ones and @graph members too) of the page's JSON-LD."""
    objects: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            objects.append(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        try:
            walk(json.loads(text, strict=False))
        except ValueError:
            continue
    return objects


def _types(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type", "")
    return [str(k) for k in kind] if isinstance(kind, list) else [str(kind)]


def _publisher_name(objects: list[dict[str, Any]]) -> str:
    for item in objects:
        publisher = item.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            name = publisher["name"].strip()
            if name:
                return name
    return ""


def _published(objects: list[dict[str, Any]]) -> str:
    """The first datePublished (as written) of the JSON-LD, article types first."""
    ordered = sorted(
        objects, key=lambda item: not any(_ARTICLE_TYPES.search(k) for k in _types(item))
    )
    for item in ordered:
        value = item.get("datePublished")
        if isinstance(value, str) and normalise_date(value):
            return value
    return ""


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _site_like(segment: str, names: Iterable[str]) -> bool:
    return any(
        name and (same_source(segment, name) or _squashed(segment) == _squashed(name))
        for name in names
    )


def _strip_site(title: str, names: list[str], short_too: bool) -> tuple[str, bool]:
    """``title`` without a trailing (or leading) site segment after " | ", " - ", " – ",
    " — ", " :: " etc. A segment is cut when it names the site (``names``), or, with
    ``short_too``, when it is short (at most 4 words and 30 characters) beside a title at
    least twice its length in words."""
    pieces = _SEPARATORS.split(title)
    if len(pieces) < 2:
        return title, False
    separators = _SEPARATORS.findall(title)
    last = pieces[-1]
    rest = title[: len(title) - len(last) - len(separators[-1])]
    if _site_like(last, names) or (
        short_too
        and len(words(last)) <= 4
        and len(last) <= 30
        and len(words(rest)) >= 2 * len(words(last))
    ):
        return rest.strip(), True
    first = pieces[0]
    if _site_like(first, names):
        return title[len(first) + len(separators[0]) :].strip(), True
    return title, False


def _squashed(text: str) -> str:
    return "".join(words(text))


def _like_domain(name: str, domain: str) -> bool:
    """ "Reuters" ~ reuters, "CBSSports.com" ~ cbssports, "News Nation" ~ newsnation."""
    squashed = _squashed(name)
    return bool(squashed and domain) and (domain in squashed or squashed in domain)


def _domain_name(url: str) -> str:
    """ "www.nytimes.com" -> "nytimes": matched against a title's trailing segment."""
    host = re.sub(r"^https?://", "", url).split("/")[0].lower()
    labels = [label for label in host.split(".") if label not in ("www", "m", "blog")]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode_page(html: bytes) -> str:
    """The saved page as text: its declared charset, else UTF-8, else Windows-1252."""
    declared = _CHARSET.search(html[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            return html.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return html.decode("cp1252", errors="replace")


def gold_metadata(html: bytes, url: str = "") -> Gold:
    """Title, site name and publication date as the page's HTML states them."""
    import lxml.html

    gold = Gold()
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", decode_page(html)))
    except (ValueError, lxml.etree.ParserError):
        return gold
    meta = _meta(tree)
    objects = _json_ld(tree)
    domain = _domain_name(url)
    heads = tree.findall(".//title")
    head = _text(heads[0]) if heads else ""
    pieces = _SEPARATORS.split(head)
    suffix = pieces[-1] if len(pieces) > 1 and len(words(pieces[-1])) <= 4 else ""

    for key in ("og:site_name", "application-name"):
        if meta.get(key):
            gold.source, gold.source_from = " ".join(meta[key].split()), key
            break
    else:
        gold.source = _publisher_name(objects)
        gold.source_from = "JSON-LD publisher" if gold.source else ""
    if suffix and not gold.source:
        gold.source, gold.source_from = suffix, "<title> suffix"
    elif suffix and _like_domain(suffix, domain) and not _like_domain(gold.source, domain):
        # Only Reuters here: og:site_name is the section ("U.S."), <title> ends "- Reuters".
        was = f" (not {gold.source_from} {gold.source!r})" if gold.source else ""
        gold.source, gold.source_from = suffix, f"<title> suffix{was}"

    names = [gold.source, domain]
    if meta.get("og:title"):
        title, cut = _strip_site(" ".join(meta["og:title"].split()), names, short_too=False)
        gold.title, gold.title_from = title, "og:title less site" if cut else "og:title"
    elif head:
        title, cut = _strip_site(head, names, short_too=True)
        gold.title, gold.title_from = title, "<title> less suffix" if cut else "<title>"
    else:
        h1 = next((_text(e) for e in tree.iter("h1") if _text(e)), "")
        if h1:
            gold.title, gold.title_from = h1, "<h1>"

    stated = [gold.title]
    if head:
        stated.append(_strip_site(head, names, short_too=True)[0])
    h1 = next((_text(e) for e in tree.iter("h1") if _text(e)), "")
    if h1:
        stated.append(h1)
    gold.titles = tuple(dict.fromkeys(title for title in stated if title))

    for key in _DATE_KEYS:
        if normalise_date(meta.get(key, "")):
            gold.date, gold.date_from = normalise_date(meta[key]), f"meta {key}"
            gold.date_written = meta[key]
            return gold
    published = _published(objects)
    if published:
        gold.date, gold.date_from = normalise_date(published), "JSON-LD datePublished"
        gold.date_written = published
        return gold
    for name in _DATE_NAMES:
        if normalise_date(meta.get(name, "")):
            gold.date, gold.date_from = normalise_date(meta[name]), f"meta {name}"
            gold.date_written = meta[name]
            return gold
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        marked = element.tag == "time" and element.get("pubdate") is not None
        if marked or "datePublished" in (element.get("itemprop") or "").split():
            value = element.get("datetime") or element.get("content") or ""
            if normalise_date(value):
                gold.date, gold.date_from = normalise_date(value), f"<{element.tag}> datePublished"
                gold.date_written = value
                return gold
    return gold


# ---------------------------------------------------------------------------------------
# The systems' answers


@dataclass
class Guess:
    """One system's answer for one page; None where the system does not answer."""

    title: str | None = None
    source: str | None = None
    date: str | None = None


OURS = "ours: pasted text (.txt) loaded"
OURS_HTML = "ours on the saved HTML (reference)"
TRAFILATURA = "trafilatura metadata from HTML"
FIRST_LINE = "first non-empty line"
LONGEST_LINE = "longest line"
NAIVE = "first date in text; name after ©"
SYSTEMS = (OURS, OURS_HTML, TRAFILATURA, FIRST_LINE, LONGEST_LINE, NAIVE)

_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)?\d\d)?\s*,?\s*)?"
    r"(?:by\s+)?([^\n.,;|©]{2,60})",
    re.IGNORECASE,
)


def after_copyright(text: str) -> str:
    """The name after the first ©/Copyright (a year after the sign skipped), or ""."""
    for match in _COPYRIGHT.finditer(text):
        name = re.split(r"\s+all rights\b", match[1], flags=re.IGNORECASE)[0].strip(" -–")
        if words(name) and not re.fullmatch(r"[\d\s-]+", name):
            return name
    return ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def baselines(text: str) -> dict[str, Guess]:
    lines = _lines(text)
    return {
        FIRST_LINE: Guess(title=lines[0] if lines else ""),
        LONGEST_LINE: Guess(title=max(lines, key=len) if lines else ""),
        NAIVE: Guess(source=after_copyright(text), date=first_date(text)),
    }


def _ours(path: Path) -> tuple[Guess, Any]:
    """Our answer for one file, and the article itself (None when nothing loaded)."""
    from summarise import sources

    problems: list[sources.LoadProblem] = []
    articles = sources.load_articles([path], problems)
    if not articles:
        return Guess("", "", ""), None
    article = articles[0]
    return Guess(article.title, article.source, article.published), article


def trafilatura_guess(html: bytes) -> Guess:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception:  # the upper bound must not stop the run
        document = None
    if document is None:
        return Guess("", "", "")
    if isinstance(document, dict):  # trafilatura < 2 returned a dict
        return Guess(
            document.get("title") or "", document.get("sitename") or "", document.get("date") or ""
        )
    return Guess(document.title or "", document.sitename or "", document.date or "")


# ---------------------------------------------------------------------------------------
# One page, all systems


@dataclass
class PageResult:
    index: int  # position in dev.jsonl: half A holds the even ones (1st, 3rd, ...)
    page: Page
    gold: Gold
    source_named: bool  # the pasted text names the gold site
    date_stated: bool  # the pasted text writes the gold date
    guesses: dict[str, Guess]
    sentences: list[str] | None = None  # our default summary (None: not computed)
    outside: list[str] = field(default_factory=list)

    @property
    def half(self) -> str:
        return "A" if self.index % 2 == 0 else "B"

    def title_right(self, name: str) -> bool | None:
        guess = self.guesses[name].title
        if guess is None or not self.gold.title:
            return None
        wanted = self.gold.titles or (self.gold.title,)
        return any(normalise_title(guess) == normalise_title(title) for title in wanted)

    def title_close(self, name: str) -> bool | None:
        guess = self.guesses[name].title
        if guess is None or not self.gold.title:
            return None
        wanted = self.gold.titles or (self.gold.title,)
        return any(token_f1(guess, title) >= TITLE_F1 for title in wanted)

    def source_right(self, name: str) -> bool | None:
        guess = self.guesses[name].source
        if guess is None or not (self.gold.source and self.source_named):
            return None
        return same_source(guess, self.gold.source)

    def date_right(self, name: str) -> bool | None:
        guess = self.guesses[name].date
        if guess is None or not (self.gold.date and self.date_stated):
            return None
        return guess == self.gold.date

    def ours_wrong(self) -> bool:
        checks = (self.title_right(OURS), self.source_right(OURS), self.date_right(OURS))
        return any(check is False for check in checks) or bool(self.outside)


def evaluate_page(index: int, page: Page) -> tuple[PageResult, Any]:
    html = page.html_path.read_bytes()
    text = page.text_path.read_text(encoding="utf-8", errors="replace")
    gold = gold_metadata(html, page.url)
    ours, article = _ours(page.text_path)
    guesses = {
        OURS: ours,
        OURS_HTML: _ours(page.html_path)[0],
        TRAFILATURA: trafilatura_guess(html),
    }
    guesses.update(baselines(text))
    result = PageResult(
        index=index,
        page=page,
        gold=gold,
        source_named=bool(gold.source) and names_site(text, gold.source),
        date_stated=states_date(text, gold.date),
        guesses=guesses,
    )
    return result, article


def _summaries(task: tuple[str | None, Sequence[Path]]) -> list[list[str] | None]:
    """Our default summary (3 sentences) of each pasted page, in a worker process."""
    from summarise import sources, summarisers
    from summarise.nlp import analyse_many, load_pipeline

    model, paths = task
    pipeline = load_pipeline(model)
    loaded = []
    for path in paths:
        articles = sources.load_articles([path], [])
        loaded.append(articles[0] if articles else None)
    analyses = iter(analyse_many([a for a in loaded if a is not None], pipeline))
    picks: list[list[str] | None] = []
    for article in loaded:
        if article is None:
            picks.append(None)
            continue
        analysis = next(analyses)
        summary = summarisers.summarise(
            article, analysis, summarisers.DEFAULT_ALGORITHM, sentences=_SENTENCES
        )
        picks.append(summary.sentences(article, analysis))
    return picks


def evaluate(
    pages: Sequence[Page], model: str | None = None, summaries: bool = True
) -> list[PageResult]:
    """Every page with gold, every system's answer and (optionally) our summary sentences."""
    results = [evaluate_page(index, page)[0] for index, page in enumerate(pages)]
    if summaries:
        slices = split([page.text_path for page in pages], 4 * jobs())
        picked = [
            pick
            for part in parallel_map(_summaries, [(model, list(part)) for part in slices])
            for pick in part
        ]
        for result, sentences in zip(results, picked, strict=True):
            result.sentences = sentences
            body = _normalised(result.page.body)
            result.outside = [s for s in sentences or [] if not inside(s, body)]
    return results


# ---------------------------------------------------------------------------------------
# Tables


def _share(values: Iterable[bool | None]) -> tuple[float | str, int]:
    scored = [value for value in values if value is not None]
    return (sum(scored) / len(scored) if scored else "–"), len(scored)


def scope_table(results: Sequence[PageResult], label: str, summaries: bool) -> Table:
    titles = sum(bool(r.gold.title) for r in results)
    sources_ = sum(bool(r.gold.source) and r.source_named for r in results)
    dates = sum(bool(r.gold.date) and r.date_stated for r in results)
    chosen = sum(len(r.sentences or []) for r in results)
    columns = [
        "system",
        f"title = (/{titles})",
        f"title F1≥{TITLE_F1} (/{titles})",
        f"source (/{sources_})",
        f"date (/{dates})",
        f"in body (/{chosen} sent.)" if summaries else "in body",
    ]
    rows = []
    for name in SYSTEMS:
        row: list[object] = [name]
        for check in ("title_right", "title_close", "source_right", "date_right"):
            share, scored = _share(getattr(r, check)(name) for r in results)
            row.append(share if scored else "–")
        if name == OURS and summaries and chosen:
            row.append(sum(len(r.sentences or []) - len(r.outside) for r in results) / chosen)
        else:
            row.append("–")
        rows.append(row)
    return Table(f"structure: web pages, {label}", columns, rows)


def _counted(values: Iterable[str]) -> str:
    counts = Counter(value or "none" for value in values)
    return ", ".join(f"{name} {count}" for name, count in counts.most_common())


def notes(results: Sequence[PageResult], summaries: bool) -> list[str]:
    from summarise import summarisers

    stated = [r for r in results if r.gold.date]
    unloaded = sum(not r.guesses[OURS].title and not r.guesses[OURS].source for r in results)
    lines = [
        f"{len(results)} pages of web-pages/dev.jsonl; A = 1st, 3rd, 5th... page of the file,"
        " B = 2nd, 4th...; cells are the share of the pages in the column's count (the"
        " number after /) that a system gets right; – = the system does not answer",
        "gold, from the saved HTML (lxml, not trafilatura). Title: og:title (a trailing or"
        " leading segment naming the site cut), else <title> less a site suffix after"
        " | - – — :: (the site's name or a segment of at most 4 words), else the first <h1>;"
        f" taken from {_counted(r.gold.title_from for r in results)}",
        "source: og:site_name, else application-name, else the JSON-LD publisher's name, else"
        " the short suffix of <title>, which also replaces an og:site_name unlike the domain"
        " when the suffix is like it (Reuters' is 'U.S.');"
        f" {_counted(r.gold.source_from for r in results)}",
        "date: article:published_time, og:article:published_time, article:published, JSON-LD"
        " datePublished, meta datePublished|date|pubdate|publishdate|DC.date.issued,"
        " <time pubdate> or itemprop=datePublished, in that order; a timestamp keeps the date"
        " it writes (no time-zone shift, so a US evening story stamped in UTC carries the next"
        f" day); {_counted(r.gold.date_from for r in results)}",
        "title =: equal to one of the headlines the HTML states (og:title as above, <title>"
        " less its site suffix, the first <h1>) after NFKC, casefold, quotes and dashes"
        f" unified, whitespace collapsed and trailing punctuation stripped; F1≥{TITLE_F1}:"
        " bag-of-words F1 of lower-cased words at least that with one of them; on pages with"
        " a gold title",
        "source: only pages whose pasted text names the gold site (case-insensitive, whole"
        " words); right when equal as lower-cased words, or one holds the other as whole"
        " words ('The Guardian' / 'Guardian'), or equal without spaces ('TheHill' / 'The"
        " Hill'), or one word is the other's initials ('WSJ' / 'Wall Street Journal')",
        "date: only pages whose pasted text writes the gold date (ISO, 'March 22, 2016',"
        " '22 March 2016', 'Mar. 22nd 2016', '22/03/2016' or '03/22/2016', '2016/03/22',"
        " two-digit years, Korean and month names of 7 other languages;"
        f" {sum(r.date_stated for r in stated)} of {len(stated)} pages with a gold date);"
        " right when YYYY-MM-DD equal",
        "ours: summarise.sources.load_articles([text_file]) -> Article.title, .source,"
        " .published; ours on HTML: the same on the saved .html (not the task, shown to check"
        " the gold); trafilatura: bare_extraction(html, with_metadata=True) -> title,"
        " sitename, date, the upper bound",
        "baselines on the pasted text: the first non-empty line, the longest line as title;"
        " the first written date in the text (forms above, month first when valid) and the"
        " name after the first ©/Copyright (year skipped) as source",
        (
            "in body: share of our default summary's sentences"
            f" ('{summarisers.DEFAULT_ALGORITHM}', {_SENTENCES} sentences, as in cleaning)"
            " whose lower-cased words occur contiguously in `body`"
            if summaries
            else "in body: not measured (--no-summaries)"
        ),
    ]
    if unloaded:
        lines.append(f"pages where ours loaded no article: {unloaded}")
    return lines


def tables(results: Sequence[PageResult], summaries: bool, half: str | None = None) -> list[Table]:
    scopes = [
        (f"all {len(results)} pages", list(results)),
        ("half A", [r for r in results if r.half == "A"]),
        ("half B", [r for r in results if r.half == "B"]),
    ]
    if half is not None:
        scopes = [scope for scope in scopes if scope[0] == f"half {half}"]
    out = []
    for label, chosen in scopes:
        if label.startswith("half"):
            label += f" ({len(chosen)} pages)"
        out.append(scope_table(chosen, label, summaries))
    out[0].notes = notes(results, summaries)
    return out


def run(data: Path, limit: int | None, pipeline: Any, model: str | None = None) -> list[Table]:
    pages = read_pages(data, limit)
    return tables(evaluate(pages, model, summaries=True), summaries=True)


# ---------------------------------------------------------------------------------------
# Developer view: the pages ours gets wrong


def _mark(check: bool | None) -> str:
    return {True: "ok", False: "WRONG", None: "not scored"}[check]


def _why_unscored(right: bool | None, gold: str, not_in_text: str) -> str:
    """Why a field was not scored on a page: no gold value, or the text does not hold it."""
    if right is not None:
        return ""
    return " (no gold)" if not gold else f" ({not_in_text})"


def error_report(results: Sequence[PageResult]) -> str:
    out = []
    wrong = [r for r in results if r.ours_wrong()]
    for r in wrong:
        ours, gold = r.guesses[OURS], r.gold
        out += ["", f"[{r.index} {r.half}] {r.page.url}", f"  text: {r.page.text_path}"]
        title = r.title_right(OURS)
        close = f", F1 {token_f1(ours.title or '', gold.title):.2f}" if title is False else ""
        out += [
            f"  title  {_mark(title)}{close}",
            f"    gold ({gold.title_from or 'none'}): {gold.title!r}",
            f"    ours: {ours.title!r}",
        ]
        source = r.source_right(OURS)
        why = _why_unscored(source, gold.source, "text does not name the site")
        out.append(
            f"  source {_mark(source)}{why}: gold ({gold.source_from or 'none'}) {gold.source!r}"
            f", ours {ours.source!r}"
        )
        date = r.date_right(OURS)
        if gold.utc_early():
            why_utc = (
                f" [gold read from UTC {gold.date_written!r}: local date may be a day earlier]"
            )
        else:
            why_utc = ""
        why = _why_unscored(date, gold.date, "text does not write it")
        out.append(
            f"  date   {_mark(date)}{why}: gold ({gold.date_from or 'none'}) {gold.date!r},"
            f" ours {ours.date!r}{why_utc}"
        )
        if r.sentences is not None:
            out.append(
                f"  summary: {len(r.outside)} of {len(r.sentences)} sentences outside the body"
            )
            out.extend(f"    - {' '.join(s.split())!r}" for s in r.outside)
    out.insert(0, f"{len(wrong)} of {len(results)} pages where ours is wrong somewhere:")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.quality.structure",
        description="Title, source, date and body share of pasted web pages, with the errors.",
    )
    parser.add_argument(
        "--data", help="data folder (default: $NEWSREADER_BENCH_DATA or ../shared/data)"
    )
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--half", choices=("A", "B"), help="only half A (even index) or B (odd)")
    parser.add_argument("--errors", action="store_true", help="print the pages ours gets wrong")
    parser.add_argument(
        "--no-summaries", action="store_true", help="skip the summaries (no spaCy: seconds)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the summaries")
    parser.add_argument("--model", help="spaCy model for the engine (default: the engine's choice)")
    args = parser.parse_args(argv)
    set_jobs(args.jobs)
    summaries = not args.no_summaries
    try:
        pages = read_pages(data_root(args.data), args.limit)
    except MissingData as problem:
        print(problem, file=sys.stderr)
        return 2
    if summaries:
        from summarise.nlp import load_pipeline

        load_pipeline(args.model)  # once, before the workers fork
    results = evaluate(pages, args.model, summaries=summaries)
    for table in tables(results, summaries, args.half):
        print(table.text())
        print()
    if args.errors:
        chosen = [r for r in results if args.half is None or r.half == args.half]
        print(error_report(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
