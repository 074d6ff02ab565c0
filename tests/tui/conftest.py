"""One factory for the app: temporary config/cache/data dirs and a small corpus of our own."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from summarise.config import Settings
from summarise.nlp import Pipeline
from tui.app import NewsReaderApp

BRIDGE_A = (
    "Engineers reopened the Larkfield swing bridge over the river Amble on Tuesday after "
    "three months of repairs, the Larkfield Harbour Board said.\n\n"
    "The bridge was closed in March when a barge struck one of its supports. Traffic "
    "between Larkfield and the village of Westmoor had been diverted along the coast road.\n\n"
    "Harbour Board chair Helen Marsh said the repairs cost 2.4 million pounds and finished "
    "two weeks ahead of schedule.\n\n"
    "Local shops in Westmoor said trade had fallen by a third while the bridge was shut."
)
BRIDGE_B = (
    "The Larkfield swing bridge over the river Amble reopened on Tuesday after three months "
    "of repairs, according to the Larkfield Harbour Board.\n\n"
    "A barge struck one of the bridge's supports in March, closing it and sending traffic "
    "between Larkfield and Westmoor along the coast road.\n\n"
    "Helen Marsh, who chairs the Harbour Board, said the work cost 2.4 million pounds and "
    "was completed two weeks early."
)
ORCHARD = (
    "A community orchard planted by pupils at Hollin Brook School produced its first apple "
    "harvest this autumn, teachers said on Friday.\n\n"
    "The school's gardening club, led by teacher Omar Quayle, planted forty trees four years "
    "ago on land given by the parish council.\n\n"
    "The apples will be pressed into juice and sold at the Hollin Brook winter fair, with the "
    "money going to the club."
)
# A story that looks like Rich markup and carries terminal escape codes.
HOSTILE = (
    "The [bold]council[/bold] met in [link=https://evil.example]Dunmore[/link] on "
    "Monday and voted [/] to extend the library's opening hours.\n\n"
    "A notice that read \x1b[2J\x1b[31mRED ALERT\x1b[0m was posted by mistake, "
    "officials in Dunmore said.\n\n"
    "Librarian Grace Tully said the longer hours would start in January."
)

RECORDS = [
    {
        "id": "bridge-a",
        "title": "Larkfield swing bridge reopens after repairs",
        "source": "Amble Gazette",
        "published": "2024-06-04",
        "url": "https://gazette.example/bridge",
        "text": BRIDGE_A,
    },
    {
        "id": "bridge-b",
        "title": "Larkfield bridge reopens three months after barge crash",
        "source": "Coast Courier",
        "published": "2024-06-05",
        "url": "https://courier.example/bridge",
        "text": BRIDGE_B,
    },
    {
        "id": "orchard",
        "title": "School orchard gives first apple harvest",
        "source": "Hollin Brook News",
        "published": "2024-05-20",
        "text": ORCHARD,
    },
    {
        "id": "hostile",
        "title": "Library [bold]hours[/bold] extended [/]",
        "source": "Dunmore Post",
        "published": "2024-04-01",
        "text": HOSTILE,
    },
]

AppFactory = Callable[..., NewsReaderApp]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no async plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture
def data_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    dirs = {name: tmp_path / name for name in ("config", "cache", "data", "exports")}
    for path in dirs.values():
        path.mkdir()
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(dirs["config"]))
    monkeypatch.setenv("NEWSREADER_CACHE_DIR", str(dirs["cache"]))
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(dirs["data"]))
    monkeypatch.chdir(tmp_path)
    return dirs


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    return path


@pytest.fixture
def make_app(pipeline: Pipeline, data_dirs: dict[str, Path], corpus_file: Path) -> AppFactory:
    """Build the app on the test corpus (or other paths) with settings in the tmp dirs."""

    def factory(paths: list[str | Path] | None = None, **settings_values: object) -> NewsReaderApp:
        settings = Settings(export_dir=str(data_dirs["exports"]))
        for name, value in settings_values.items():
            setattr(settings, name, value)
        paths = [corpus_file] if paths is None else paths
        # In-thread analysis reuses the session's loaded pipeline; one test covers processes.
        return NewsReaderApp(paths, settings=settings, use_processes=False)

    return factory


async def settle(pilot: Pilot) -> None:
    """Wait until loading, analysis, grouping and the delayed redraws are done."""
    app = pilot.app
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause(0.12)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(
    pilot: Pilot, ready: Callable[[], bool], what: str, seconds: float = 2.0
) -> None:
    """Let the app run until ``ready()`` holds (a redraw may be scheduled, not immediate)."""
    for _ in range(round(seconds / 0.02)):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def key_for(app: NewsReaderApp, title_start: str) -> str:
    assert app.corpus is not None
    return next(a.key for a in app.corpus.articles if a.title.startswith(title_start))


async def select(pilot: Pilot, title_start: str) -> None:
    """Put the list cursor on the article whose title starts with ``title_start``."""
    app = pilot.app
    assert isinstance(app, NewsReaderApp)
    assert app.tree.move_to_article(key_for(app, title_start))
    await pilot.pause(0.12)
    await pilot.pause()
