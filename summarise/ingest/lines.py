"""Paragraphs of a raw text and what each one looks like: words, function words,
capitals, sentence ends, interface words. Every later judgement reads these measures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarise.article import Block, BlockKind
from summarise.text import FUNCTION_WORDS, words

UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”)\]»]*$")
INNER_SENTENCE_END = re.compile(r"[.!?。！？]['\"’”)]*\s+\S")
CLOSING = "'\"’”)]»"
URL = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w+\.\w+")
# Words and phrases of a web page's interface rather than of a story.
_INTERFACE_WORD_TEXT = (
    "share shares tweet email print comment comments subscribe subscription newsletter "
    "newsletters login log sign signup cookie cookies advertisement advertising sponsored "
    "click download app follow menu search home privacy terms skip accept reply"
)
INTERFACE_WORDS = frozenset(_INTERFACE_WORD_TEXT.split())
INTERFACE_PHRASE = re.compile(
    r"\b(?:sign(?:ing|ed)? up|log(?:ged)? in|opt[- ]in|subscri\w*|unsubscri\w*|newsletters?"
    r"|inbox|cookies?|privacy (?:policy|settings|notice)"
    r"|terms (?:of|and) (?:use|service|conditions)"
    r"|all rights? reserved|click(?:ing)? (?:here|the|on|to)|download (?:the|our) app"
    r"|e-?mail address|javascript|your browser|advertisement|sponsored content"
    r"|read more|see more|related (?:articles|stories|posts))\b",
    re.IGNORECASE,
)
CONTACT = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|(?<!\w)[@#]\w{2,}")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_MARKDOWN_DECORATION = re.compile(r"^(?:>\s*)+|^\s*[*_]{2}|[*_]{2}\s*$")


@dataclass(frozen=True)
class Line:
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


def measure(text: str, heading: bool = False) -> Line:
    sample = text[:_SAMPLE_CHARS]
    found = _lettered(sample)
    lowered = [word.lower() for word in found]
    count = len(found)
    # Scripts written without spaces (Chinese, Japanese) have no "words" to count.
    if count and len(UNSPACED_SCRIPT.findall(sample)) > len(sample) / 3:
        count = 0
    scale = len(text) / len(sample) if sample else 1.0
    ratio = 1 / count if count else 0.0
    return Line(
        text=text,
        words=round(count * scale),
        chars=len(text),
        ends_sentence=bool(SENTENCE_END.search(text[-20:])),
        sentences=round((len(INNER_SENTENCE_END.findall(sample)) + 1) * scale),
        stop_ratio=sum(word in FUNCTION_WORDS for word in lowered) * ratio,
        capital_ratio=sum(word[0].isupper() for word in found) * ratio,
        interface_ratio=_interface_count(sample, lowered) * ratio,
        heading=heading,
    )


def _interface_count(text: str, lowered: list[str]) -> int:
    count = sum(word in INTERFACE_WORDS for word in lowered)
    if len(lowered) > 60:
        return count  # a long paragraph is prose whatever few buttons it names
    return count + 2 * len(INTERFACE_PHRASE.findall(text)) + 2 * len(CONTACT.findall(text))


_WRAPPED_MIN = 30  # a hard-wrapped paragraph's lines are all about this long or longer


def paragraphs(text: str) -> list[tuple[str, bool]]:
    """(paragraph, is_heading) pairs. Lines of a hard-wrapped paragraph are joined; lines
    of a list or menu, which are short and uneven, stay separate."""
    result: list[tuple[str, bool]] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        wrapped = len(lines) > 1 and _hard_wrapped(lines)
        if wrapped and not any(MARKDOWN_HEADING.match(line) for line in lines):
            result.append((" ".join(lines), False))
            continue
        for line in lines:
            heading = bool(MARKDOWN_HEADING.match(line))
            line = MARKDOWN_HEADING.sub("", line)
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
    ended = sum(bool(SENTENCE_END.search(line)) for line in broken)
    lower = sum(not line[:1].isupper() for line in following)
    return ended <= len(broken) / 2 and lower * 3 >= len(following)


def tokens(text: str) -> set[str]:
    """The lower-cased words of ``text`` that start with a letter."""
    return {word.lower() for word in _lettered(text)}


def _lettered(text: str) -> list[str]:
    # Numbers say nothing about a line's shape (prose or menu, headline or credit).
    return [word for word in words(text) if word[0].isalpha()]


@dataclass
class Layout:
    """A page's paragraphs, each with its role; ``title_index`` is -1 without a title and
    ``agency`` is the news agency its dateline names."""

    lines: list[Line]
    kinds: list[BlockKind]
    title_index: int
    agency: str

    def blocks(self) -> list[Block]:
        return [Block(kind, line.text) for kind, line in zip(self.kinds, self.lines, strict=True)]
