"""Analysis speed against spaCy's own ``nlp.pipe``, and a second run from the cache.

- first analysis: words per second of ``Corpus.analyse`` on every core (worker start-up
  and model loads included) against ``nlp.pipe`` with the same components on the same
  paragraphs, one process and ``n_process`` = every core (its model load left out); each
  side the best of two runs, taken turn about;
- everything cached: ``newsreader summarise`` run again on the same file, in its own
  process as a user runs it, in seconds per 1,000 articles, against the first run, and
  whether the language model was imported at all;
- one partition (``partition_report``): what a single worker process costs to analyse a
  partition of articles into the analysis cache: model load, time, peak memory and the
  size of the stored analyses, the figures docs/scaling.md extrapolates from.

The articles are BBC and CNN stories from ../shared/data, written to a temporary JSON
Lines file; nothing is kept.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from summarise.analysis_pool import usable_cores
from summarise.article import Article, RawDocument

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
# The corpus the goals were set on: 297 BBC and 296 CNN stories.
DEFAULT_COUNT = 593
THROUGHPUT_GOAL = 0.8
CACHED_GOAL_SECONDS = 1.0


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


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


def _turn_about(articles: Sequence[Article], processes: int) -> tuple[float, float]:
    """Best of two for each side, run ours, peer, peer, ours: load from other work that
    comes and goes then falls on both sides alike instead of on whichever ran second."""
    ours = [_corpus_seconds(articles, processes)]
    peer = [_spacy_pipe_seconds(articles, processes) for _ in range(2)]
    ours.append(_corpus_seconds(articles, processes))
    return min(ours), min(peer)


def throughput_report(articles: Sequence[Article]) -> list[str]:
    cores = usable_cores()
    words = _words(articles)
    ours_one, peer_one = _turn_about(articles, 1)
    ours_all, peer_all = _turn_about(articles, cores)
    rate = words / 1000
    share = peer_all / ours_all
    return [
        f"first analysis, {len(articles)} articles, {words:,} words:",
        f"  one process: ours {rate / ours_one:.1f}k words/s, spaCy nlp.pipe"
        f" {rate / peer_one:.1f}k: {peer_one / ours_one:.2f} of spaCy's throughput",
        f"  {cores} cores: ours {rate / ours_all:.1f}k words/s (worker start-up included),"
        f" spaCy nlp.pipe n_process={cores} {rate / peer_all:.1f}k:"
        f" {share:.2f} of spaCy's throughput",
        f"  goal >= {THROUGHPUT_GOAL} of spaCy's throughput on all cores:"
        f" {verdict(share >= THROUGHPUT_GOAL)}",
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
        f"`summarise` again, everything cached, {len(stories)} articles:",
        f"  {seconds:.2f} s = {per_thousand:.2f} s per 1,000 articles;"
        f" {first / seconds:.0f}x faster than the first run ({first:.1f} s);"
        f" a bare Python start takes {bare:.2f} s",
        f"  goal <= {CACHED_GOAL_SECONDS:.0f} s per 1,000 articles:"
        f" {verdict(per_thousand <= CACHED_GOAL_SECONDS)}",
        f"  goal, language model not loaded ({'imported' if imported else 'never imported'}):"
        f" {verdict(not imported)}",
    ]


def _timed(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True)
    return time.perf_counter() - started


def report(data: Path, count: int = DEFAULT_COUNT) -> str:
    stories = news_stories(data, count)
    lines = throughput_report(as_articles(stories))
    lines += cached_report(stories)
    return "\n".join(lines)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_mib() -> float:
    """This process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _analyse_partition(data: str, count: int, folder: str) -> dict[str, float]:
    """Runs in a fresh worker process, as a cluster worker would: structure, load the
    model, analyse on one core into an analysis cache of its own."""
    from summarise.engine import Corpus
    from summarise.store import AnalysisCache, analysis_to_json

    started = time.perf_counter()
    articles = as_articles(news_stories(Path(data), count))
    structured = time.perf_counter()
    path = Path(folder) / "analyses.sqlite3"
    with AnalysisCache(path) as cache, Corpus(articles, cache=cache, cores=1) as corpus:
        corpus.pipeline  # noqa: B018 - the load is timed apart from the analysis
        loaded = time.perf_counter()
        after_load = _peak_mib()
        # CPU time as well as wall time: on a busy machine only the former says what
        # the partition costs.
        cpu = time.process_time()
        corpus.analyse()
        analysed = time.perf_counter()
        cpu = time.process_time() - cpu
        payload = sum(len(analysis_to_json(corpus.analysis(a)).encode()) for a in articles)
    # What holding the analyses costs: a second corpus reads them all back from the cache.
    with AnalysisCache(path) as cache:
        before_read = _current_mib()
        held = Corpus(articles, cache=cache, cores=1)
        held.analyse()
        held_mib = _current_mib() - before_read
    return {
        "articles": len(articles),
        "words": _words(articles),
        "text_bytes": sum(len(a.body.encode()) for a in articles),
        "structure_s": structured - started,
        "load_s": loaded - structured,
        "analyse_s": analysed - loaded,
        "analyse_cpu_s": cpu,
        "rss_after_load_mib": after_load,
        "peak_rss_mib": _peak_mib(),
        "stored_bytes": sum(f.stat().st_size for f in Path(folder).iterdir() if f.is_file()),
        "payload_bytes": payload,
        "held_mib": held_mib,
    }


def partition_figures(data: Path, count: int = 1000) -> dict[str, float]:
    """One partition analysed by one spawned worker process, its own peak memory apart
    from this process's."""
    with tempfile.TemporaryDirectory() as folder:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as worker:
            return worker.submit(_analyse_partition, str(data), count, folder).result()


def partition_report(data: Path, count: int = 1000) -> str:
    f = partition_figures(data, count)
    articles = f["articles"]
    per_article_kib = f["stored_bytes"] / articles / 1024
    return "\n".join(
        [
            f"one partition, {articles:.0f} articles ({f['words']:,.0f} words,"
            f" {f['text_bytes'] / 2**20:.1f} MiB of text), one worker process, one core:",
            f"  structure {f['structure_s']:.1f} s, model load {f['load_s']:.1f} s,"
            f" analysis {f['analyse_s']:.1f} s, {f['analyse_cpu_s']:.1f} s of CPU"
            f" ({articles / f['analyse_s']:.1f} articles/s,"
            f" {f['words'] / f['analyse_s'] / 1000:.1f}k words/s)",
            f"  peak RSS {f['peak_rss_mib']:.0f} MiB ({f['rss_after_load_mib']:.0f} MiB"
            " once the model was loaded)",
            f"  analysis cache on disk {f['stored_bytes'] / 2**20:.2f} MiB ="
            f" {per_article_kib:.1f} KiB per article"
            f" (the analyses' JSON alone {f['payload_bytes'] / articles / 1024:.1f} KiB)",
            f"  analyses held in memory once read back: {f['held_mib']:.1f} MiB ="
            f" {f['held_mib'] * 1024 / articles:.1f} KiB per article, so a corpus holding"
            f" every analysis of 100,000 articles needs about"
            f" {f['held_mib'] * 100_000 / articles / 1024:.1f} GiB for them (extrapolated)",
        ]
    )
