"""Analysis speed against spaCy's own ``nlp.pipe``, and a second run from the cache.

- first analysis: words per second of ``Corpus.analyse`` on every core (worker start-up
  and model loads included) against ``nlp.pipe`` with the same components on the same
  paragraphs, one process and ``n_process`` = every core (its model load left out);
- everything cached: ``newsreader summarise`` run again on the same file, in its own
  process as a user runs it, in seconds per 1,000 articles, against the first run, and
  whether the language model was imported at all.

The articles are BBC and CNN stories from ../shared/data, written to a temporary JSON
Lines file; nothing is kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from summarise.analysis_pool import usable_cores
from summarise.article import Article, RawDocument

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@dataclass(frozen=True)
class Story:
    title: str
    text: str


def news_stories(data: Path, count: int) -> list[Story]:
    """About half BBC, half CNN: the mix a reader following two outlets gets."""
    stories: list[Story] = []
    with (data / "bbc-news-summary" / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if len(stories) >= (count + 1) // 2:
                break
            record = json.loads(line)
            stories.append(Story(record["title"], record["body"]))
    with (data / "cnn" / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if len(stories) >= count:
                break
            stories.append(Story("", json.loads(line)["text"]))
    return stories


def as_articles(stories: Sequence[Story]) -> list[Article]:
    from summarise.sources import structure_document

    articles = []
    for number, story in enumerate(stories):
        document = RawDocument(f"story-{number}", story.text, title=story.title, origin="json")
        article = structure_document(document)
        if isinstance(article, Article):
            articles.append(article)
    return articles


def _words(articles: Sequence[Article]) -> int:
    return sum(len(article.body.split()) for article in articles)


def _spacy_pipe_seconds(articles: Sequence[Article], processes: int) -> float:
    """spaCy's own pipe over the same paragraphs with the same components."""
    from summarise.nlp import load_pipeline

    nlp = load_pipeline().nlp
    texts = [
        article.body[start:end] for article in articles for start, end in article.paragraph_spans
    ]
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=64, n_process=processes):
        pass
    return time.perf_counter() - started


def _corpus_seconds(articles: Sequence[Article], cores: int) -> float:
    from summarise.engine import Corpus

    started = time.perf_counter()
    with Corpus(articles, cores=cores) as corpus:
        corpus.analyse()
    return time.perf_counter() - started


def throughput_report(articles: Sequence[Article]) -> list[str]:
    cores = usable_cores()
    words = _words(articles)
    ours_one = _corpus_seconds(articles, 1)
    peer_one = _spacy_pipe_seconds(articles, 1)
    ours_all = _corpus_seconds(articles, cores)
    peer_all = _spacy_pipe_seconds(articles, cores)
    rate = words / 1000
    return [
        f"first analysis, {len(articles)} articles, {words:,} words:",
        f"  one process: ours {rate / ours_one:.1f}k words/s, spaCy nlp.pipe"
        f" {rate / peer_one:.1f}k: {peer_one / ours_one:.2f} of spaCy's throughput",
        f"  {cores} cores: ours {rate / ours_all:.1f}k words/s (worker start-up included),"
        f" spaCy nlp.pipe n_process={cores} {rate / peer_all:.1f}k:"
        f" {peer_all / ours_all:.2f} of spaCy's throughput (goal >= 0.8)",
    ]


_PROBE = """
import runpy, sys, time
started = time.perf_counter()
sys.argv = ["newsreader", "summarise", sys.argv[1]]
try:
    runpy.run_module("tui.cli", run_name="__main__")
except SystemExit:
    pass
sys.stderr.write(f"\\n@@ {time.perf_counter() - started:.4f} {'spacy' in sys.modules}\\n")
"""


def _summarise_run(path: Path, environment: dict[str, str]) -> tuple[float, bool]:
    """Wall seconds of one `newsreader summarise` process, and whether it imported spaCy."""
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    marker = [line for line in finished.stderr.splitlines() if line.startswith("@@ ")][-1]
    return seconds, marker.split()[2] == "True"


def cached_report(stories: Sequence[Story]) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        path = base / "stories.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for story in stories:
                record = {"text": story.text, **({"title": story.title} if story.title else {})}
                out.write(json.dumps(record) + "\n")
        environment = {
            **os.environ,
            "XDG_CACHE_HOME": str(base / "cache"),
            "XDG_DATA_HOME": str(base / "data"),
            "XDG_CONFIG_HOME": str(base / "config"),
        }
        first, _ = _summarise_run(path, environment)
        again = [_summarise_run(path, environment) for _ in range(3)]
        seconds = min(run[0] for run in again)
        imported = any(run[1] for run in again)
        bare = min(_timed([sys.executable, "-c", "pass"], environment) for _ in range(3))
    per_thousand = seconds * 1000 / len(stories)
    return [
        f"`summarise` again, everything cached, {len(stories)} articles:"
        f" {seconds:.2f} s = {per_thousand:.2f} s per 1,000 articles (goal <= 1 s);"
        f" {first / seconds:.0f}x faster than the first run ({first:.1f} s);"
        f" language model {'imported' if imported else 'never imported'};"
        f" a bare Python start takes {bare:.2f} s",
    ]


def _timed(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True)
    return time.perf_counter() - started


def report(data: Path, count: int) -> str:
    stories = news_stories(data, count)
    lines = throughput_report(as_articles(stories))
    lines += cached_report(stories)
    return "\n".join(lines)
