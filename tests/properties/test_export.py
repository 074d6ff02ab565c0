"""Markdown export of any article: no control characters, headlines and sentences that
stay text whatever Markdown or HTML they look like, and writes that never leave a partial
file behind."""

from __future__ import annotations

import errno
import itertools
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from summarise import export
from summarise.article import Analysis, Article, Block, Mention, SentenceSpan, Summary
from summarise.entities import DISPLAY_LABELS
from summarise.export import article_markdown, escape_markdown, write_new_file
from summarise.text import one_line
from tests.properties.budget import examples
from tests.properties.strategies import (
    TERMINAL_CONTROLS,
    hostile_text,
    prose_paragraph,
    scratch_folder,
    unsafe_characters,
)

MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")
LABELS = sorted(DISPLAY_LABELS)


def visible(inline: Any) -> str:
    return "".join(child.content for child in inline.children or [])


def assert_no_markup_acts(tokens: list[Any], url_links: int) -> None:
    """Nothing of the text became HTML, an image or a link (but the article's own URL)."""
    inline_types = [child.type for token in tokens for child in token.children or []]
    block_types = [token.type for token in tokens]
    assert "html_block" not in block_types and "html_inline" not in inline_types
    assert "image" not in inline_types
    assert inline_types.count("link_open") == url_links, inline_types


def fields() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), hostile_text(10), prose_paragraph(1))


@st.composite
def exported(draw: st.DrawFn) -> tuple[Article, Analysis, Summary]:
    paragraphs = draw(st.lists(st.one_of(hostile_text(12), prose_paragraph(3)), max_size=5))
    paragraphs = [text.replace("\n\n", "\n") for text in paragraphs if text]
    blocks = tuple(Block("body", text) for text in paragraphs)
    article = Article(
        key="export",
        title=draw(fields()),
        blocks=blocks,
        source=draw(fields()),
        published=draw(fields()),
        url=draw(
            st.one_of(fields(), st.sampled_from(["https://example.com/a?b=c&d=<e>", "http://x"]))
        ),
        standfirst=draw(fields()),
    )
    body = article.body
    spans = []
    for index, (start, end) in enumerate(article.paragraph_spans):
        # Each paragraph cut into a few "sentences" anywhere: export must not rely on
        # where the language model puts sentence ends.
        cuts = sorted(draw(st.sets(st.integers(start + 1, max(start + 1, end - 1)), max_size=3)))
        bounds = [start, *(cut for cut in cuts if start < cut < end), end]
        spans += [SentenceSpan(a, b, index) for a, b in itertools.pairwise(bounds) if a < b]
    mentions = []
    for _ in range(draw(st.integers(0, 6)) if body else 0):
        start = draw(st.integers(0, len(body) - 1))
        end = draw(st.integers(start + 1, min(len(body), start + 30)))
        mentions.append(Mention(body[start:end], draw(st.sampled_from(LABELS)), start, end))
    analysis = Analysis("export", "property", tuple(spans), tuple(mentions))
    chosen = draw(st.sets(st.integers(0, max(0, len(spans) - 1)), max_size=4)) if spans else set()
    return article, analysis, Summary("property", tuple(sorted(chosen)))


@examples(600)
@given(exported())
def test_article_markdown_holds_no_controls_and_keeps_every_text_as_text(
    case: tuple[Article, Analysis, Summary],
) -> None:
    article, analysis, summary = case
    markdown = article_markdown(article, analysis, summary)
    assert not TERMINAL_CONTROLS.search(markdown), unsafe_characters(markdown)
    assert "\t" not in markdown

    tokens = MARKDOWN.parse(markdown)
    headings = [i for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert tokens[headings[0]].tag == "h1" and headings[0] == 0
    title = one_line(article.title) or "Untitled article"
    shown = visible(tokens[1])
    assert shown == title
    assert [tokens[i + 1].content for i in headings[1:]] in (
        [],
        ["Summary"],
        ["Key entities"],
        ["Summary", "Key entities"],
    )
    url_links = 1 if export._SAFE_URL.match(article.url.strip()) else 0
    assert_no_markup_acts(tokens, url_links)

    # A sentence of nothing but control characters leaves an empty bullet ("- "): untidy,
    # but no text is lost or let in.
    sentences = [one_line(s) for s in summary.sentences(article, analysis) if one_line(s)]
    items = [
        visible(tokens[i + 2])
        for i, token in enumerate(tokens)
        if token.type == "list_item_open" and tokens[i + 2].type == "inline"
    ]
    assert items[: len(sentences)] == sentences
    if article.standfirst.strip() and one_line(article.standfirst):
        quote = next(i for i, token in enumerate(tokens) if token.type == "blockquote_open")
        assert visible(tokens[quote + 2]) == one_line(article.standfirst)


# Found by a property: "# News #" is an ATX heading with a closing sequence, so a headline
# ending in " #" lost it until a final "#" was escaped.
@pytest.mark.parametrize("title", ["Vote for #", "Ranked 3 ##", "a\u3000#"])
def test_a_title_ending_in_a_hash_keeps_it(title: str) -> None:
    article = Article("hash", title, (Block("body", "Text."),))
    markdown = article_markdown(article, Analysis(article.id, "p", ()), None)
    assert visible(MARKDOWN.parse(markdown)[1]) == one_line(title)


@examples(1_500)
@given(hostile_text())
def test_escaped_text_renders_as_exactly_its_words(text: str) -> None:
    line = escape_markdown(text)
    assert "\n" not in line and not TERMINAL_CONTROLS.search(line), unsafe_characters(line)
    tokens = MARKDOWN.parse(line)
    if not one_line(text):
        assert tokens == []
        return
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert visible(tokens[1]) == one_line(text)
    assert_no_markup_acts(tokens, 0)


# ---------------------------------------------------------------------------------------
# Writes that fail part way


class _FailingOs:
    """The ``os`` module as export sees it, with the ``fail_at``-th call of a file
    operation raising ``OSError`` (no space left) and, when ``no_links``, a file system
    without hard links."""

    OPERATIONS = ("open", "fdopen", "fsync", "link", "replace", "close")

    def __init__(self, fail_at: int, no_links: bool) -> None:
        import os

        self._os = os
        self._calls = 0
        self._fail_at = fail_at
        self._no_links = no_links
        self.failed = False

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._os, name)
        if name not in self.OPERATIONS:
            return real

        def operation(*args: Any, **kwargs: Any) -> Any:
            self._calls += 1
            if self._calls == self._fail_at:
                self.failed = True
                raise OSError(errno.ENOSPC, "No space left on device")
            if name == "link" and self._no_links:
                raise OSError(errno.EPERM, "Operation not permitted")
            result = real(*args, **kwargs)
            return _HalfWritten(result, self) if name == "fdopen" else result

        return operation


class _HalfWritten:
    """A file whose write fails half way when it is the failing operation's turn."""

    def __init__(self, stream: Any, failing: _FailingOs) -> None:
        self._stream = stream
        self._failing = failing

    def __enter__(self) -> _HalfWritten:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()

    def write(self, data: bytes) -> int:
        self._failing._calls += 1
        if self._failing._calls == self._failing._fail_at:
            self._failing.failed = True
            self._stream.write(data[: len(data) // 2])
            self._stream.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._stream.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# Found by this property: on a file system without hard links write_new_file claims the
# name with an empty file, and when the rename that should fill it failed, the empty file
# stayed.
@pytest.mark.parametrize("no_links", [False, True])
@examples(300)
@given(
    text=st.one_of(hostile_text(), st.text()),
    old=st.one_of(st.none(), st.binary(max_size=50)),
    force=st.booleans(),
    fail_at=st.integers(0, 9),
)
@example(text="", old=None, force=False, fail_at=8)
def test_a_failed_write_leaves_the_old_file_or_none(
    no_links: bool, text: str, old: bytes | None, force: bool, fail_at: int
) -> None:
    with scratch_folder() as folder:
        target = Path(folder) / "out" / "story.md"
        if old is not None:
            target.parent.mkdir()
            target.write_bytes(old)
        failing = _FailingOs(fail_at, no_links)
        error: BaseException | None = None
        with patch.object(export, "os", failing):
            try:
                write_new_file(target, text, force=force)
            except (OSError, UnicodeError) as raised:
                error = raised
        folder_holds = sorted(path.name for path in target.parent.iterdir())
        if error is None:
            # A failed hard link is taken for a file system without them, and the
            # write goes on another way; every other failure must raise.
            assert target.read_bytes() == text.encode("utf-8")
            assert force or old is None
        elif old is not None:
            assert target.read_bytes() == old, "the old file was changed"
        else:
            assert not target.exists(), f"a partial file was left: {target.read_bytes()!r}"
        assert folder_holds in ([], ["story.md"]), f"temporary files left: {folder_holds}"
