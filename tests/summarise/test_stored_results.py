"""Nothing worked out twice: a second run reads articles, analyses, summaries and entity
lists back from the cache (without loading the language model), and a changed file or a
different request is never answered from a stale record."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from summarise.analysis_pool import POOL_MIN_CHARS, AnalysisPool, worth_a_pool
from summarise.article import Analysis, Article, Block
from summarise.engine import Corpus
from summarise.nlp import ModelNotFound, Pipeline, analyse_many, resolve_model
from summarise.store import AnalysisCache
from summarise.summarisers import summary_request

FERRY = (
    "Ferry strike halts crossings to Kelmoor\n\n"
    "Crews of the Kelmoor ferry walked out on Friday, stranding hundreds of travellers "
    "on the quay at Dunhallow as the morning sailings were cancelled.\n\n"
    "The Harbour Workers Union said its members had not been paid for two months and "
    "would stay out until the operator, Tidewater Lines, settled the arrears.\n\n"
    "Tidewater Lines said it was talking to the union and hoped crossings would resume "
    "by Sunday, when the island's annual fair begins.\n\n"
    "Shops on Kelmoor said deliveries of fresh food had already been cut to one a week.\n"
)
ORCHARD = (
    "Late frost ruins orchards in the Vell valley\n\n"
    "A late frost on Tuesday night destroyed most of the apple blossom in the Vell "
    "valley, growers said, weeks before the harvest was due to begin.\n\n"
    "Marta Ostrand, who runs the valley's largest cooperative, said members faced "
    "losses of more than half their crop this year.\n\n"
    "The regional council promised emergency grants to growers who lost their blossom.\n"
)

# Runs the command line in a fresh interpreter and says on its last line whether the
# language model's library was imported.
_PROBE = """
import runpy, sys
sys.argv = ["newsreader", *sys.argv[1:]]
try:
    runpy.run_module("tui.cli", run_name="__main__")
except SystemExit:
    pass
finally:
    sys.stdout.flush()
    sys.stderr.write("\\nspacy imported: " + str("spacy" in sys.modules) + "\\n")
"""


def _run(tmp_path: Path, *argv: str) -> tuple[str, bool]:
    environment = {
        **os.environ,
        "NEWSREADER_CONFIG_DIR": str(tmp_path / "config"),
        "NEWSREADER_CACHE_DIR": str(tmp_path / "cache"),
        "NEWSREADER_DATA_DIR": str(tmp_path / "data"),
    }
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout, finished.stderr.rstrip().endswith("spacy imported: True")


def test_a_second_summarise_reads_everything_back_without_the_model(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (folder / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    first, first_imported = _run(tmp_path, "summarise", str(folder))
    again, again_imported = _run(tmp_path, "summarise", str(folder))
    assert first_imported, "the first run has to analyse, so it loads the model"
    assert not again_imported
    assert again == first
    assert "Tidewater Lines" in first

    # An edited file is structured, analysed and summarised afresh.
    edited = ORCHARD.replace("Marta Ostrand", "Jonas Berrow")
    (folder / "orchard.txt").write_text(edited, encoding="utf-8")
    changed, changed_imported = _run(tmp_path, "summarise", str(folder))
    assert changed_imported
    assert "Jonas Berrow" in changed and "Marta Ostrand" not in changed


def _story(key: str, text: str) -> Article:
    title, *paragraphs = [part for part in text.split("\n\n") if part.strip()]
    blocks = (Block("title", title), *(Block("body", p.strip()) for p in paragraphs))
    return Article(key, title, blocks, "Fictional Courier")


def test_summaries_of_each_length_are_kept_apart(tmp_path: Path, pipeline: Pipeline) -> None:
    path = tmp_path / "cache.sqlite3"
    ferry = _story("ferry", FERRY)
    with AnalysisCache(path) as cache:
        first = Corpus([ferry], cache=cache)
        one = first.summary(ferry, "lead", 1)
        two = first.summary(ferry, "lead", 2)
    with AnalysisCache(path) as cache:
        again = Corpus([ferry], cache=cache)
        assert again.summary(ferry, "lead", 2) == two
        assert again.summary(ferry, "lead", 1) == one
        assert len(one.sentence_ids) == 1 and len(two.sentence_ids) == 2


def test_a_damaged_stored_summary_is_made_again(tmp_path: Path, pipeline: Pipeline) -> None:
    path = tmp_path / "cache.sqlite3"
    ferry = _story("ferry", FERRY)
    with AnalysisCache(path) as cache:
        made = Corpus([ferry], cache=cache).summary(ferry, "news", 2)
        request = summary_request("news", 2, None)
        fingerprint = resolve_model().fingerprint
        assert cache.get_derived([ferry.id], fingerprint, request) == {
            ferry.id: list(made.sentence_ids)
        }
        cache.put_derived([(ferry.id, [0, 999])], fingerprint, request)
    with AnalysisCache(path) as cache:
        assert Corpus([ferry], cache=cache).summary(ferry, "news", 2) == made


def test_the_model_is_known_without_loading_it(pipeline: Pipeline) -> None:
    choice = resolve_model()
    assert choice.fingerprint == pipeline.fingerprint
    assert choice.has_entities == pipeline.has_entities


def _many(count: int) -> list[Article]:
    stories = []
    for number in range(count):
        text = FERRY if number % 2 else ORCHARD
        # Each copy differs, so each is its own article to analyse.
        stories.append(_story(f"story-{number}", text.replace("Friday", f"day {number}")))
    return stories


def test_a_large_batch_shared_between_processes_matches_one_process(pipeline: Pipeline) -> None:
    articles = _many(400)
    assert worth_a_pool(articles, cores=2)
    assert sum(len(a.body) for a in articles) >= POOL_MIN_CHARS
    with Corpus(articles, cores=2) as shared:
        shared.analyse()
        in_processes = [shared.analysis(article) for article in articles]
    alone = Corpus(articles, cores=1)
    alone.analyse()
    assert in_processes == [alone.analysis(article) for article in articles]


def test_a_small_batch_is_not_worth_starting_workers() -> None:
    assert not worth_a_pool(_many(3), cores=2)
    assert not worth_a_pool(_many(400), cores=1)


def test_a_missing_model_named_by_the_user_is_reported_from_the_workers_too() -> None:
    with Corpus(_many(400), model="no_such_model_here", cores=2) as corpus:
        with pytest.raises(ModelNotFound):
            corpus.model  # noqa: B018
        with pytest.raises(ModelNotFound):
            corpus.analyse()


def test_articles_structured_on_the_first_run_are_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarise.sources

    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    path = tmp_path / "cache.sqlite3"
    with AnalysisCache(path) as cache:
        first = Corpus.from_paths([folder], cache=cache).articles

    def refuse(document: object) -> object:
        raise AssertionError("structured again")

    monkeypatch.setattr(summarise.sources, "structure_document", refuse)
    with AnalysisCache(path) as cache:
        again = Corpus.from_paths([folder], cache=cache).articles
    assert again == first and again[0].title == "Ferry strike halts crossings to Kelmoor"


def _distinct(count: int) -> list[Article]:
    return [_story(f"ferry-{n}", FERRY.replace("Friday", f"day {n}")) for n in range(count)]


class _WorkersHere(AnalysisPool):
    """Worker processes stood in for by this process's loaded model."""

    def __init__(self, pipeline: Pipeline, dies_after: int | None = None) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.dies_after = dies_after
        self.asked: list[str] = []

    def analyse(self, articles: Sequence[Article]) -> Iterator[Analysis]:
        self.asked.extend(article.id for article in articles)
        for number, analysis in enumerate(analyse_many(list(articles), self.pipeline)):
            if number == self.dies_after:
                raise BrokenProcessPool("a worker was killed")
            yield analysis


def test_analyses_made_elsewhere_are_filed_and_read_back_when_asked(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    articles = _distinct(4)
    with AnalysisCache(tmp_path / "cache.sqlite") as cache:
        corpus = Corpus(articles, cache=cache)
        corpus.analyse(articles[:1])
        workers = _WorkersHere(pipeline)
        corpus.store_analyses(articles, workers)
        # What the corpus already held is not made again; the rest waits in the cache.
        assert workers.asked == [article.id for article in articles[1:]]
        assert [corpus.cached_analysis(article) for article in articles[1:]] == [None] * 3
        stored = cache.get_many([article.id for article in articles], corpus.fingerprint)
        assert len(stored) == 4
        corpus.analyse(articles)
        alone = Corpus(articles)
        assert [corpus.analysis(a) for a in articles] == [alone.analysis(a) for a in articles]


def test_a_worker_that_dies_loses_none_of_the_analyses(tmp_path: Path, pipeline: Pipeline) -> None:
    articles = _distinct(5)
    with AnalysisCache(tmp_path / "cache.sqlite") as cache:
        corpus = Corpus(articles, cache=cache)
        corpus.store_analyses(articles, _WorkersHere(pipeline, dies_after=2))
        stored = cache.get_many([article.id for article in articles], corpus.fingerprint)
        assert sorted(stored) == sorted(article.id for article in articles)
