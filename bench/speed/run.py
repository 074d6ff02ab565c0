"""Prints speed figures measured on this machine in one run; nothing here asserts a time.

- analysis: a corpus analysed the first time vs. read back from the analysis cache
- grouping: 5,000 articles vs. 500 (10x the articles; linear growth is 10x, all pairs 100x)
- feeds: wall time and requests of a first and a second library update against feeds
  served on 127.0.0.1 (the second is all 304 Not Modified)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.speed.corpus import synthetic_corpus

PARTS = ("analysis", "grouping", "feeds")


def _seconds(action: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def cache_ratio(articles: int) -> tuple[float, float]:
    from summarise.engine import Corpus
    from summarise.nlp import load_pipeline
    from summarise.store import AnalysisCache

    load_pipeline()  # loading the model is not part of either side of the ratio
    corpus_articles = synthetic_corpus(max(1, articles // 4), 4, seed=11)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "analyses.sqlite3"
        with AnalysisCache(path) as cache:
            cold = _seconds(lambda: Corpus(corpus_articles, cache=cache).analyse())
        with AnalysisCache(path) as cache:
            warm = _seconds(lambda: Corpus(corpus_articles, cache=cache).analyse(), repeat=3)
    return cold, warm


def grouping_ratio(small: int, large: int) -> tuple[float, float]:
    from summarise.grouping import group_articles
    from summarise.nlp import analyse_many, load_pipeline

    tellings = 5
    articles = synthetic_corpus(large // tellings, tellings, seed=5)
    pipeline = load_pipeline()
    analyses = {analysis.article_id: analysis for analysis in analyse_many(articles, pipeline)}

    def group(subset: Sequence[object]) -> Callable[[], object]:
        return lambda: group_articles(subset, analyses)  # type: ignore[arg-type]

    few = articles[:small]
    return _seconds(group(few), repeat=3), _seconds(group(articles))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "parts", nargs="*", metavar="PART", help=f"some of {', '.join(PARTS)} (default: all)"
    )
    parser.add_argument("--articles", type=int, default=200, help="articles for the cache ratio")
    parser.add_argument("--small", type=int, default=500, help="smaller grouping corpus")
    parser.add_argument("--large", type=int, default=5000, help="larger grouping corpus")
    parser.add_argument("--feeds", type=int, default=50, help="feeds with full-text entries")
    parser.add_argument("--teaser-feeds", type=int, default=10, help="feeds with teasers")
    parser.add_argument("--items", type=int, default=20, help="entries per feed")
    args = parser.parse_args(argv)
    unknown = [part for part in args.parts if part not in PARTS]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; choose from {', '.join(PARTS)}")
    parts = args.parts or list(PARTS)

    if "analysis" in parts:
        cold, warm = cache_ratio(args.articles)
        print(
            f"analysis, {args.articles} articles: first run / from cache = {cold / warm:.0f}x"
            " faster from the cache"
        )
    if "grouping" in parts:
        small, large = grouping_ratio(args.small, args.large)
        growth = args.large / args.small
        print(
            f"grouping {args.large} vs {args.small} articles: {large / small:.1f}x the time"
            f" for {growth:.0f}x the articles (linear {growth:.0f}x, all pairs {growth**2:.0f}x)"
        )
    if "feeds" in parts:
        from bench.speed.feeds import report

        print(report(args.feeds, args.items, args.teaser_feeds))
    return 0
