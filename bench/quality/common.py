"""Shared pieces: where the data lives, reading JSONL, result tables, timing."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_ENV = "NEWSREADER_BENCH_DATA"

_WORDS = re.compile(r"\w+")


class MissingData(Exception):
    """A data file the benchmark needs is not there."""


def data_root(option: str | None) -> Path:
    """--data wins, then $NEWSREADER_BENCH_DATA, then ../shared/data beside the repository."""
    if option:
        return Path(option).expanduser().resolve()
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return (REPO_ROOT / ".." / "shared" / "data").resolve()


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    if not path.is_file():
        raise MissingData(f"{path} not found")
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def words(text: str) -> list[str]:
    """Lower-cased word tokens, the unit of every bag-of-words comparison here."""
    return _WORDS.findall(text.lower())


def harmonic(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass
class Table:
    """One printed result table; cells are strings, ints or floats (3 decimals)."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def _cells(self) -> list[list[str]]:
        return [[_cell(value) for value in row] for row in self.rows]

    def text(self) -> str:
        cells = self._cells()
        widths = [
            max([len(column)] + [len(row[i]) for row in cells])
            for i, column in enumerate(self.columns)
        ]

        def line(values: Sequence[str]) -> str:
            parts = [
                value.ljust(width) if i == 0 else value.rjust(width)
                for i, (value, width) in enumerate(zip(values, widths, strict=True))
            ]
            return "  ".join(parts).rstrip()

        out = [self.title, "=" * len(self.title), line(self.columns)]
        out.append("  ".join("-" * width for width in widths))
        out.extend(line(row) for row in cells)
        out.extend(f"  * {note}" for note in self.notes)
        return "\n".join(out)

    def markdown(self) -> str:
        cells = self._cells()
        out = [f"### {self.title}", ""]
        out.append("| " + " | ".join(self.columns) + " |")
        out.append(
            "|" + "|".join("---" if i == 0 else "---:" for i in range(len(self.columns))) + "|"
        )
        out.extend("| " + " | ".join(row) + " |" for row in cells)
        if self.notes:
            out.append("")
            out.extend(f"- {note}" for note in self.notes)
        return "\n".join(out)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


_JOBS = [1]


def set_jobs(jobs: int) -> None:
    _JOBS[0] = max(1, jobs)


def jobs() -> int:
    return _JOBS[0]


def parallel_map(work: Callable[[Any], Any], tasks: Sequence[Any]) -> list[Any]:
    """``work`` over ``tasks`` in forked worker processes (results in task order).

    Forking shares the already loaded spaCy pipeline with the workers; ``work`` must be a
    module-level function and its results picklable.
    """
    if jobs() <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(task) for task in tasks]
    with multiprocessing.get_context("fork").Pool(jobs()) as pool:
        return pool.map(work, tasks, chunksize=1)


def split(items: Sequence[Any], parts: int) -> list[Sequence[Any]]:
    """``items`` cut into at most ``parts`` contiguous, nearly equal slices."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    slices = []
    start = 0
    for index in range(parts):
        end = start + size + (index < extra)
        slices.append(items[start:end])
        start = end
    return slices
