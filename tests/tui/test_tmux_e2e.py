"""The installed ``newsreader`` in a real terminal (tmux): open the seeds, move, export, quit."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.summarise.test_seeds import ALL_SEEDS, PALMYRA

WIDTH, HEIGHT = 100, 30
STARTUP_SECONDS = 90.0


class Terminal:
    """A detached tmux session on its own server socket, so nothing else is touched."""

    def __init__(self, tmux: str, socket: str) -> None:
        self.tmux = tmux
        self.socket = socket
        self.session = "newsreader"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=30,
        )

    def start(self, command: str, cwd: Path) -> None:
        self.run(
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(WIDTH),
            "-y",
            str(HEIGHT),
            "-c",
            str(cwd),
            command,
        )

    def screen(self) -> str:
        result = self.run("capture-pane", "-p", "-t", self.session, check=False)
        return result.stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def alive(self) -> bool:
        return self.run("has-session", "-t", self.session, check=False).returncode == 0

    def wait_for(self, ready: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if ready(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def close(self) -> None:
        self.run("kill-server", check=False)


@pytest.fixture
def terminal() -> Terminal:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.fail(
            "tmux is not installed; install it (e.g. apt-get install tmux) to run this test"
        )
    term = Terminal(tmux, f"newsreader-e2e-{uuid.uuid4().hex[:8]}")
    yield term
    term.close()


def test_installed_newsreader_opens_seeds_moves_exports_and_quits(
    terminal: Terminal, tmp_path: Path
) -> None:
    program = shutil.which("newsreader")
    if program is None:
        pytest.fail("the newsreader command is not installed; run: pip install -e .")
    exports = tmp_path / "exports"
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(f"export_dir = {str(exports)!r}\n", encoding="utf-8")
    env = {
        "NEWSREADER_CONFIG_DIR": config,
        "NEWSREADER_CACHE_DIR": tmp_path / "cache",
        "NEWSREADER_DATA_DIR": tmp_path / "data",
        "TERM": "xterm-256color",
    }
    assignments = " ".join(f"{name}={shlex.quote(str(value))}" for name, value in env.items())
    # COLUMNS/LINES (set by some test tools) would override the terminal's real size.
    command = f"env -u COLUMNS -u LINES {assignments} {shlex.quote(program)}"
    terminal.start(command, tmp_path)

    first = terminal.wait_for(
        lambda s: "Summary ·" in s and "sentences" in s and "analysing" not in s,
        "the first summary",
        STARTUP_SECONDS,
    )
    assert "Articles 3" in first and "Text" in first and "Entities" in first
    # The three seed pages are listed, each on its own (three battles, no group).
    for seed in ALL_SEEDS:
        assert " ".join(seed.headline.split()[:4]) in first, seed.headline
    assert "each story on its own" in first
    # Newest first: Palmyra, the only dated page, is open, with its date and no source.
    assert PALMYRA.headline in first
    assert "unknown source · 2016-03-22" in first

    terminal.keys("j")
    moved = terminal.wait_for(lambda s: s != first, "the cursor to move")
    assert "Summary" in moved
    assert "unknown source · 2016-03-22" not in moved

    terminal.keys("e")
    dialog = terminal.wait_for(lambda s: "Export as Markdown" in s, "the export dialog")
    assert "Export" in dialog and "Cancel" in dialog
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Wrote" in s, "the export notification")

    written = list(exports.glob("*.md"))
    assert len(written) == 1
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("# ")
    title = text.splitlines()[0][2:].strip()
    # The exported article is the one the cursor moved to: one of the two undated pages,
    # whose headline is in the reading pane's header.
    (seed,) = [seed for seed in ALL_SEEDS if seed.headline == title]
    assert seed is not PALMYRA
    assert " ".join(title.split()[:6]) in moved
    assert f"{seed.source} · undated" in moved
    assert seed.source in text and "## Summary" in text

    terminal.keys("q")
    deadline = time.monotonic() + 15
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive(), "newsreader did not quit on q"
