"""How soon the reader shows something and how fast ``j`` moves, against a bare Textual app.

- seeds: the installed ``newsreader`` opened with an empty library (so on the sample pages)
  in tmux at 100x30, cache warmed by one earlier run: seconds until the list shows the
  three titles and until the summary pane shows a summary, each divided by the first
  paint of a bare Textual app (one Static) timed in the same terminal, turn about.
- library: a large library (default 10,000 stories: the BBC, CNN and ECB+ stories plus
  reworded near-copies, written to a temporary folder) opened in the real app under
  Textual's pilot: ``j`` pressed again and again while the analysis runs and after it,
  each press timed from the key event until the panes show the new row and the screen has
  refreshed (p50 and p95). Then the same library opened in tmux with the cache now warm:
  seconds until the first rows show and until every row is listed, against the bare app.

The evaluation data is read by path; nothing derived from it stays on disk.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.quality.common import data_root
from bench.speed.library_corpus import write_library
from bench.speed.terminal import Terminal, private_dirs

WIDTH, HEIGHT = 100, 30
BARE_APP = """\
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare app ready")


Bare().run()
"""
BARE_SHOWN = "bare app ready"
SUMMARY_SHOWN = re.compile(r"Summary · \S+ · \d+ of \d+ sentences")
ANALYSED = re.compile(r"\d+ groups?\b|each story on its own|grouping off")
FIRST_ROWS = re.compile(r"Articles \d+")
WHOLE_LIST = re.compile(r"Articles \d+ · \d+ unread")


def _newsreader() -> str:
    beside = Path(sys.executable).with_name("newsreader")
    found = str(beside) if beside.exists() else shutil.which("newsreader")
    if found is None:
        raise SystemExit("the newsreader command is not installed (pip install -e .)")
    return found


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class _Peer:
    """The bare Textual app's first paint, timed in the same terminal."""

    def __init__(self, terminal: Terminal, folder: Path, env: dict[str, str]) -> None:
        self.terminal = terminal
        self.script = folder / "bare_app.py"
        self.script.write_text(BARE_APP, encoding="utf-8")
        self.env = env
        self.cwd = str(folder)

    def first_paint(self) -> float:
        started = self.terminal.start([sys.executable, str(self.script)], self.env, self.cwd)
        seconds, _ = self.terminal.wait_for(lambda screen: BARE_SHOWN in screen, started)
        self.terminal.quit("ctrl+q")
        return seconds


def _rounds(
    terminal: Terminal,
    peer: _Peer,
    reader: list[str],
    root: str,
    rounds: int,
    marks: list[tuple[Callable[[str], bool], float]],
) -> tuple[list[float], list[list[float]]]:
    """Turn about, ``rounds`` times: the bare app's first paint, then the reader timed
    until the screen shows each mark in turn (each with its own timeout)."""
    bare: list[float] = []
    seconds: list[list[float]] = [[] for _ in marks]
    for _ in range(rounds):
        bare.append(peer.first_paint())
        started = terminal.start(reader, peer.env, root)
        for times, (shown, timeout) in zip(seconds, marks, strict=True):
            times.append(terminal.wait_for(shown, started, timeout)[0])
        terminal.quit()
    return bare, seconds


def _titles_shown(titles: list[str]) -> Callable[[str], bool]:
    starts = [title[:14] for title in titles]
    return lambda screen: all(start in screen for start in starts)


def seeds(rounds: int) -> str:
    from summarise.sources import load_articles, seeds_path

    titles = [article.title for article in load_articles([seeds_path()])]
    with tempfile.TemporaryDirectory() as root:
        env = private_dirs(root)
        terminal = Terminal(WIDTH, HEIGHT)
        try:
            peer = _Peer(terminal, Path(root), env)
            reader = [_newsreader()]
            # Warm the analysis cache: a first run that finishes its analysis.
            started = terminal.start(reader, env, root)
            terminal.wait_for(lambda screen: bool(ANALYSED.search(screen)), started, 300)
            terminal.quit()
            bare, (listed, summarised) = _rounds(
                terminal,
                peer,
                reader,
                root,
                rounds,
                [
                    (_titles_shown(titles), 60),
                    (lambda screen: bool(SUMMARY_SHOWN.search(screen)), 60),
                ],
            )
        finally:
            terminal.close()
    peer_seconds = _median(bare)
    return (
        f"reader, seeds, warm cache: list {_median(listed) / peer_seconds:.1f}x bare app"
        f" (goal <= 2x), summary {_median(summarised) / peer_seconds:.1f}x (goal <= 3x)"
        f"  [medians of {rounds}: bare {peer_seconds:.2f} s, list {_median(listed):.2f} s,"
        f" summary {_median(summarised):.2f} s]"
    )


# The large library ----------------------------------------------------------------------


@dataclass
class _Presses:
    during: list[float]
    after: list[float]
    listed: float


def _analysing(app: object) -> bool:
    workers = app.workers  # type: ignore[attr-defined]
    return any(worker.group == "analysis" and worker.is_running for worker in workers)


async def _press_j(app: object) -> float:
    """Seconds from the key event until the panes show the row under the cursor and the
    screen has refreshed."""
    from textual import events

    from tui.widgets.article_list import ArticleRow

    tree = app.tree  # type: ignore[attr-defined]
    line = tree.cursor_line
    started = time.perf_counter()
    app.post_message(events.Key("j", "j"))  # type: ignore[attr-defined]
    while True:
        node = tree.cursor_node
        if tree.cursor_line != line and node is not None:
            data = node.data
            if isinstance(data, ArticleRow):
                shown = app.current is data.article and app.current_group is None  # type: ignore[attr-defined]
            else:
                shown = app.current_group is data  # type: ignore[attr-defined]
            if shown:
                break
        await asyncio.sleep(0.001)
    await app.screen.wait_for_refresh()  # type: ignore[attr-defined]
    return time.perf_counter() - started


async def _presses(folder: Path, presses: int, gap: float) -> _Presses:
    from summarise.config import Settings
    from tui.app import NewsReaderApp

    app = NewsReaderApp([folder], settings=Settings(), save=False)
    during: list[float] = []
    after: list[float] = []
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        started = time.perf_counter()
        while app.corpus is None:
            await asyncio.sleep(0.01)
        listed = time.perf_counter() - started
        await pilot.pause(0.2)
        app.tree.focus()
        while _analysing(app) and len(during) < presses:
            during.append(await _press_j(app))
            await asyncio.sleep(gap)
        while _analysing(app) or app.groups is None:
            await asyncio.sleep(0.5)
        await pilot.pause(0.5)
        app.tree.move_to_first()
        await pilot.pause(0.2)
        for _ in range(presses):
            after.append(await _press_j(app))
            await asyncio.sleep(gap)
    return _Presses(during, after, listed)


def _latency(label: str, seconds: list[float]) -> str:
    if not seconds:
        return f"{label}: no presses (the analysis ended first)"
    p50 = _percentile(seconds, 0.5) * 1000
    p95 = _percentile(seconds, 0.95) * 1000
    return f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(seconds)} presses"


def library(size: int, presses: int, rounds: int, data: Path) -> list[str]:
    import os

    rows = []
    with tempfile.TemporaryDirectory() as root:
        env = private_dirs(root)
        folder = Path(root) / "library"
        folder.mkdir()
        write_library(data, folder, size)
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update({k: v for k, v in env.items() if k != "PATH"})
        try:
            measured = asyncio.run(_presses(folder, presses, gap=0.03))
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        for phase, seconds in (
            ("while analysing", measured.during),
            ("after analysis", measured.after),
        ):
            label = f"reader, {size} articles, j {phase}"
            rows.append(_latency(label, seconds) + " (goal p95 <= 50 ms)")
        terminal = Terminal(WIDTH, HEIGHT)
        try:
            peer = _Peer(terminal, Path(root), env)
            reader = [_newsreader(), str(folder)]
            bare, (first, whole) = _rounds(
                terminal,
                peer,
                reader,
                root,
                rounds,
                [
                    (lambda screen: bool(FIRST_ROWS.search(screen)) and "●" in screen, 120),
                    (lambda screen: bool(WHOLE_LIST.search(screen)), 600),
                ],
            )
        finally:
            terminal.close()
    peer_seconds = _median(bare)
    rows.insert(
        0,
        f"reader, {size} articles, warm cache: first rows {_median(first) / peer_seconds:.1f}x"
        f" bare app, whole list {_median(whole) / peer_seconds:.1f}x (goal <= 2x)"
        f"  [medians of {rounds}: bare {peer_seconds:.2f} s, first rows {_median(first):.2f} s,"
        f" whole list {_median(whole):.2f} s; pilot: corpus loaded {measured.listed:.2f} s]",
    )
    return rows


def report(size: int = 10_000, presses: int = 60, rounds: int = 3, data: str | None = None) -> str:
    lines = [seeds(rounds)]
    if size > 0:
        lines += library(size, presses, rounds, data_root(data))
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(*(int(arg) for arg in sys.argv[1:3])))
