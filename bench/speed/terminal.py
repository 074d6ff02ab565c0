"""A real terminal for timing: a detached tmux server of our own whose one pane runs a
command again and again, read back with ``capture-pane`` until the screen shows what we wait
for. The server starts once, so its start-up is in no measurement."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping

POLL_SECONDS = 0.01


class TerminalMissing(Exception):
    """tmux is not installed."""


class Terminal:
    def __init__(self, width: int, height: int) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            raise TerminalMissing("tmux is not installed")
        self.tmux = tmux
        self.socket = f"newsreader-bench-{uuid.uuid4().hex[:8]}"
        self.target = "bench:0.0"
        self._run(
            "new-session", "-d", "-s", "bench", "-x", str(width), "-y", str(height), "sleep 86400"
        )
        self._run("set-option", "-t", "bench", "remain-on-exit", "on")

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        return done.stdout

    def start(self, argv: list[str], env: Mapping[str, str], cwd: str) -> float:
        """Run ``argv`` in the pane (replacing what ran there); returns when it was started."""
        settings = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
        command = f"cd {shlex.quote(cwd)} && exec env {settings} {shlex.join(argv)}"
        started = time.perf_counter()
        self._run("respawn-pane", "-k", "-t", self.target, command)
        return started

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", self.target)

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", self.target, *keys)

    def running(self) -> bool:
        return self._run("display-message", "-p", "-t", self.target, "#{pane_dead}").strip() == "0"

    def wait_for(
        self, shown: Callable[[str], bool], since: float, timeout: float = 120.0
    ) -> tuple[float, str]:
        """Seconds from ``since`` until the screen satisfies ``shown`` (and that screen)."""
        deadline = time.perf_counter() + timeout
        screen = ""
        while time.perf_counter() < deadline:
            screen = self.screen()
            seen = time.perf_counter()
            if shown(screen):
                return seen - since, screen
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"the screen never showed what was awaited; it was:\n{screen}")

    def quit(self, key: str = "q", timeout: float = 30.0) -> None:
        """Press ``key`` and wait for the program to end (killed after ``timeout``)."""
        self.keys(key)
        deadline = time.perf_counter() + timeout
        while self.running() and time.perf_counter() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        self._run("kill-server")


def private_dirs(root: str) -> dict[str, str]:
    """Environment for a first-time user whose home, config, cache and data are under
    ``root``: the library is empty, so the reader opens the bundled sample pages."""
    env = {
        "HOME": f"{root}/home",
        "XDG_CONFIG_HOME": f"{root}/xdg-config",
        "XDG_CACHE_HOME": f"{root}/xdg-cache",
        "XDG_DATA_HOME": f"{root}/xdg-data",
        "NEWSREADER_CONFIG_DIR": f"{root}/config",
        "NEWSREADER_CACHE_DIR": f"{root}/cache",
        "NEWSREADER_DATA_DIR": f"{root}/data",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        # An installed program runs from compiled bytecode (pip compiles it; Python
        # writes it on the first run): a shell that forbids writing it would time the
        # compiling of every module on every start instead.
        "PYTHONDONTWRITEBYTECODE": "",
    }
    os.makedirs(env["HOME"], exist_ok=True)
    return env
