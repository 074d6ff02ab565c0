"""Article text as Rich ``Text``: cleaned plain strings with styled spans, never markup.

Stories can contain anything, including strings that look like markup (``[bold]``) or
terminal escape codes. Text reaches the screen only through these helpers, which drop
control characters and append every piece as plain characters with a style object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from rich.style import Style
from rich.text import Text

from summarise.article import Analysis, Article, Mention, Summary
from summarise.entities import DISPLAY_LABELS
from summarise.text import clean_text, one_line


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without control characters or escape codes; tabs become spaces."""
    text = clean_text(text).replace("\t", "    ")
    return text if keep_newlines else " ".join(text.split("\n"))


# One colour per kind of entity, the same in the text, the entity panel and the legend.
# Mid-light colours read on both dark and light themes.
ENTITY_COLOURS: dict[str, str] = {
    "person": "#e8875b",
    "organisation": "#4f9fe8",
    "place": "#3fb27f",
    "group": "#b886d8",
    "event": "#d9a300",
    "date": "#8fa3b3",
    "law": "#d46a9f",
    "work": "#c9a66b",
    "product": "#5bbcc4",
    "language": "#9aa85b",
}
_OTHER_COLOUR = "#a0a0a0"


def kind_of(label: str) -> str | None:
    """The displayed kind for a spaCy label, or None when such entities are not shown."""
    return DISPLAY_LABELS.get(label)


def kind_style(kind: str) -> Style:
    return Style(color=ENTITY_COLOURS.get(kind, _OTHER_COLOUR), bold=True)


def displayed_kinds() -> list[str]:
    """Every kind in DISPLAY_LABELS order, without repeats."""
    return list(dict.fromkeys(DISPLAY_LABELS.values()))


def legend(kinds: list[str] | None = None) -> Text:
    """``■ person ■ place …`` in the entity colours."""
    text = Text(no_wrap=False)
    for index, kind in enumerate(kinds if kinds is not None else displayed_kinds()):
        if index:
            text.append("  ")
        text.append("■ ", style=kind_style(kind))
        text.append(kind)
    return text


def styled_line(*parts: tuple[str, Style | str | None]) -> Text:
    """A one-line Text from (plain string, style) pairs; strings are cleaned first."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    for plain, style in parts:
        text.append(one_line(plain), style=style or "")
    return text


@dataclass
class BodyStyles:
    """Rich styles the body view takes from its CSS component classes."""

    summary: Style = field(default_factory=Style)
    marker: Style = field(default_factory=Style)
    hidden: Style = field(default_factory=Style)
    focus: Style = field(default_factory=lambda: Style(reverse=True))


@dataclass
class RenderedBody:
    """The body as displayed, plus where each mention landed in the displayed text."""

    text: Text
    mention_offsets: dict[tuple[int, int], int]  # (start, end) in body -> display offset


def _boundaries(body: str, analysis: Analysis | None, summary: Summary | None) -> list[int]:
    points = {0, len(body)}
    if analysis is not None:
        for mention in analysis.mentions:
            points.update((mention.start, mention.end))
        if summary is not None:
            for index in summary.sentence_ids:
                sentence = analysis.sentences[index]
                points.update((sentence.start, sentence.end))
    return sorted(point for point in points if 0 <= point <= len(body))


def render_body(
    article: Article,
    analysis: Analysis | None,
    summary: Summary | None,
    styles: BodyStyles,
    *,
    show_hidden: bool = False,
    focused: Mention | None = None,
) -> RenderedBody:
    """The article's text with entities coloured by kind and summary sentences marked.

    Captions, credits and boilerplate are not body text: they are left out, or shown
    dimmed when ``show_hidden`` is set; datelines are always shown, dimmed. Offsets come
    from the engine and index the raw body; the text is cleaned piece by piece so removed
    characters never shift a style.
    """
    body = article.body
    mentions = [m for m in (analysis.mentions if analysis else ()) if kind_of(m.label)]
    mention_at: dict[int, list[Mention]] = {}
    for mention in mentions:
        mention_at.setdefault(mention.start, []).append(mention)
    sentence_number: dict[int, int] = {}  # start offset -> 1-based summary number
    summary_ranges: list[tuple[int, int]] = []
    if analysis is not None and summary is not None:
        for number, index in enumerate(summary.sentence_ids, start=1):
            if 0 <= index < len(analysis.sentences):
                sentence = analysis.sentences[index]
                sentence_number[sentence.start] = number
                summary_ranges.append((sentence.start, sentence.end))
    points = _boundaries(body, analysis, summary)

    text = Text()
    offsets: dict[tuple[int, int], int] = {}
    body_position = 0  # where ``body`` starts inside the blocks we walk
    blocks = article.blocks
    for position, block in enumerate(blocks):
        if block.kind in ("title", "standfirst"):
            continue
        if block.kind != "body":
            # A dateline opening a paragraph ("BEIRUT") says where the story was filed:
            # always shown, dimmed. A date line under the headline is in the header.
            opens_paragraph = (
                block.kind == "dateline"
                and position + 1 < len(blocks)
                and blocks[position + 1].kind == "body"
            )
            if show_hidden or opens_paragraph:
                if text:
                    text.append("\n\n")
                text.append(clean(block.text), style=styles.hidden)
            continue
        if text:
            text.append("\n\n")
        start = body_position
        end = start + len(block.text)
        body_position = end + 2
        _append_span(
            text,
            body,
            start,
            end,
            points,
            mention_at,
            sentence_number,
            summary_ranges,
            styles,
            focused,
            offsets,
        )
    return RenderedBody(text, offsets)


def _append_span(
    text: Text,
    body: str,
    start: int,
    end: int,
    points: list[int],
    mention_at: dict[int, list[Mention]],
    sentence_number: dict[int, int],
    summary_ranges: list[tuple[int, int]],
    styles: BodyStyles,
    focused: Mention | None,
    offsets: dict[tuple[int, int], int],
) -> None:
    """Append body[start:end] piece by piece, each piece with the styles covering it."""
    inner = [point for point in points if start < point < end]
    cuts = [start, *inner, end]
    open_mentions: list[Mention] = []
    for left, right in pairwise(cuts):
        number = sentence_number.get(left)
        if number is not None:
            text.append(f"[{number}]", style=styles.marker)
            text.append(" ")
        for mention in mention_at.get(left, ()):
            offsets.setdefault((mention.start, mention.end), len(text))
            open_mentions.append(mention)
        open_mentions = [m for m in open_mentions if m.end > left]
        style = Style()
        if any(s <= left and right <= e for s, e in summary_ranges):
            style += styles.summary
        if open_mentions:
            kind = kind_of(open_mentions[-1].label) or ""
            style += kind_style(kind)
            if focused is not None and any(
                m.start == focused.start and m.end == focused.end for m in open_mentions
            ):
                style += styles.focus
        text.append(clean(body[left:right]), style=style)


def summary_text(
    article: Article,
    analysis: Analysis,
    summary: Summary,
    marker: Style | str = "",
) -> Text:
    """The summary as numbered sentences, one per paragraph."""
    text = Text()
    for number, sentence in enumerate(summary.sentences(article, analysis), start=1):
        if number > 1:
            text.append("\n\n")
        text.append(f"{number}.", style=marker)
        text.append(" ")
        text.append(one_line(sentence))
    return text
