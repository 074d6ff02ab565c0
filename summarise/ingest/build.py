"""Raw document -> Article: the one builder of blocks, title, standfirst, source and date."""

from __future__ import annotations

import re

from summarise.article import Article, Block, BlockKind, RawDocument
from summarise.ingest.body import block_weights, body_region, headline_anchor
from summarise.ingest.dates import normalise_date
from summarise.ingest.furniture import (
    AGENCY_CREDIT,
    is_byline,
    is_caption_or_credit,
    is_date_line,
    is_doubled_caption,
    is_interface_line,
    repeated,
)
from summarise.ingest.lines import Layout, Line, measure, paragraphs
from summarise.ingest.roles import (
    TRAILING_AGENCY,
    find_standfirst,
    find_title,
    guess_date,
    guess_source,
    mark_image_text,
    split_dateline,
    split_ending_agency,
    split_lead_in,
)
from summarise.text import clean_text, one_line, url_text


def classify_lines(text: str) -> list[Block]:
    """Every paragraph of a raw text with the role it plays in the page."""
    return lay_out(clean_text(text)).blocks()


def lay_out(text: str) -> Layout:
    """Every paragraph of ``text`` measured and given its role."""
    lines = _measured(paragraphs(text))
    kinds: list[BlockKind] = ["boilerplate"] * len(lines)
    repeats = repeated(lines)
    start, end = body_region(lines, block_weights(lines, repeats))
    for index in range(start, end):
        line = lines[index]
        if index in repeats:
            continue
        if is_caption_or_credit(line):
            kinds[index] = "caption"
        elif AGENCY_CREDIT.match(line.text) or is_byline(line):
            continue
        elif line.is_prose or line.is_short_prose:
            kinds[index] = "body"
    for index, line in enumerate(lines):
        if kinds[index] == "boilerplate" and (
            is_caption_or_credit(line) or is_doubled_caption(lines, index)
        ):
            kinds[index] = "caption"
    mark_image_text(lines, kinds, headline_anchor(lines))
    split_lead_in(lines, kinds, start, end)
    title_index = find_title(lines, kinds, start, repeats)
    if title_index >= 0:
        kinds[title_index] = "title"
        if "standfirst" not in kinds:
            find_standfirst(lines, kinds, title_index, start)
    for index, line in enumerate(lines):
        if kinds[index] == "boilerplate" and is_date_line(line):
            kinds[index] = "dateline"
    return Layout(lines, kinds, title_index, "")


def _measured(paragraphs: list[tuple[str, bool]]) -> list[Line]:
    """Each paragraph measured; an agency's credit ending one ("… killed. – (Reuters)")
    becomes a line of its own, so the sentence it ends is measured as prose."""
    lines: list[Line] = []
    for paragraph, heading in paragraphs:
        sentence, attribution = split_ending_agency(paragraph)
        if sentence:
            lines += [measure(sentence, heading), measure(attribution)]
        else:
            lines.append(measure(paragraph, heading))
    return lines


def _split_first_dateline(layout: Layout) -> None:
    """A dateline ("BEIRUT (Reuters) -") opening the body becomes a block of its own."""
    for index, kind in enumerate(layout.kinds):
        if kind != "body":
            continue
        dateline, agency, rest = split_dateline(layout.lines[index].text)
        if dateline and rest:
            layout.lines.insert(index, measure(dateline))
            layout.kinds.insert(index, "dateline")
            layout.lines[index + 1] = measure(rest)
            if layout.title_index > index:
                layout.title_index += 1
            layout.agency = agency
        return


def build_article(doc: RawDocument) -> Article:
    """An Article with its blocks; metadata the document states wins over guesses."""
    text = clean_text(doc.text)
    # Titles and sources are shown on one line: a line break or tab a source left in one
    # (a feed title of two paragraphs) is a space.
    stated_title = one_line(doc.title)
    stated_source = one_line(doc.source)
    if doc.paragraphs_known:
        stated_title = _without_site(stated_title, stated_source)
        layout = _known_layout(text, stated_title)
    else:
        layout = lay_out(text)
    _split_first_dateline(layout)
    blocks = layout.blocks()
    title = stated_title or next((block.text for block in blocks if block.kind == "title"), "")
    if stated_title:
        blocks = _retitle(blocks, title)
    if not any(block.kind == "body" for block in blocks):
        blocks = _fallback_body(blocks)
    if not title:
        title = _title_from_body(blocks)
        if title:  # a text without a body has no title either, and no empty block
            blocks.insert(0, Block("title", title))
    standfirst = next((block.text for block in blocks if block.kind == "standfirst"), "")
    source = stated_source or guess_source(layout, title)
    title = _without_site(title, source)
    return Article(
        key=doc.key,
        title=title,
        blocks=tuple(blocks),
        source=source,
        published=normalise_date(doc.published) or guess_date(layout),
        url=url_text(doc.url),
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


def _known_layout(text: str, title: str) -> Layout:
    """Text already reduced to the article (a feed item, an extracted web page): every line
    is body except captions, credits, bylines and interface lines."""
    lines = [measure(" ".join(line.split())) for line in text.split("\n") if line.strip()]
    kinds: list[BlockKind] = []
    for line in lines:
        kind: BlockKind = "body"
        if title and line.text.casefold() == title.casefold():
            kind = "boilerplate"
        elif is_caption_or_credit(line):
            kind = "caption"
        elif (
            AGENCY_CREDIT.match(line.text)
            or is_byline(line)
            or TRAILING_AGENCY.match(line.text)
            or is_interface_line(line)
        ):
            kind = "boilerplate"
        kinds.append(kind)
    return Layout(lines, kinds, -1, "")


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
