"""The reader stays usable while the analysis runs: the list of a large corpus is there
before any analysis is done, j moves and redraws without waiting for it, and a summary
fills in when its analysis arrives."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from summarise.article import Article, Group
from summarise.engine import Corpus
from summarise.store import AnalysisCache
from tests.tui.conftest import AppFactory, settle, wait_until
from tui import analysis
from tui.app import NewsReaderApp
from tui.widgets.article_list import ArticleRow
from tui.widgets.group_view import GroupView

OUTLETS = ("Brindle Courier", "Oakhollow Times", "Saltmere Herald", "Fennick Post")
PLACES = ("Larkfield", "Westmoor", "Dunmore", "Hollin Brook", "Amble Cross", "Kestrel Bay")
THINGS = ("bridge", "library", "orchard", "ferry", "market", "school", "harbour", "museum")
DOINGS = ("reopened", "closed", "was repaired", "won an award", "was extended", "moved")


def fictional_records(count: int, seed: int = 3) -> list[dict[str, str]]:
    """``count`` short made-up local news stories from fictional outlets."""
    rng = random.Random(seed)
    records = []
    for number in range(count):
        place, thing, doing = rng.choice(PLACES), rng.choice(THINGS), rng.choice(DOINGS)
        paragraphs = [
            f"The {thing} in {place} {doing} on {rng.choice(('Monday', 'Friday'))}, "
            f"officials said, in story number {number}.",
            f"Residents of {place} said the {thing} mattered to {rng.randint(2, 90)} families "
            f"and that the council of {rng.choice(PLACES)} had helped.",
        ]
        records.append(
            {
                "id": f"story-{number}",
                "title": f"{place} {thing} {doing} (report {number})",
                "source": OUTLETS[number % len(OUTLETS)],
                "published": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
                "text": "\n\n".join(paragraphs),
            }
        )
    return records


@pytest.fixture
def large_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "large.jsonl"
    lines = (json.dumps(record) for record in fictional_records(1000))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def held_analysis(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Analysis waits until the returned event is set (set at the end of the test)."""
    gate = threading.Event()
    real = analysis.Analyser.analyse

    def waiting(
        self: analysis.Analyser,
        corpus: Corpus,
        piece: Sequence[Article],
        missing: Sequence[Article],
        cache: AnalysisCache | None,
    ) -> None:
        gate.wait(timeout=60)
        real(self, corpus, piece, missing, cache)

    monkeypatch.setattr(analysis.Analyser, "analyse", waiting)
    yield gate
    gate.set()


# Generous: a loaded machine (two test workers) can be slow to read the corpus; the
# analysis is held meanwhile, so waiting longer cannot let it slip in.
PATIENCE = 60.0


def row_article(app: NewsReaderApp) -> Article:
    node = app.tree.cursor_node
    assert node is not None and isinstance(node.data, ArticleRow)
    return node.data.article


async def test_a_thousand_articles_are_listed_before_any_is_analysed(
    make_app: AppFactory, large_corpus: Path, held_analysis: threading.Event
) -> None:
    app = make_app([large_corpus], grouping=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.corpus is not None, "the corpus to load", PATIENCE)
        await wait_until(
            pilot, lambda: app.tree.row_count == 1000, "every row to be listed", PATIENCE
        )
        await pilot.pause()
        assert str(app.tree.border_title).startswith("Articles 1000")
        assert app.analysed == 0
        assert "Analysing this article" in app.summary_view.shown_text
        held_analysis.set()


async def test_j_moves_and_shows_each_article_while_analysis_is_held(
    make_app: AppFactory, large_corpus: Path, held_analysis: threading.Event
) -> None:
    app = make_app([large_corpus], grouping=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.corpus is not None, "the corpus to load", PATIENCE)
        await pilot.pause()
        seen = set()
        for _ in range(5):
            before = app.tree.cursor_line
            await pilot.press("j")
            await pilot.pause()
            assert app.tree.cursor_line == before + 1
            article = row_article(app)
            assert app.current is article
            assert article.title in str(app.header.content)
            seen.add(article.key)
        assert len(seen) == 5
        assert app.analysed == 0  # all of it happened with the analysis held
        # Once the analysis runs, the article on screen is summarised without moving.
        held_analysis.set()
        await wait_until(
            pilot,
            lambda: "Summary ·" in str(app.summary_view.border_title),
            "the summary of the article on screen",
            PATIENCE,
        )
        assert app.current is row_article(app)


async def test_j_finds_the_next_summary_made_ahead(make_app: AppFactory) -> None:
    app = make_app(grouping=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("home")
        await settle(pilot)
        await pilot.press("j")
        await pilot.pause()
        # Drawn from the summary made while the row above was read: no waiting message.
        assert app.current is row_article(app)
        assert "Summary ·" in str(app.summary_view.border_title)
        assert "Summarising" not in app.summary_view.shown_text


async def test_a_smaller_group_after_a_larger_one_shows_only_its_own_members() -> None:
    def story(name: str) -> Article:
        return Article(key=name, title=f"{name} harbour story", blocks=(), source=name)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield GroupView(id="group")

    larger = [story(name) for name in ("Brindle Courier", "Oakhollow Times", "Saltmere Herald")]
    smaller = [story(name) for name in ("Fennick Post", "Larkfield Gazette")]
    app = Host()
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.query_one(GroupView)
        view.show_group(Group("a", tuple(a.key for a in larger)), larger, {}, {})
        await pilot.pause()
        assert all(article.title in view.shown_text for article in larger)
        view.show_group(Group("b", tuple(a.key for a in smaller)), smaller, {}, {})
        await pilot.pause()
        assert all(article.title in view.shown_text for article in smaller)
        assert not any(article.title in view.shown_text for article in larger)
        view.show_group(Group("a", tuple(a.key for a in larger)), larger, {}, {})
        await pilot.pause()
        assert all(article.title in view.shown_text for article in larger)
