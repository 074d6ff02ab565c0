"""What each line around the body is: title, standfirst, dateline, source, date."""

from __future__ import annotations

import re

from summarise.article import BlockKind
from summarise.ingest.body import headline_anchor
from summarise.ingest.dates import ANY_YEAR, find_date, make_date, month_day
from summarise.ingest.furniture import (
    COPYRIGHT,
    LONGEST_HEADLINE_WORDS,
    is_byline,
    is_caption_or_credit,
    is_date_line,
    is_doubled,
)
from summarise.ingest.lines import CLOSING, URL, Layout, Line, tokens

_AGENCY = r"\((?P<agency>[A-Z][A-Za-z.&]*(?:[ -][A-Z][A-Za-z.&]*){0,3})\)"
_DATELINE = re.compile(
    r"^(?P<dateline>"
    r"(?:[A-Z][A-Z.'’\- ]{1,40}[A-Z.]"  # BEIRUT / NEW YORK / ST. LOUIS
    r"(?:,\s*[A-Z][\w.'’\- ]{1,30}?)?"  # , Syria
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*)?"  # , March 22[, 2016]
    + _AGENCY
    + r")\s*[-–—:]+\s*(?=\S)"
)
_PLACE_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.'’\- ]{2,30}[A-Z.](?:,\s*[A-Z][\w.'’\- ]{1,30}?)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?)"
    r"\s*(?::|[-–—]{1,2})\s+(?=[A-Z\"“‘'])"
)
TRAILING_AGENCY = re.compile(r"^[-–—\s]*" + _AGENCY + r"\s*$")
_ENDING_AGENCY = re.compile(
    r"^(?P<rest>.*[.!?…]['\"’”]?)\s*(?P<attribution>(?:[-–—]+\s*)?" + _AGENCY + r")\s*$"
)


def split_ending_agency(paragraph: str) -> tuple[str, str]:
    """(sentence, attribution) for a paragraph that ends "… killed. – (Reuters)": the
    agency's credit is not part of the story's last sentence. ("", "") when it has none."""
    match = _ENDING_AGENCY.match(paragraph)
    if not match or not match["rest"].strip():
        return "", ""
    return match["rest"].rstrip(), match["attribution"]


def split_dateline(paragraph: str) -> tuple[str, str, str]:
    """(dateline, agency, rest) for a paragraph opening with "BEIRUT, March 22 (Reuters) -";
    ("", "", paragraph) when it has none."""
    match = _DATELINE.match(paragraph) or _PLACE_DATELINE.match(paragraph)
    if not match:
        return "", "", paragraph
    dateline = match["dateline"].strip()
    agency = match.groupdict().get("agency") or ""
    return dateline, agency, paragraph[match.end() :]


PLACE_LINE = re.compile(r"^[A-Z][A-Z.'’\- ]{1,30}(?:,\s*[A-Z][A-Za-z.'’\- ]{1,30})?:?$")


def is_separator(line: Line, kind: BlockKind) -> bool:
    """A block that sets a story's summary apart from its body: a photo and its credit,
    a byline, a date or a place name in capitals."""
    return kind == "caption" or (
        kind == "boilerplate"
        and (
            is_byline(line)
            or is_date_line(line)
            or is_caption_or_credit(line)
            or bool(PLACE_LINE.match(line.text))
        )
    )


def split_lead_in(lines: list[Line], kinds: list[BlockKind], start: int, end: int) -> None:
    """Summary points set above the story (separated from it by a photo, a date or a
    place line) are not part of the body: the first is the standfirst."""
    lead: list[int] = []
    for index in range(start, min(end, start + 4)):
        if kinds[index] == "body":
            lead.append(index)
            continue
        gap = range(index, min(end, index + 3))
        separators = [i for i in gap if kinds[i] != "body" and is_separator(lines[i], kinds[i])]
        if not lead or not separators:
            return
        index = separators[-1]
        rest = [i for i in range(index + 1, end) if kinds[i] == "body"]
        lead_words = sum(lines[i].words for i in lead)
        if sum(lines[i].words for i in rest) > 2 * lead_words and len(rest) > len(lead):
            kinds[lead[0]] = "standfirst"
            for other in lead[1:]:
                kinds[other] = "boilerplate"
            if PLACE_LINE.match(lines[index].text):
                kinds[index] = "dateline"
        return


def mark_image_text(lines: list[Line], kinds: list[BlockKind], anchor: int) -> None:
    """An image's description sits just above its credit ("Photo: ...")."""
    for index, kind in enumerate(kinds):
        above = index - 1
        if kind != "caption" or above < 0 or above == anchor or kinds[above] != "boilerplate":
            continue
        if is_doubled(lines, index) or is_doubled(lines, above):
            continue  # a caption shown twice is its own description
        line = lines[above]
        if (
            3 <= line.words <= 60
            and not line.heading
            and not (is_byline(line) or is_date_line(line))
        ):
            kinds[above] = "caption"


def find_title(
    lines: list[Line], kinds: list[BlockKind], body_start: int, repeats: set[int]
) -> int:
    """The headline: a short line without a final full stop, close above the body."""
    first_words = tokens(lines[0].text) if lines else set()
    best, best_score = -1, 0.0
    candidates: list[int] = []
    nearby = list(range(body_start - 1, max(-1, body_start - 25), -1))
    anchor = headline_anchor(lines)
    if anchor < 0 and lines and _opens_with_headline(lines[0]):
        anchor = 0
    # A headline shown twice (above the story and in a list further down) is the same
    # anchor wherever it stands.
    anchors = {anchor} if anchor >= 0 else set()
    if anchor >= 0:
        anchors.update(i for i, line in enumerate(lines) if line.text == lines[anchor].text)
    nearby += [i for i in sorted(anchors) if i < body_start and i not in nearby]
    for index in nearby:
        line = lines[index]
        if kinds[index] != "boilerplate" or not _could_be_title(line):
            continue
        candidates.append(index)
        distance = min(body_start - index, 25)
        score = 3.0 - 0.12 * distance
        if index in anchors:
            score += 3.0  # the line that repeats the page's own title
        score += min(line.words, 10) * 0.25
        if line.heading:
            score += 2.0
        if index > 0:
            # The page's <title>, its first line, repeats the headline's words.
            words = tokens(line.text)
            score += 4.0 * len(words & first_words) / max(1, len(words))
        if index in repeats:
            score -= 2.0
        if line.ends_sentence and line.text.rstrip(CLOSING)[-1:] == ".":
            score -= 2.0
        if score > best_score:
            best, best_score = index, score
    if best < 0:
        if lines and kinds[0] == "boilerplate" and lines[0].chars <= 200:
            return 0  # a plain text's first line
        return -1
    # A line holding the whole headline plus more ("Share this: Headline") is a copy.
    for index in candidates:
        inner = lines[index]
        if index != best and inner.words >= 3 and inner.text in lines[best].text:
            return index
    return best


def _opens_with_headline(first: Line) -> bool:
    """A page copied from its headline down starts with it: a headline-shaped first line
    that no later line repeats (a browser title would be repeated by the headline)."""
    return first.words >= 3 and not first.ends_sentence and _could_be_title(first)


def _could_be_title(line: Line) -> bool:
    if not 2 <= line.chars <= 200:
        return False
    if line.words and not 2 <= line.words <= LONGEST_HEADLINE_WORDS:
        return False
    # Menus are short runs of interface words; a headline may hold one or two ("Home
    # Depot shares plunge").
    if line.interface_ratio > 0.4 or (line.interface_ratio > 0.2 and line.words <= 4):
        return False
    if is_byline(line) or is_caption_or_credit(line):
        return False
    return not (is_date_line(line) or URL.search(line.text) or COPYRIGHT.search(line.text))


def find_standfirst(
    lines: list[Line], kinds: list[BlockKind], title_index: int, body_start: int
) -> None:
    """The summary line under the headline, set apart from the body by a byline, date or
    photo."""
    for index in range(title_index + 1, min(len(lines), title_index + 4)):
        line = lines[index]
        if (
            kinds[index] == "boilerplate"
            and index < body_start
            and 8 <= line.words <= 60
            and line.stop_ratio >= 0.15
            and not line.heading
            and not (is_byline(line) or is_date_line(line) or is_caption_or_credit(line))
        ):
            kinds[index] = "standfirst"
            return
        if kinds[index] == "body":
            following = kinds[index + 1 : index + 3]
            if following and following[0] != "body" and "body" in kinds[index + 2 :]:
                separated = any(
                    is_byline(lines[k]) or is_date_line(lines[k]) or kinds[k] == "caption"
                    for k in range(index + 1, min(len(lines), index + 4))
                    if kinds[k] != "body"
                )
                if separated and line.words <= 50 and not split_dateline(line.text)[0]:
                    kinds[index] = "standfirst"
            return


# Source (publication or agency)

_YEARS = re.compile(r"\b(?:19|20)\d\d\b(?:\s*[-–]\s*(?:19|20)\d\d\b)?")
_RIGHTS = re.compile(r"\ball rights? reserved\b.*$|\bcopyright\b|©|\(c\)|ⓒ", re.IGNORECASE)


# A company's legal form says who owns the site, not what the site is called.
_LEGAL_FORM = re.compile(
    r"(?:,?\s+(?:Pty\.?|Pvt\.?|Private|Public)?\s*(?:Ltd\.?|Limited|Inc\.?|LLC|L\.L\.C\.|Corp\.?"
    r"|Corporation|GmbH|S\.A\.|PLC|plc|AG|Co\.))+$"
)


def _copyright_holder(text: str) -> str:
    """ "The Daily Paper" from "© 2015 The Daily Paper Ltd. All rights reserved."."""
    marker = COPYRIGHT.search(text)
    if not marker:
        return ""
    holder = _YEARS.sub(" ", _RIGHTS.sub(" ", text[marker.start() :]))
    holder = re.split(r"\.\s|\s[|\-–—]\s|[;(]", holder)[0]
    holder = re.sub(r"^[^\w(]+|[^\w)]+$", "", " ".join(holder.split()))
    holder = _LEGAL_FORM.sub("", holder).strip(" ,")
    words = holder.split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper():
        return ""
    return holder


# Words that make a copyright holder the company that owns the site, not the site.
_OWNER_WORD_TEXT = (
    "holdings universal company interactive network networks group media corporation"
    " communications publishing publications enterprises broadcasting digital"
)
_OWNER_WORDS = frozenset(_OWNER_WORD_TEXT.split())


def _brand_of_owner(lines: list[Line], kinds: list[BlockKind], owner: str) -> str:
    """The site's own name when the copyright names its owner ("NYP Holdings" owns "New
    York Post", "NBC Universal" "NBC News"): a name line the page shows more than once,
    outside the story, led by the owner's first word or spelling it in initials."""
    words = owner.split()
    if len(words) < 2 or not any(word.casefold() in _OWNER_WORDS for word in words[1:]):
        return ""
    lead = words[0].casefold()
    shown: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        if kinds[index] == "body" or not is_name_line(line) or line.text == owner:
            continue
        name_words = line.text.split()
        initials = "".join(word[0] for word in name_words if word[:1].isupper()).casefold()
        if name_words[0].casefold() == lead or (len(name_words) > 1 and initials == lead):
            shown.setdefault(line.text.casefold(), []).append(line.text)
    repeated = [texts for texts in shown.values() if len(texts) > 1]
    return max(repeated, key=len)[0] if repeated else ""


def _site_copyright(lines: list[Line], footer: list[int]) -> str:
    """The holder of the page's own copyright notice, looked for in the footer first, then
    above the story: one that reserves rights or names a year wins over a bare "© Agency"
    under a photo."""
    found = [(index, _copyright_holder(lines[index].text)) for index in footer]
    found = [(index, holder) for index, holder in found if holder]
    for index, holder in found:
        if _RIGHTS.search(lines[index].text) and (
            _YEARS.search(lines[index].text) or "reserved" in lines[index].text.casefold()
        ):
            return holder
    return found[0][1] if found else ""


def is_name_line(line: Line) -> bool:
    """A short title-cased line such as a publication's name."""
    words = line.text.split()
    return (
        1 <= len(words) <= 5
        and not line.ends_sentence
        and not any(char.isdigit() for char in line.text)
        and all(word[:1].isupper() or word in {"of", "the", "and", "&"} for word in words)
        and line.interface_ratio == 0
    )


def _title_suffix_site(first_line: str, title: str) -> str:
    """The site named after the headline in the page's first line ("Headline | Site")."""
    title_words = tokens(title)
    for separator in (" | ", " - ", " – ", " — "):
        head, found, tail = first_line.rpartition(separator)
        if not (found and head.strip() and 1 <= len(tail.split()) <= 4):
            continue
        head_words = tokens(head)
        if title_words and len(head_words & title_words) < 0.6 * len(title_words):
            continue
        return tail.strip()
    return ""


_ADDRESS = re.compile(
    r"(?:https?://|\bwww\.)(?:[\w-]+\.)*?(?P<label>[\w-]{3,63})\.[a-z]{2,24}(?:\.[a-z]{2})?\b"
    r"|\b(?P<bare>[\w-]{3,63})\.(?:com|org|net|co\.uk|com\.au|in|ie)\b",
    re.IGNORECASE,
)


def _squashed(name: str) -> str:
    letters = "".join(char for char in name.casefold() if char.isalnum())
    return letters.removeprefix("the") if len(letters) > 6 else letters


def _site_named_by_address(lines: list[Line], kinds: list[BlockKind]) -> str:
    """A name line outside the story that spells the site's own web address
    ("The New Indian Express" beside "www.newindianexpress.com")."""
    labels: set[str] = set()
    for index, line in enumerate(lines):
        if kinds[index] != "body":
            for match in _ADDRESS.finditer(line.text):
                labels.add((match["label"] or match["bare"]).casefold().replace("-", ""))
    if not labels:
        return ""
    for index, line in enumerate(lines):
        if kinds[index] == "body" or not is_name_line(line):
            continue
        name = _squashed(line.text)
        if len(name) >= 3 and any(name == label or name == _squashed(label) for label in labels):
            return line.text
    return ""


def guess_source(layout: Layout, title: str) -> str:
    lines, kinds = layout.lines, layout.kinds
    last_body = max((i for i, kind in enumerate(kinds) if kind == "body"), default=-1)
    footer = range(len(lines) - 1, last_body, -1)
    if lines and layout.title_index > 0:
        site = _title_suffix_site(lines[0].text, title)
        if site:
            return site
    first_body = next((i for i, kind in enumerate(kinds) if kind == "body"), len(lines))
    holder = _site_copyright(lines, [*footer, *range(first_body - 1, -1, -1)])
    if holder:
        return _brand_of_owner(lines, kinds, holder) or holder
    site = _site_named_by_address(lines, kinds)
    if site:
        return site
    if layout.agency:
        return layout.agency
    for index in footer:
        match = TRAILING_AGENCY.match(lines[index].text)
        if match:
            return match["agency"]
    if lines and last_body < len(lines) - 1 and _names_the_site(lines[-1]):
        return lines[-1].text
    return ""


# Buttons that share a story name networks, not the site ("Messenger Facebook").
_SOCIAL_NETWORK_TEXT = (
    "facebook twitter x messenger whatsapp instagram linkedin pinterest reddit youtube"
    " telegram tumblr snapchat tiktok flipboard email rss"
)
_SOCIAL_NETWORKS = frozenset(_SOCIAL_NETWORK_TEXT.split())


def _names_the_site(line: Line) -> bool:
    words = [word.casefold() for word in line.text.split()]
    return is_name_line(line) and not all(word in _SOCIAL_NETWORKS for word in words)


def guess_date(layout: Layout) -> str:
    """The date nearest the headline; a dateline's month and day take the year the page
    names most often outside the story."""
    lines, kinds = layout.lines, layout.kinds
    story = layout.title_index
    if story < 0:
        story = next((i for i, kind in enumerate(kinds) if kind == "body"), 0)
    nearest = sorted(
        (i for i, kind in enumerate(kinds) if kind != "body"), key=lambda i: abs(i - story)
    )
    for wanted in ("dateline", None):
        for index in nearest:
            if wanted and kinds[index] != wanted:
                continue
            iso = find_date(lines[index].text)
            if iso:
                return iso
    for index in nearest:
        stated = month_day(lines[index].text) if kinds[index] == "dateline" else None
        if stated:
            years = [int(year) for i in nearest for year in ANY_YEAR.findall(lines[i].text)]
            if years:
                return make_date(max(set(years), key=years.count), *stated)
            return ""
    return ""
