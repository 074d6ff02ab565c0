"""Command line: ``python -m bench.quality [part ...] [--data DIR] [--limit N] [--write FILE]``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.quality.common import MissingData, Table, data_root, set_jobs

PARTS = ("summaries", "groups", "entities", "cleaning", "structure")


def cpu_seconds() -> float:
    """CPU time of this process and its finished workers (the machine may be shared)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _runner(part: str) -> Callable[..., list[Table]]:
    # Imported lazily so one part can run while another's engine module is unfinished.
    if part == "summaries":
        from bench.quality.summaries import run
    elif part == "groups":
        from bench.quality.groups import run
    elif part == "entities":
        from bench.quality.entities import run
    elif part == "cleaning":
        from bench.quality.cleaning import run
    else:
        from bench.quality.structure import run
    return run


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.quality",
        description="Measure the engine beside its peers on the shared dev data.",
    )
    parser.add_argument(
        "parts", nargs="*", metavar="part", help=f"any of {', '.join(PARTS)} (default: all)"
    )
    parser.add_argument(
        "--data", help="data folder (default: $NEWSREADER_BENCH_DATA or ../shared/data)"
    )
    parser.add_argument("--limit", type=int, help="at most N items per data set (a quick run)")
    parser.add_argument("--write", type=Path, help="also write the tables as Markdown to FILE")
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes (default: 2, or 1 on a single core)",
    )
    parser.add_argument("--model", help="spaCy model for the engine (default: the engine's choice)")
    args = parser.parse_args(argv)
    unknown = [part for part in args.parts if part not in PARTS]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; choose from {', '.join(PARTS)}")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    parts = args.parts or list(PARTS)
    data = data_root(args.data)
    if not data.is_dir():
        print(
            f"data folder {data} not found (use --data or $NEWSREADER_BENCH_DATA)", file=sys.stderr
        )
        return 2

    from summarise.nlp import load_pipeline

    set_jobs(args.jobs)
    started = time.perf_counter()
    cpu_started = cpu_seconds()
    pipeline = load_pipeline(args.model)
    print(
        f"engine pipeline: {pipeline.fingerprint}; data: {data}; limit: {args.limit};"
        f" jobs: {args.jobs}"
    )
    sections: list[tuple[str, list[Table], float, float]] = []
    failed = False
    for part in parts:
        part_started = time.perf_counter()
        part_cpu = cpu_seconds()
        try:
            tables = _runner(part)(data, args.limit, pipeline, args.model)
        except MissingData as problem:
            print(f"\n[{part}] skipped: {problem}", file=sys.stderr)
            failed = True
            continue
        except ImportError as problem:
            print(f"\n[{part}] skipped: engine module missing ({problem})", file=sys.stderr)
            failed = True
            continue
        elapsed = time.perf_counter() - part_started
        cpu = cpu_seconds() - part_cpu
        for table in tables:
            print()
            print(table.text())
        print(f"\n[{part}] {elapsed:.0f} s wall, {cpu:.0f} s CPU")
        sys.stdout.flush()
        sections.append((part, tables, elapsed, cpu))
        if args.write:
            # Written after every part, so a long run that is stopped keeps what it measured.
            _write(args, parts, pipeline.fingerprint, sections, started, cpu_started, done=False)
    total = time.perf_counter() - started
    total_cpu = cpu_seconds() - cpu_started
    print(f"\ntotal {total:.0f} s wall, {total_cpu:.0f} s CPU ({args.jobs} jobs)")
    if args.write:
        _write(args, parts, pipeline.fingerprint, sections, started, cpu_started, done=True)
        print(f"wrote {args.write}")
    return 1 if failed else 0


def _write(
    args: argparse.Namespace,
    parts: list[str],
    fingerprint: str,
    sections: list[tuple[str, list[Table], float, float]],
    started: float,
    cpu_started: float,
    done: bool,
) -> None:
    total = time.perf_counter() - started
    total_cpu = cpu_seconds() - cpu_started
    ordered = sorted(sections, key=lambda section: PARTS.index(section[0]))
    text = _markdown(args, parts, fingerprint, ordered, total, total_cpu)
    if not done:
        text = text.replace("\n\n", "\n\n(run in progress: parts still missing)\n\n", 1)
    temporary = args.write.with_name(args.write.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, args.write)


def _command(args: argparse.Namespace, parts: list[str]) -> str:
    words = ["python -m bench.quality", *args.parts]
    if args.data:
        words += ["--data", args.data]
    if args.limit is not None:
        words += ["--limit", str(args.limit)]
    if args.model:
        words += ["--model", args.model]
    if args.write:
        words += ["--write", str(args.write)]
    return " ".join(words)


def _markdown(
    args: argparse.Namespace,
    parts: list[str],
    fingerprint: str,
    sections: list[tuple[str, list[Table], float, float]],
    total: float,
    total_cpu: float,
) -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Quality measurements",
        "",
        "The engine beside its peers on the shared development data, every figure measured"
        " in the same run. Regenerate with the command below (from the repository root; the"
        " data folder is not part of the project, see `bench/README.md`).",
        "",
        f"- command: `{_command(args, parts)}`",
        f"- date: {today}",
        f"- machine: {os.cpu_count()} cores ({platform.machine()}, Python"
        f" {platform.python_version()}), {args.jobs} worker processes; whole run"
        f" {total / 60:.1f} min wall, {total_cpu / 60:.1f} min CPU; load average at the end"
        f" {os.getloadavg()[1]:.1f} (other work shares the machine when it is above 2)",
        f"- engine pipeline: `{fingerprint}`",
    ]
    if args.limit is not None:
        lines.append(f"- quick run: at most {args.limit} items per data set")
    lines += [
        "",
        "How to read these tables: every system in a table saw the same input (for summaries,"
        " the same spaCy sentences, so only the choice of sentences differs). Baselines whose"
        " threshold is picked on the evaluation data itself are an optimistic bar; the"
        " held-back table picks each threshold on the other half of the topics. CPU seconds"
        " are the steadier cost figure on a shared machine.",
    ]
    for part, tables, elapsed, cpu in sections:
        lines += ["", f"## {part} ({elapsed:.0f} s wall, {cpu:.0f} s CPU)", ""]
        for table in tables:
            lines += [table.markdown(), ""]
    return "\n".join(lines).rstrip() + "\n"
