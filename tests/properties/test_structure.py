"""Any text, however hostile, structures into an article that is safe to show: no
control or direction characters in any field, no empty paragraph, offsets that hold."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from summarise.article import PARAGRAPH_SEPARATOR, Article, RawDocument
from summarise.ingest.build import build_article
from tests.properties.budget import examples
from tests.properties.strategies import (
    article_text,
    assert_screen_safe,
    hostile_text,
)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
KINDS = {"title", "standfirst", "dateline", "caption", "body", "boilerplate"}


def assert_article_invariants(article: Article, *, needs_body: bool = True) -> None:
    """What every article the engine gives must hold, wherever it came from."""
    for name in ("title", "source", "url"):
        assert_screen_safe(getattr(article, name), name, one_line=True)
    assert article.published == "" or ISO_DATE.fullmatch(article.published), article.published
    assert_screen_safe(article.standfirst, "standfirst")
    for block in article.blocks:
        assert block.kind in KINDS, block
        assert_screen_safe(block.text, f"{block.kind} block")
        assert block.text.strip(), f"empty {block.kind} block"
        assert PARAGRAPH_SEPARATOR not in block.text, block
    assert len(article.id) == 16  # the id hashes the UTF-8 of title and body
    if needs_body:
        assert article.body_blocks, "no body"
        assert article.body.strip()
    body = article.body
    for (start, end), block in zip(article.paragraph_spans, article.body_blocks, strict=True):
        assert body[start:end] == block.text


@st.composite
def raw_documents(draw: st.DrawFn) -> RawDocument:
    stated = st.one_of(st.just(""), hostile_text(8))
    return RawDocument(
        key=draw(st.one_of(st.just("story.txt"), hostile_text(3))),
        text=draw(article_text()),
        title=draw(stated),
        source=draw(stated),
        published=draw(st.one_of(stated, st.sampled_from(["2024-06-04", "4 June 2024"]))),
        url=draw(st.one_of(stated, st.just("https://example.com/a"))),
        origin=draw(st.sampled_from(["txt", "md", "html", "json", "jsonl", "feed"])),
        paragraphs_known=draw(st.booleans()),
    )


@examples(700)
@given(raw_documents())
# Found by this property: a text without a body gave an empty title block.
@example(RawDocument(key="story.txt", text=""))
# Found by this property: a line break (here NEL) in a stated URL or title stayed in it.
@example(RawDocument(key="story.txt", text="", url="http://a.example/\x85b"))
@example(RawDocument(key="f#1", text="Text.", title="One\n\nTwo", paragraphs_known=True))
# Found by this property: a lone surrogate (JSON's "\ud800") could not be hashed into
# the article's id.
@example(RawDocument(key="j#1", text="Text \ud800 here.", title="\udcff", url="http://a/\ud800"))
def test_any_text_builds_an_article_safe_to_show(document: RawDocument) -> None:
    article = build_article(document)
    assert article.key == document.key
    assert_article_invariants(article, needs_body=False)
