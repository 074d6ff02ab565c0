"""Raw text -> an article's blocks: title, standfirst, dateline, captions, boilerplate, body.

Text copied from a web page holds the story among menus, share buttons, photo captions,
related links and footers. Every block is judged by general shape signals: its length,
end punctuation, how many function words it holds, how many of its words are capitalised,
whether it repeats, and where it sits. The body is the densest run of prose in the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from summarise.article import Article, Block, BlockKind, RawDocument

# ---------------------------------------------------------------------------------------
# Text hygiene

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


# ---------------------------------------------------------------------------------------
# Dates

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
_DATE_WITHOUT_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*\d)", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _make_date(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else _MONTHS.get(text.lower().rstrip("."), 0)


def find_date(text: str) -> str:
    """The first full calendar date in ``text`` as YYYY-MM-DD, or ""."""
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _make_date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
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


def _month_day(text: str) -> tuple[int, int] | None:
    match = _DATE_WITHOUT_YEAR.search(text)
    if not match:
        return None
    return _month_number(match["month"]), int(match["day"])


# ---------------------------------------------------------------------------------------
# Line features

# Function words of English: prose is full of them, menus and headings are not.
_STOP_WORD_TEXT = (
    "a about above after again against all also am an and any are as at be because been "
    "before being below between both but by can could did do does doing down during each "
    "few for from further had has have having he her here hers him his how i if in into is "
    "it its itself just me more most my no nor not of off on once only or other our out over "
    "own said same she should so some such than that the their theirs them then there these "
    "they this those through to too under until up very was we were what when where which "
    "while who whom why will with would you your"
)
_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’\-])*", re.UNICODE)
_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”)\]»]*$")
_INNER_SENTENCE_END = re.compile(r"[.!?。！？]['\"’”)]*\s+\S")
_CLOSING = "'\"’”)]»"
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w+\.\w+")
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
_AGENCY_CREDIT = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b|ⓒ", re.IGNORECASE)
# Words and phrases of a web page's interface rather than of a story.
_INTERFACE_WORD_TEXT = (
    "share shares tweet email print comment comments subscribe subscription newsletter "
    "newsletters login log sign signup cookie cookies advertisement advertising sponsored "
    "click download app follow menu search home privacy terms skip accept reply"
)
_INTERFACE_WORDS = frozenset(_INTERFACE_WORD_TEXT.split())
_INTERFACE_PHRASE = re.compile(
    r"\b(?:sign(?:ing|ed)? up|log(?:ged)? in|opt[- ]in|subscri\w*|unsubscri\w*|newsletters?"
    r"|inbox|cookies?|privacy (?:policy|settings|notice)"
    r"|terms (?:of|and) (?:use|service|conditions)"
    r"|all rights? reserved|click(?:ing)? (?:here|the|on|to)|download (?:the|our) app"
    r"|e-?mail address|javascript|your browser|advertisement|sponsored content"
    r"|read more|see more|related (?:articles|stories|posts))\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|(?<!\w)[@#]\w{2,}")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_MARKDOWN_DECORATION = re.compile(r"^(?:>\s*)+|^\s*[*_]{2}|[*_]{2}\s*$")


@dataclass(frozen=True)
class _Line:
    text: str
    words: int
    chars: int
    ends_sentence: bool
    sentences: int
    stop_ratio: float
    capital_ratio: float
    interface_ratio: float
    heading: bool  # marked as a heading by the source (Markdown #)

    @property
    def is_prose(self) -> bool:
        """A paragraph of running text: several sentences' worth of words and function
        words, and sentence punctuation."""
        if self.chars < 40:
            return False
        long_enough = self.words >= 10 or (self.words == 0 and self.chars >= 60)
        if not long_enough:
            return False
        if self.interface_ratio > 0.15 or (self.capital_ratio >= 0.8 and self.words < 30):
            return False
        wordy = self.stop_ratio >= 0.2 or self.words == 0 or self.capital_ratio < 0.5
        if self.ends_sentence:
            return wordy
        # Long running text without a final full stop (cut off, or ends in a quote).
        return wordy and (self.words >= 40 or (self.words == 0 and self.sentences >= 2))

    @property
    def is_short_prose(self) -> bool:
        """A short sentence such as "A spokesman declined to comment."."""
        return (
            self.ends_sentence
            and 4 <= self.words < 10
            and self.stop_ratio >= 0.15
            and self.capital_ratio < 0.7
            and self.interface_ratio <= 0.15
        )


_SAMPLE_CHARS = 4000  # ratios of a very long paragraph are measured on its start


def _measure(text: str, heading: bool = False) -> _Line:
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(sample)
    lowered = [word.lower() for word in words]
    count = len(words)
    # Scripts written without spaces (Chinese, Japanese) have no "words" to count.
    if count and len(_UNSPACED_SCRIPT.findall(sample)) > len(sample) / 3:
        count = 0
    scale = len(text) / len(sample) if sample else 1.0
    ratio = 1 / count if count else 0.0
    return _Line(
        text=text,
        words=round(count * scale),
        chars=len(text),
        ends_sentence=bool(_SENTENCE_END.search(text[-20:])),
        sentences=round((len(_INNER_SENTENCE_END.findall(sample)) + 1) * scale),
        stop_ratio=sum(word in _STOP_WORDS for word in lowered) * ratio,
        capital_ratio=sum(word[0].isupper() for word in words) * ratio,
        interface_ratio=_interface_count(sample, lowered) * ratio,
        heading=heading,
    )


def _interface_count(text: str, lowered: list[str]) -> int:
    count = sum(word in _INTERFACE_WORDS for word in lowered)
    if len(lowered) > 60:
        return count  # a long paragraph is prose whatever few buttons it names
    return count + 2 * len(_INTERFACE_PHRASE.findall(text)) + 2 * len(_CONTACT.findall(text))


def _is_caption_or_credit(line: _Line) -> bool:
    text = line.text
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


def _is_byline(line: _Line) -> bool:
    return bool(_BYLINE.match(line.text)) and line.words <= 10 and not line.ends_sentence


def _is_date_line(line: _Line) -> bool:
    return line.words <= 16 and bool(
        find_date(line.text) or (line.words <= 6 and _month_day(line.text))
    )


# ---------------------------------------------------------------------------------------
# Datelines and agencies

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
_TRAILING_AGENCY = re.compile(r"^[-–—\s]*" + _AGENCY + r"\s*$")


def split_dateline(paragraph: str) -> tuple[str, str, str]:
    """(dateline, agency, rest) for a paragraph opening with "BEIRUT, March 22 (Reuters) -";
    ("", "", paragraph) when it has none."""
    match = _DATELINE.match(paragraph) or _PLACE_DATELINE.match(paragraph)
    if not match:
        return "", "", paragraph
    dateline = match["dateline"].strip()
    agency = match.groupdict().get("agency") or ""
    return dateline, agency, paragraph[match.end() :]


# ---------------------------------------------------------------------------------------
# Paragraphs

_WRAPPED_MIN = 30  # a hard-wrapped paragraph's lines are all about this long or longer


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    """(paragraph, is_heading) pairs. Lines of a hard-wrapped paragraph are joined; lines
    of a list or menu, which are short and uneven, stay separate."""
    result: list[tuple[str, bool]] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        wrapped = len(lines) > 1 and _hard_wrapped(lines)
        if wrapped and not any(_MARKDOWN_HEADING.match(line) for line in lines):
            result.append((" ".join(lines), False))
            continue
        for line in lines:
            heading = bool(_MARKDOWN_HEADING.match(line))
            line = _MARKDOWN_HEADING.sub("", line)
            line = _MARKDOWN_DECORATION.sub("", line).strip()
            if line:
                result.append((line, heading))
    return result


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines of one paragraph broken to fit a width: they are long, run on mid-sentence,
    and the next line often goes on in lower case. Menus and lists of headlines do not."""
    broken, following = lines[:-1], lines[1:]
    if min(len(line) for line in broken) < _WRAPPED_MIN:
        return False
    ended = sum(bool(_SENTENCE_END.search(line)) for line in broken)
    lower = sum(not line[:1].isupper() for line in following)
    return ended <= len(broken) / 2 and lower * 3 >= len(following)


# ---------------------------------------------------------------------------------------
# The body region


def _prose_weight(line: _Line) -> float:
    if line.is_prose:
        size = line.words if line.words else line.chars / 6
        return 1.0 + min(size, 80) / 20
    if line.is_short_prose:
        return 0.3
    return -1.0


def _block_weights(lines: list[_Line], repeats: set[int]) -> list[float]:
    """How much each block speaks for being part of the story. A long run of non-prose
    (a footer, a list of links) costs more with every block, so the body does not stretch
    across it to reach prose further down the page."""
    weights: list[float] = []
    gap = 0
    for index, line in enumerate(lines):
        if index in repeats:
            weight = -1.5
        elif _is_caption_or_credit(line):
            weight = -0.5
        else:
            weight = _prose_weight(line)
        if weight < 0:
            gap += 1
            weight -= min(gap - 1, 3) * _GAP_GROWTH
        else:
            gap = 0
        weights.append(weight)
    return weights


_GAP_GROWTH = 0.25


def _densest_run(
    weights: list[float], first: int = 0, last: int | None = None
) -> tuple[int, int, float]:
    """(start, end, total) of the run with the largest total weight (end exclusive) among
    runs starting between ``first`` and ``last``."""
    last = len(weights) if last is None else last
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, first
    for index in range(first, len(weights)):
        weight = weights[index]
        if total <= 0:
            if index >= last:
                break
            total, start = 0.0, index
        total += weight
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span[0], best_span[1], best


def _headline_anchor(lines: list[_Line]) -> int:
    """The line repeating the page's own title (a copied page starts with the browser
    title, "Headline | Site"); the story follows it. -1 when there is none."""
    if len(lines) < 3:
        return -1
    first = _tokens(lines[0].text)
    if len(first) < 2:
        return -1
    best, best_score = -1, 0.6
    for index in range(1, len(lines)):
        words = _tokens(lines[index].text)
        if len(words) < 2 or len(words) > 40:
            continue
        score = len(first & words) / len(words) * min(1.0, len(words) / max(1, len(first) - 4))
        if score >= best_score:
            best, best_score = index, score
    return best


def _tokens(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


def _body_region(lines: list[_Line], weights: list[float]) -> tuple[int, int]:
    start, end, total = _densest_run(weights)
    anchor = _headline_anchor(lines)
    if anchor >= 0 and not start <= anchor < end:
        near_start, near_end, near_total = _densest_run(weights, anchor + 1, anchor + 16)
        if near_total >= max(3.0, 0.25 * total):
            return near_start, near_end
    return start, end


def _repeated(lines: list[_Line]) -> set[int]:
    """Indexes of lines that repeat an earlier line (menus shown twice, pull quotes)."""
    seen: set[str] = set()
    repeats: set[int] = set()
    counts = Counter(line.text.casefold() for line in lines)
    for index, line in enumerate(lines):
        key = line.text.casefold()
        if key in seen or (counts[key] > 1 and not line.is_prose):
            repeats.add(index)
        seen.add(key)
    return repeats


def classify_lines(text: str) -> list[Block]:
    """Every paragraph of a raw text with the role it plays in the page."""
    return _Structure.from_text(clean_text(text)).blocks()


@dataclass
class _Structure:
    lines: list[_Line]
    kinds: list[BlockKind]
    title_index: int
    agency: str

    @classmethod
    def from_text(cls, text: str) -> _Structure:
        lines = [_measure(paragraph, heading) for paragraph, heading in _paragraphs(text)]
        kinds: list[BlockKind] = ["boilerplate"] * len(lines)
        repeats = _repeated(lines)
        start, end = _body_region(lines, _block_weights(lines, repeats))
        for index in range(start, end):
            line = lines[index]
            if index in repeats:
                continue
            if _is_caption_or_credit(line):
                kinds[index] = "caption"
            elif _AGENCY_CREDIT.match(line.text) or _is_byline(line):
                continue
            elif line.is_prose or line.is_short_prose:
                kinds[index] = "body"
        for index, line in enumerate(lines):
            if kinds[index] == "boilerplate" and _is_caption_or_credit(line):
                kinds[index] = "caption"
        _mark_image_text(lines, kinds, _headline_anchor(lines))
        _split_lead_in(lines, kinds, start, end)
        title_index = _find_title(lines, kinds, start, repeats)
        if title_index >= 0:
            kinds[title_index] = "title"
            if "standfirst" not in kinds:
                _find_standfirst(lines, kinds, title_index, start)
        for index, line in enumerate(lines):
            if kinds[index] == "boilerplate" and _is_date_line(line):
                kinds[index] = "dateline"
        structure = cls(lines, kinds, title_index, "")
        structure._split_first_dateline()
        return structure

    def _split_first_dateline(self) -> None:
        for index, kind in enumerate(self.kinds):
            if kind != "body":
                continue
            dateline, agency, rest = split_dateline(self.lines[index].text)
            if dateline and rest:
                self.lines.insert(index, _measure(dateline))
                self.kinds.insert(index, "dateline")
                self.lines[index + 1] = _measure(rest)
                if self.title_index > index:
                    self.title_index += 1
                self.agency = agency
            return

    def blocks(self) -> list[Block]:
        return [Block(kind, line.text) for kind, line in zip(self.kinds, self.lines, strict=True)]


_PLACE_LINE = re.compile(r"^[A-Z][A-Z.'’\- ]{1,30}(?:,\s*[A-Z][A-Za-z.'’\- ]{1,30})?:?$")


def _is_separator(line: _Line, kind: BlockKind) -> bool:
    """A block that sets a story's summary apart from its body: a photo and its credit,
    a byline, a date or a place name in capitals."""
    return kind == "caption" or (
        kind == "boilerplate"
        and (
            _is_byline(line)
            or _is_date_line(line)
            or _is_caption_or_credit(line)
            or bool(_PLACE_LINE.match(line.text))
        )
    )


def _split_lead_in(lines: list[_Line], kinds: list[BlockKind], start: int, end: int) -> None:
    """Summary points set above the story (separated from it by a photo, a date or a
    place line) are not part of the body: the first is the standfirst."""
    lead: list[int] = []
    for index in range(start, min(end, start + 4)):
        if kinds[index] == "body":
            lead.append(index)
            continue
        gap = range(index, min(end, index + 3))
        separators = [i for i in gap if kinds[i] != "body" and _is_separator(lines[i], kinds[i])]
        if not lead or not separators:
            return
        index = separators[-1]
        rest = [i for i in range(index + 1, end) if kinds[i] == "body"]
        lead_words = sum(lines[i].words for i in lead)
        if sum(lines[i].words for i in rest) > 2 * lead_words and len(rest) > len(lead):
            kinds[lead[0]] = "standfirst"
            for other in lead[1:]:
                kinds[other] = "boilerplate"
            if _PLACE_LINE.match(lines[index].text):
                kinds[index] = "dateline"
        return


def _mark_image_text(lines: list[_Line], kinds: list[BlockKind], anchor: int) -> None:
    """An image's description sits just above its credit ("Photo: ...")."""
    for index, kind in enumerate(kinds):
        above = index - 1
        if kind != "caption" or above < 0 or above == anchor or kinds[above] != "boilerplate":
            continue
        line = lines[above]
        if (
            3 <= line.words <= 60
            and not line.heading
            and not (_is_byline(line) or _is_date_line(line))
        ):
            kinds[above] = "caption"


def _find_title(
    lines: list[_Line], kinds: list[BlockKind], body_start: int, repeats: set[int]
) -> int:
    """The headline: a short line without a final full stop, close above the body."""
    first_words = _tokens(lines[0].text) if lines else set()
    best, best_score = -1, 0.0
    candidates: list[int] = []
    nearby = list(range(body_start - 1, max(-1, body_start - 25), -1))
    anchor = _headline_anchor(lines)
    if 0 < anchor < body_start and anchor not in nearby:
        nearby.append(anchor)
    for index in nearby:
        line = lines[index]
        if kinds[index] != "boilerplate" or not _could_be_title(line):
            continue
        candidates.append(index)
        distance = min(body_start - index, 25)
        score = 3.0 - 0.12 * distance
        if index == anchor:
            score += 3.0  # the line that repeats the page's own title
        score += min(line.words, 10) * 0.25
        if line.heading:
            score += 2.0
        if index > 0:
            # The page's <title>, its first line, repeats the headline's words.
            words = _tokens(line.text)
            score += 4.0 * len(words & first_words) / max(1, len(words))
        if index in repeats:
            score -= 2.0
        if line.ends_sentence and line.text.rstrip(_CLOSING)[-1:] == ".":
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


def _could_be_title(line: _Line) -> bool:
    if not 2 <= line.chars <= 200:
        return False
    if line.words and not 2 <= line.words <= 30:
        return False
    if line.interface_ratio > 0.2 or _is_byline(line) or _is_caption_or_credit(line):
        return False
    return not (_is_date_line(line) or _URL.search(line.text) or _COPYRIGHT.search(line.text))


def _find_standfirst(
    lines: list[_Line], kinds: list[BlockKind], title_index: int, body_start: int
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
            and not (_is_byline(line) or _is_date_line(line) or _is_caption_or_credit(line))
        ):
            kinds[index] = "standfirst"
            return
        if kinds[index] == "body":
            following = kinds[index + 1 : index + 3]
            if following and following[0] != "body" and "body" in kinds[index + 2 :]:
                separated = any(
                    _is_byline(lines[k]) or _is_date_line(lines[k]) or kinds[k] == "caption"
                    for k in range(index + 1, min(len(lines), index + 4))
                    if kinds[k] != "body"
                )
                if separated and line.words <= 50 and not split_dateline(line.text)[0]:
                    kinds[index] = "standfirst"
            return


# ---------------------------------------------------------------------------------------
# Source (publication or agency)

_YEARS = re.compile(r"\b(?:19|20)\d\d\b(?:\s*[-–]\s*(?:19|20)\d\d\b)?")
_RIGHTS = re.compile(r"\ball rights? reserved\b.*$|\bcopyright\b|©|\(c\)|ⓒ", re.IGNORECASE)


def _copyright_holder(text: str) -> str:
    """ "The Daily Paper" from "© 2015 The Daily Paper. All rights reserved."."""
    marker = _COPYRIGHT.search(text)
    if not marker:
        return ""
    holder = _YEARS.sub(" ", _RIGHTS.sub(" ", text[marker.start() :]))
    holder = re.split(r"\.\s|\s[|\-–—]\s|[;(]", holder)[0]
    holder = re.sub(r"^[^\w(]+|[^\w)]+$", "", " ".join(holder.split()))
    words = holder.split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper():
        return ""
    return holder


def _is_name_line(line: _Line) -> bool:
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
    title_words = _tokens(title)
    for separator in (" | ", " - ", " – ", " — "):
        head, found, tail = first_line.rpartition(separator)
        if not (found and head.strip() and 1 <= len(tail.split()) <= 4):
            continue
        head_words = _tokens(head)
        if title_words and len(head_words & title_words) < 0.6 * len(title_words):
            continue
        return tail.strip()
    return ""


def _guess_source(structure: _Structure, title: str) -> str:
    lines, kinds = structure.lines, structure.kinds
    last_body = max((i for i, kind in enumerate(kinds) if kind == "body"), default=-1)
    footer = range(len(lines) - 1, last_body, -1)
    if lines and structure.title_index > 0:
        site = _title_suffix_site(lines[0].text, title)
        if site:
            return site
    for index in footer:
        holder = _copyright_holder(lines[index].text)
        if holder:
            return holder
    if structure.agency:
        return structure.agency
    for index in footer:
        match = _TRAILING_AGENCY.match(lines[index].text)
        if match:
            return match["agency"]
    if lines and last_body < len(lines) - 1 and _is_name_line(lines[-1]):
        return lines[-1].text
    return ""


def _guess_date(structure: _Structure) -> str:
    """The date nearest the headline; a dateline's month and day take the year the page
    names most often outside the story."""
    lines, kinds = structure.lines, structure.kinds
    story = structure.title_index
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
        month_day = _month_day(lines[index].text) if kinds[index] == "dateline" else None
        if month_day:
            years = [int(year) for i in nearest for year in _ANY_YEAR.findall(lines[i].text)]
            if years:
                return _make_date(max(set(years), key=years.count), *month_day)
            return ""
    return ""


# ---------------------------------------------------------------------------------------
# Articles


def build_article(doc: RawDocument) -> Article:
    """An Article with its blocks; metadata the document states wins over guesses."""
    if doc.paragraphs_known:
        return _build_known(doc)
    structure = _Structure.from_text(clean_text(doc.text))
    blocks = structure.blocks()
    title = clean_text(doc.title).strip() or next(
        (block.text for block in blocks if block.kind == "title"), ""
    )
    if doc.title:
        blocks = _retitle(blocks, title)
    if not any(block.kind == "body" for block in blocks):
        blocks = _fallback_body(blocks)
    if not title:
        title = _title_from_body(blocks)
    standfirst = next((block.text for block in blocks if block.kind == "standfirst"), "")
    return Article(
        key=doc.key,
        title=title,
        blocks=tuple(blocks),
        source=clean_text(doc.source).strip() or _guess_source(structure, title),
        published=normalise_date(doc.published) or _guess_date(structure),
        url=clean_text(doc.url).strip(),
        standfirst=standfirst,
        origin=doc.origin,
    )


def _retitle(blocks: list[Block], title: str) -> list[Block]:
    """The stated title replaces a guessed one; the guessed line stays out of the body."""
    result = [Block("title", title)]
    for block in blocks:
        if block.kind == "title" or block.text.casefold() == title.casefold():
            result.append(Block("boilerplate", block.text))
        else:
            result.append(block)
    return result


_SHORT_NOTE_BLOCKS = 30


def _fallback_body(blocks: list[Block]) -> list[Block]:
    """A short note without a paragraph of prose: everything but its title is its body
    (a lone line is both). A long page without prose has no story to offer."""
    if len(blocks) > _SHORT_NOTE_BLOCKS:
        return blocks
    result = [
        Block("body", block.text) if block.kind in ("boilerplate", "standfirst") else block
        for block in blocks
    ]
    if not any(block.kind == "body" for block in result):
        result += [Block("body", block.text) for block in blocks if block.kind == "title"]
    return result


def _title_from_body(blocks: list[Block]) -> str:
    text = next((block.text for block in blocks if block.kind == "body"), "")
    if len(text) <= 100:
        return text
    cut = text[:100].rsplit(" ", 1)[0]
    return cut + "…"


def _build_known(doc: RawDocument) -> Article:
    """Text already reduced to the article: keep the stated title, drop captions and
    boilerplate lines, split off the dateline."""
    text = clean_text(doc.text)
    title = clean_text(doc.title).strip()
    lines = [_measure(" ".join(line.split())) for line in text.split("\n") if line.strip()]
    source = clean_text(doc.source).strip()
    title = _without_site(title, source)
    blocks: list[Block] = []
    agency = ""
    if title:
        blocks.append(Block("title", title))
    for line in lines:
        kind: BlockKind = "body"
        if title and line.text.casefold() == title.casefold():
            kind = "boilerplate"
        elif _is_caption_or_credit(line):
            kind = "caption"
        elif (
            _AGENCY_CREDIT.match(line.text)
            or _is_byline(line)
            or _TRAILING_AGENCY.match(line.text)
            or _is_interface_line(line)
        ):
            kind = "boilerplate"
        if kind == "body" and not any(block.kind == "body" for block in blocks):
            dateline, agency, rest = split_dateline(line.text)
            if dateline and rest:
                blocks.append(Block("dateline", dateline))
                line = _measure(rest)
        blocks.append(Block(kind, line.text))
    if not title:
        structure_title = _title_from_body(blocks)
        title = structure_title
        blocks.insert(0, Block("title", title))
    return Article(
        key=doc.key,
        title=title,
        blocks=tuple(blocks),
        source=source or agency,
        published=normalise_date(doc.published) or _guess_date_from_blocks(blocks),
        url=clean_text(doc.url).strip(),
        origin=doc.origin,
    )


def _is_interface_line(line: _Line) -> bool:
    """A button or notice of the page ("Click here to subscribe", "Comments")."""
    if line.is_prose:
        return False
    if line.words <= 15 and _INTERFACE_PHRASE.search(line.text):
        return True
    return 1 <= line.words <= 3 and line.interface_ratio >= 0.5


def _without_site(title: str, site: str) -> str:
    """ "Headline - Site" or "Site | Headline" without the site's name."""
    if not site or title.casefold() == site.casefold():
        return title
    pattern = re.escape(site)
    separator = r"\s*(?:[|\-–—:·»]|::)\s*"
    for form in (rf"^(?P<rest>.+?){separator}{pattern}.*$", rf"^{pattern}{separator}(?P<rest>.+)$"):
        match = re.match(form, title, re.IGNORECASE)
        if match and len(match["rest"].split()) >= 2:
            return match["rest"].strip()
    return title


def _guess_date_from_blocks(blocks: list[Block]) -> str:
    for block in blocks:
        if block.kind == "dateline":
            iso = find_date(block.text)
            if iso:
                return iso
    return ""
