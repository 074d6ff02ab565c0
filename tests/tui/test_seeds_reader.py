"""The reader on the bundled seeds: headline and source line in the header, the story's
paragraphs in the text pane, and the pages' furniture out of it until ``c`` shows it dimmed.

What each page must give is described once, in tests/summarise/test_seeds.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot

from summarise.article import normalise_text
from summarise.sources import seeds_path
from tests.summarise.test_seeds import ALL_SEEDS, Seed, expected_paragraphs
from tests.tui.conftest import AppFactory, settle, wait_until
from tui.app import NewsReaderApp
from tui.widgets.article_list import ArticleRow, GroupRow

SIZE = (160, 50)
# The text pane numbers the summary's sentences in place: "[1] The lead…".
SUMMARY_MARKER = re.compile(r"\[[1-9]\] ")


async def open_seed(pilot: Pilot, seed: Seed) -> None:
    """Put the list cursor on the seed's page and wait until the reading pane shows it."""
    app = pilot.app
    assert isinstance(app, NewsReaderApp) and app.corpus is not None
    key = next(a.key for a in app.corpus.articles if Path(a.key).name == seed.name)
    assert app.tree.move_to_article(key)
    await wait_until(
        pilot,
        lambda: (
            app.current is not None
            and app.current.key == key
            and app.body.shown_text.strip() != ""
            and app.summary_view.border_title is not None
            and "Summary ·" in str(app.summary_view.border_title)
        ),
        f"{seed.name} in the reading pane",
    )


def story_text(app: NewsReaderApp) -> str:
    """The words of the text pane without the summary's sentence numbers."""
    return normalise_text(SUMMARY_MARKER.sub("", app.body.shown_text))


def header_lines(app: NewsReaderApp) -> list[str]:
    return str(app.header.content).splitlines()


def displayed_paragraphs(text: Text) -> list[tuple[int, int, str]]:
    """(start, end, words) of each paragraph of the text pane, as shown."""
    found = []
    position = 0
    for paragraph in text.plain.split("\n\n"):
        words = normalise_text(SUMMARY_MARKER.sub("", paragraph))
        found.append((position, position + len(paragraph), words))
        position += len(paragraph) + 2
    return found


def furniture_counts(seed: Seed) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in seed.furniture:
        counts[normalise_text(line)] = counts.get(normalise_text(line), 0) + 1
    return counts


async def test_seeds_open_as_three_separate_stories(make_app: AppFactory) -> None:
    app = make_app([seeds_path()])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.tree.root.children
        assert not any(isinstance(node.data, GroupRow) for node in rows)  # three battles
        assert len(rows) == 3 and all(isinstance(node.data, ArticleRow) for node in rows)


async def test_header_shows_headline_source_date_and_standfirst(make_app: AppFactory) -> None:
    app = make_app([seeds_path()])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for seed in ALL_SEEDS:
            await open_seed(pilot, seed)
            lines = header_lines(app)
            assert lines[0] == seed.headline
            source = seed.source or "unknown source"
            assert lines[1].startswith(f"{source} · {seed.published or 'undated'}"), lines[1]
            assert lines[2:] == ([seed.standfirst] if seed.standfirst else [])


async def test_text_pane_holds_every_paragraph_of_the_story(make_app: AppFactory) -> None:
    app = make_app([seeds_path()])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for seed in ALL_SEEDS:
            await open_seed(pilot, seed)
            shown = story_text(app)
            missing = [p for p in expected_paragraphs(seed) if p not in shown]
            assert missing == [], seed.name
            if seed.dateline:  # where the story was filed is shown, before its paragraph
                first = expected_paragraphs(seed)[0]
                assert shown.index(seed.dateline.rstrip(":")) < shown.index(first)


async def test_furniture_is_out_of_the_text_until_c_shows_it_dimmed(make_app: AppFactory) -> None:
    app = make_app([seeds_path()])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.show_hidden is False
        hidden = app.body.get_component_rich_style("body--hidden", partial=True)
        assert hidden  # the dimmed style is a style
        for seed in ALL_SEEDS:
            await open_seed(pilot, seed)
            furniture = furniture_counts(seed)
            story = expected_paragraphs(seed)[-1]  # the story's last paragraph, always shown

            # Before `c`: no furniture.
            shown = story_text(app)
            paragraphs = [words for _, _, words in displayed_paragraphs(app.body.text)]
            for line in furniture:
                if len(line) > 3:
                    assert line not in shown, (seed.name, line)
                assert line not in paragraphs, (seed.name, line)
            assert story in shown

            # With `c`: each piece of furniture, as often as the page has it, dimmed.
            await pilot.press("c")
            assert app.show_hidden is True
            text = app.body.text
            assert isinstance(text, Text)
            for line, count in furniture.items():
                places = [(a, b) for a, b, words in displayed_paragraphs(text) if words == line]
                assert len(places) == count, (seed.name, line)
                for start, end in places:
                    assert any(
                        span.start <= start and end <= span.end and span.style == hidden
                        for span in text.spans
                    ), (seed.name, line, "not dimmed")
            assert story in story_text(app)

            # And `c` again hides it.
            await pilot.press("c")
            assert app.show_hidden is False
            shown = story_text(app)
            assert all(line not in shown for line in furniture if len(line) > 3)
            assert story in shown
