"""Markdown export: structure survives any article text; file names and writes are safe."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from summarise.article import (
    PARAGRAPH_SEPARATOR,
    Analysis,
    Article,
    Block,
    Group,
    Mention,
    PairScore,
    SentenceSpan,
    Summary,
)
from summarise.export import article_markdown, group_markdown, slugify, write_new_file

MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def build(
    key: str,
    title: str,
    sentences: list[str],
    *,
    source: str = "",
    published: str = "",
    url: str = "",
    standfirst: str = "",
    names: tuple[tuple[str, str], ...] = (),
) -> tuple[Article, Analysis, Summary]:
    """An article with one sentence per paragraph, every sentence in its summary."""
    blocks = (Block("title", title), *(Block("body", s) for s in sentences))
    article = Article(key, title, blocks, source, published, url, standfirst)
    spans, mentions, position = [], [], 0
    for index, sentence in enumerate(sentences):
        spans.append(SentenceSpan(position, position + len(sentence), index))
        position += len(sentence) + len(PARAGRAPH_SEPARATOR)
    body = article.body
    for text, label in names:
        start = body.index(text)
        mentions.append(Mention(text, label, start, start + len(text)))
    analysis = Analysis(article.id, "test", tuple(spans), tuple(mentions))
    return article, analysis, Summary("lead", tuple(range(len(sentences))))


def rendered_structure(markdown: str) -> list[str]:
    return [token.type for token in MARKDOWN.parse(markdown) if token.nesting == 1]


def inline_texts(markdown: str) -> list[str]:
    """The visible text of every paragraph, heading and list item."""
    texts = []
    for token in MARKDOWN.parse(markdown):
        if token.type == "inline":
            texts.append("".join(child.content for child in token.children or []))
    return texts


HOSTILE_SENTENCES = [
    "# Not a heading, just a hashtag-like start.",
    "=====",
    "- not a list item",
    "1. not a numbered item either",
    "Text with [a link](http://example.com) and <b>tags</b> and *stars* and `code`.",
    "Split over\n- two lines | with | pipes",
    "> not a quote &amp; no entity",
]


def test_article_markdown_has_title_metadata_summary_and_entities() -> None:
    article, analysis, summary = build(
        "a.txt",
        "Port reopens after strike",
        ["Dockers in Valmora ended their strike on Monday.", "Ships queued for days."],
        source="Harbour Times",
        published="2024-05-06",
        url="https://example.com/port",
        standfirst="Ships are moving again.",
        names=(("Valmora", "GPE"),),
    )
    text = article_markdown(article, analysis, summary)
    lines = text.splitlines()
    assert lines[0] == "# Port reopens after strike"
    assert "Harbour Times" in text and "2024-05-06" in text and "<https://example.com/port>" in text
    assert "Ships are moving again." in text
    assert lines.index("## Summary") < lines.index("- Ships queued for days.")
    assert lines.index("## Key entities") < next(
        i for i, line in enumerate(lines) if "Valmora" in line and "Place" in line
    )


def test_hostile_text_cannot_change_the_document_structure() -> None:
    article, analysis, summary = build(
        "b.txt",
        "#1 story: [breaking](http://x.y) *news*",
        HOSTILE_SENTENCES,
        standfirst="=== standfirst ===",
    )
    text = article_markdown(article, analysis, summary)
    structure = rendered_structure(text)
    assert structure.count("heading_open") == 2  # the title and "Summary"
    assert structure.count("list_item_open") == len(HOSTILE_SENTENCES)
    assert "link_open" not in [
        child.type for t in MARKDOWN.parse(text) for child in t.children or []
    ]
    assert "<b>" not in MARKDOWN.render(text)
    visible = inline_texts(text)
    assert visible[0] == "#1 story: [breaking](http://x.y) *news*"
    for sentence in HOSTILE_SENTENCES:
        assert " ".join(sentence.split()) in visible


def test_article_without_summary_or_entities_still_exports() -> None:
    article, analysis, _ = build("c.txt", "", ["Only one line."])
    text = article_markdown(article, analysis, None)
    assert text.startswith("# ")
    assert "## Summary" not in text and "## Key entities" not in text


def test_group_markdown_lists_members_reasons_and_summaries() -> None:
    first = build(
        "one.txt",
        "Fire at the mill",
        ["A fire broke out in Osterby."],
        source="Daily A",
        published="2024-01-02",
        names=(("Osterby", "GPE"),),
    )
    second = build(
        "two.txt",
        "Mill blaze in Osterby",
        ["Firefighters fought a blaze in Osterby."],
        source="Weekly B",
        published="2024-01-03",
        names=(("Osterby", "GPE"),),
    )
    group = Group(
        "g1",
        ("one.txt", "two.txt"),
        (PairScore("one.txt", "two.txt", 72.0, ("Osterby",)),),
        ("Osterby",),
    )
    articles = {item[0].key: item[0] for item in (first, second)}
    analyses = {item[0].id: item[1] for item in (first, second)}
    summaries = {item[0].id: item[2] for item in (first, second)}
    text = group_markdown(group, articles, analyses, summaries)
    assert "Daily A" in text and "Weekly B" in text and "2024-01-03" in text
    assert "72" in text and "Osterby" in text
    assert "- A fire broke out in Osterby." in text
    assert "- Firefighters fought a blaze in Osterby." in text
    assert text.index("Fire at the mill") < text.index("Mill blaze in Osterby")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Hello, World!", "hello-world"),
        ("Ça va? Über straße", "ca-va-uber-strae"),
        ("../../etc/passwd", "etc-passwd"),
        ('He said "no" to the C.E.O.', "he-said-no-to-the-c-e-o"),
    ],
)
def test_slugify_makes_readable_ascii_names(title: str, expected: str) -> None:
    assert slugify(title) == expected


@pytest.mark.parametrize("title", ["", ".", "..", "🙂🙂", "   ", "///", "中文标题"])
def test_slugify_falls_back_when_nothing_is_left(title: str) -> None:
    assert slugify(title) == "article"
    assert slugify(title, fallback="story 7") == "story-7"


@pytest.mark.parametrize("title", ["CON", "nul", "Com1", "lpt9"])
def test_slugify_never_returns_a_reserved_device_name(title: str) -> None:
    slug = slugify(title)
    assert slug.split(".")[0] not in {"con", "nul", "com1", "lpt9"}
    assert slug.startswith(title.lower())


def test_slugify_keeps_long_titles_short_and_clean() -> None:
    slug = slugify("word " * 60)
    assert 40 <= len(slug) <= 80
    assert not slug.endswith("-") and not slug.startswith("-")


def test_write_new_file_creates_folders_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "story.md"
    assert write_new_file(target, "first ünïcode\n") == target
    assert target.read_text(encoding="utf-8") == "first ünïcode\n"
    with pytest.raises(FileExistsError):
        write_new_file(target, "second\n")
    assert target.read_text(encoding="utf-8") == "first ünïcode\n"
    write_new_file(target, "second\n", force=True)
    assert target.read_text(encoding="utf-8") == "second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["story.md"]


def test_concurrent_writers_never_overwrite_each_other(tmp_path: Path) -> None:
    target = tmp_path / "race.md"
    outcomes: list[str] = []

    def writer(number: int) -> None:
        try:
            write_new_file(target, f"writer {number}\n")
            outcomes.append(f"writer {number}\n")
        except FileExistsError:
            outcomes.append("refused")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [outcome for outcome in outcomes if outcome != "refused"]
    assert len(winners) == 1
    assert target.read_text(encoding="utf-8") == winners[0]
    assert os.listdir(tmp_path) == ["race.md"]


def test_writing_under_a_file_says_the_file_is_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(NotADirectoryError) as raised:
        write_new_file(tmp_path / "notes.md" / "summary.md", "# Summary\n")
    assert raised.value.strerror == f"{tmp_path / 'notes.md'} is a file, not a folder"
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine"
