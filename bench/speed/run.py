"""Prints speed figures measured on this machine in one run; nothing here asserts a time.

- analysis: 593 BBC and CNN stories analysed the first time, against spaCy's own
  ``nlp.pipe`` on one and on every core; then ``newsreader summarise`` run again with
  everything cached, per 1,000 articles (bench/speed/analysis.py)
- grouping: 1k, 10k, 100k articles, ours beside all-pairs rapidfuzz and MinHashLSH, with
  peak memory (bench/speed/grouping.py)
- feeds: wall time and requests of a first and a second library update against feeds
  served on 127.0.0.1 (the second is all 304 Not Modified)
- reader: the app's first paint and its `j` latency on a large library, against a bare
  Textual app's first paint (bench/speed/reader.py)
- partition: one worker process analysing 1,000 articles into an analysis cache: time,
  peak memory, size on disk (the per-partition costs in docs/scaling.md)
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

PARTS = ("analysis", "grouping", "feeds", "reader", "partition")


def load_note(when: str) -> str:
    """What else the machine was doing: figures taken under load are slower than idle."""
    from summarise.analysis_pool import usable_cores

    cores = usable_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return f"{cores} cores; load average unknown"
    # At the end the benchmark's own processes, one per core, still count in the average.
    idle = 0.5 if when == "start" else cores + 0.5
    busy = " (other work was running: figures are under load)" if load >= idle else ""
    return f"{cores} cores; load average over the last minute {load:.2f} at the {when}{busy}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "parts", nargs="*", metavar="PART", help=f"some of {', '.join(PARTS)} (default: all)"
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=593,
        help="BBC and CNN stories for the analysis part, half of each (default: 593)",
    )
    parser.add_argument(
        "--partition", type=int, default=1000, help="articles in the partition part"
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="grouping corpus sizes, comma-separated (default: 1000,10000,100000)",
    )
    parser.add_argument("--feeds", type=int, default=50, help="feeds with full-text entries")
    parser.add_argument("--teaser-feeds", type=int, default=10, help="feeds with teasers")
    parser.add_argument("--items", type=int, default=20, help="entries per feed")
    parser.add_argument(
        "--reader-articles", type=int, default=10_000, help="library size for the reader part"
    )
    parser.add_argument("--presses", type=int, default=60, help="j presses per reader phase")
    parser.add_argument("--data", help="evaluation data folder (default ../shared/data)")
    args = parser.parse_args(argv)
    unknown = [part for part in args.parts if part not in PARTS]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; choose from {', '.join(PARTS)}")
    parts = args.parts or list(PARTS)

    from bench.quality.common import data_root

    print(load_note("start"), flush=True)
    if "analysis" in parts:
        from bench.speed.analysis import report as analysis_report

        print(analysis_report(data_root(args.data), args.articles), flush=True)
    if "grouping" in parts:
        from bench.speed.grouping import report as grouping_report

        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        print(grouping_report(data_root(args.data), sizes))
    if "feeds" in parts:
        from bench.speed.feeds import report

        print(report(args.feeds, args.items, args.teaser_feeds))
    if "reader" in parts:
        from bench.speed.reader import report as reader_report

        print(reader_report(args.reader_articles, args.presses, data=args.data))
    if "partition" in parts:
        from bench.speed.analysis import partition_report

        print(partition_report(data_root(args.data), args.partition))
    print(load_note("end"))
    return 0
