"""The one facade the command line, the app and the benchmarks use.

A Corpus holds the loaded articles and hands out analyses (from the cache when the same
text was analysed before with the same pipeline), summaries and groups.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import NamedTuple, Self

from summarise.analysis_pool import AnalysisPool, worth_a_pool
from summarise.article import Analysis, Article, EntityCount, Group, Summary
from summarise.entities import entity_counts, entity_request
from summarise.group_settings import DEFAULT_THRESHOLD
from summarise.ingest.feeds import Library
from summarise.nlp import ModelChoice, Pipeline, analyse_many, load_pipeline, resolve_model
from summarise.sources import LoadProblem, load_articles, structure_documents
from summarise.store import AnalysisCache
from summarise.summarisers import DEFAULT_ALGORITHM, summarise, summary_request

ProgressCallback = Callable[[int, int], None]

# Summaries kept for asking again (the reader asks on every redraw); at this many the
# store starts afresh, which is plenty for a session's reading at a few lengths.
SUMMARY_CACHE_SIZE = 2000
# Analyses are written to the cache this many at a time: one transaction each.
CACHE_WRITE_BATCH = 64


class SummaryState(NamedTuple):
    """What can be shown of an article's summary now: its analysis and summary when they
    are known, else why not ("analysing", or the summariser's failure)."""

    analysis: Analysis | None
    summary: Summary | None
    reason: str


class Corpus:
    """Articles plus lazily computed, cached analyses and summaries."""

    def __init__(
        self,
        articles: Sequence[Article],
        problems: Sequence[LoadProblem] = (),
        *,
        model: str | None = None,
        cache: AnalysisCache | None = None,
        cores: int | None = None,
    ) -> None:
        """``cores``: how many processes may analyse at once (default: every core)."""
        self.articles: list[Article] = list(articles)
        self.problems: list[LoadProblem] = list(problems)
        self.by_key: dict[str, Article] = {article.key: article for article in self.articles}
        self._model = model or None
        self._cache = cache
        self._pipeline: Pipeline | None = None
        self._choice: ModelChoice | None = None
        self._cores = cores
        self._pool: AnalysisPool | None = None
        self._analyses: dict[str, Analysis] = {}
        # key: (article id, algorithm, sentences, ratio)
        self._summaries: dict[tuple[str, str, int | None, float | None], Summary] = {}
        # spaCy pipelines are not safe to share between threads; the app analyses in a
        # worker thread while the UI thread may ask for the selected article.
        self._lock = threading.RLock()

    @classmethod
    def from_paths(
        cls,
        paths: Iterable[str | Path],
        *,
        model: str | None = None,
        cache: AnalysisCache | None = None,
    ) -> Corpus:
        problems: list[LoadProblem] = []
        articles = load_articles(paths, problems, cache)
        return cls(articles, problems, model=model, cache=cache)

    @classmethod
    def from_library(
        cls,
        library: Library,
        *,
        model: str | None = None,
        cache: AnalysisCache | None = None,
    ) -> Corpus:
        """Every story stored in the user's library."""
        problems: list[LoadProblem] = []
        articles = structure_documents(library.documents(), problems, cache)
        return cls(articles, problems, model=model, cache=cache)

    def replace_articles(self, articles: Sequence[Article]) -> None:
        """The corpus now holds ``articles`` (analyses already made are kept).

        ``by_key`` is a new mapping, so one taken before still says what was held before.
        """
        self.articles = list(articles)
        self.by_key = {article.key: article for article in self.articles}

    @property
    def model(self) -> ModelChoice:
        """The model analyses come from, known without loading it; ModelNotFound if a
        model was named that is not installed."""
        with self._lock:
            if self._choice is None:
                self._choice = resolve_model(self._model)
            return self._choice

    @property
    def fingerprint(self) -> str:
        return self.model.fingerprint

    @property
    def pipeline(self) -> Pipeline:
        """The loaded model: seconds to load, so only asked for when an analysis is missing."""
        with self._lock:
            if self._pipeline is None:
                self._pipeline = load_pipeline(self._model)
                # What was loaded is what analyses are filed under, should it differ from
                # what the metadata promised (a broken package, a fallback).
                self._choice = ModelChoice(
                    self._pipeline.name, self._pipeline.version, self._pipeline.has_entities
                )
            return self._pipeline

    def cached_analysis(self, article: Article) -> Analysis | None:
        """The analysis if it is already known, without running the pipeline."""
        return self._analyses.get(article.id)

    def analysis(self, article: Article) -> Analysis:
        found = self._analyses.get(article.id)
        if found is not None:
            return found
        self.analyse([article])
        return self._analyses[article.id]

    def analyse(
        self,
        articles: Sequence[Article] | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Analyse the given articles (default: all), reusing cached results; the model
        is loaded only if one is missing, and a large batch is shared between cores."""
        wanted = list(self.articles if articles is None else articles)
        total = len(wanted)
        with self._lock:
            missing = [article for article in wanted if article.id not in self._analyses]
            if missing and self._cache is not None:
                found = self._cache.get_many([a.id for a in missing], self.fingerprint)
                self._analyses.update(found)
                missing = [article for article in missing if article.id not in found]
            missing = list({article.id: article for article in missing}.values())
            done = total - len(missing)
            if progress is not None:
                progress(done, total)
            for analysis in self._filed(self._analysed(missing)):
                self._analyses[analysis.article_id] = analysis
                done += 1
                if progress is not None:
                    progress(min(done, total), total)

    def store_analyses(self, articles: Sequence[Article], pool: AnalysisPool) -> None:
        """File in the cache the analyses of ``articles`` it lacks, made by ``pool``.

        The corpus is not locked while the workers run, so a reader can keep asking it
        for what it holds; ``analyse`` then reads the new analyses back in milliseconds.
        Without a cache this is ``analyse``.
        """
        if self._cache is None:
            self.analyse(articles)
            return
        unknown = {a.id: a for a in articles if a.id not in self._analyses}
        stored = self._cache.get_many(list(unknown), self.fingerprint)
        missing = [article for key, article in unknown.items() if key not in stored]
        for _ in self._filed(self._on_workers(missing, pool)):
            pass

    def forget(self, articles: Sequence[Article]) -> None:
        """Let go of the analyses and summaries of ``articles`` held in memory; a corpus
        with a cache reads them back if they are asked for again, one without makes them
        again. A long batch run holds only the window of articles it is working on."""
        ids = {article.id for article in articles}
        with self._lock:
            for article_id in ids:
                self._analyses.pop(article_id, None)
            self._summaries = {key: s for key, s in self._summaries.items() if key[0] not in ids}

    def _filed(self, analyses: Iterable[Analysis]) -> Iterator[Analysis]:
        """Each analysis as it comes, written to the cache a batch at a time."""
        unsaved: list[Analysis] = []
        for analysis in analyses:
            unsaved.append(analysis)
            if len(unsaved) >= CACHE_WRITE_BATCH:
                self._save(unsaved)
            yield analysis
        self._save(unsaved)

    def _save(self, analyses: list[Analysis]) -> None:
        if self._cache is not None and analyses:
            self._cache.put_many(analyses)
        analyses.clear()

    def _analysed(self, articles: list[Article]) -> Iterator[Analysis]:
        if not articles:
            return
        if worth_a_pool(articles, self._cores):
            if self._pool is None:
                self._pool = AnalysisPool(self._model, self._cores)
            yield from self._on_workers(articles, self._pool)
        else:
            yield from analyse_many(articles, self.pipeline)

    def _on_workers(self, articles: list[Article], pool: AnalysisPool) -> Iterator[Analysis]:
        done: set[str] = set()
        try:
            for analysis in pool.analyse(articles):
                done.add(analysis.article_id)
                yield analysis
            return
        except (BrokenProcessPool, OSError):
            # A worker that died (out of memory, killed) must not lose the run: what is
            # left is analysed here, and the pool starts afresh when next asked.
            pool.close()
        with self._lock:
            yield from analyse_many([a for a in articles if a.id not in done], self.pipeline)

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def summary(
        self,
        article: Article,
        algorithm: str = DEFAULT_ALGORITHM,
        sentences: int | None = None,
        ratio: float | None = None,
    ) -> Summary:
        """The article's summary (analysed first if need be); made once per length."""
        return self.summaries([article], algorithm, sentences, ratio)[0]

    def summaries(
        self,
        articles: Sequence[Article],
        algorithm: str = DEFAULT_ALGORITHM,
        sentences: int | None = None,
        ratio: float | None = None,
    ) -> list[Summary]:
        """Each article's summary, from memory or the cache when it was made before."""
        keys = [(article.id, algorithm, sentences, ratio) for article in articles]
        missing = [a for a, key in zip(articles, keys, strict=True) if key not in self._summaries]
        if missing:
            self.analyse(missing)
            if len(self._summaries) + len(missing) > SUMMARY_CACHE_SIZE:
                self._summaries.clear()
            self._fill_summaries(missing, algorithm, sentences, ratio)
        return [self._summaries[key] for key in keys]

    def _fill_summaries(
        self,
        articles: Sequence[Article],
        algorithm: str,
        sentences: int | None,
        ratio: float | None,
    ) -> None:
        request = summary_request(algorithm, sentences, ratio)
        stored: dict[str, object] = {}
        if self._cache is not None:
            stored = self._cache.get_derived([a.id for a in articles], self.fingerprint, request)
        made: list[tuple[str, list[int]]] = []
        for article in articles:
            analysis = self._analyses[article.id]
            summary = _stored_summary(algorithm, stored.get(article.id), analysis)
            if summary is None:
                summary = summarise(article, analysis, algorithm, sentences, ratio)
                made.append((article.id, list(summary.sentence_ids)))
            self._summaries[(article.id, algorithm, sentences, ratio)] = summary
        if made and self._cache is not None:
            self._cache.put_derived(made, self.fingerprint, request)

    def entities(self, articles: Sequence[Article]) -> list[list[EntityCount]]:
        """Each article's named things, merged and counted (see ``entity_counts``),
        from the cache when they were counted before."""
        self.analyse(articles)
        request = entity_request()
        stored: dict[str, object] = {}
        if self._cache is not None:
            stored = self._cache.get_derived([a.id for a in articles], self.fingerprint, request)
        made: list[tuple[str, list[list[object]]]] = []
        result = []
        for article in articles:
            counts = _stored_entities(stored.get(article.id))
            if counts is None:
                counts = entity_counts(self._analyses[article.id])
                made.append((article.id, [[c.text, c.label, c.count] for c in counts]))
            result.append(counts)
        if made and self._cache is not None:
            self._cache.put_derived(made, self.fingerprint, request)
        return result

    def summary_if_analysed(
        self, article: Article, algorithm: str = DEFAULT_ALGORITHM, sentences: int | None = None
    ) -> SummaryState:
        """The article's summary if its analysis is already known; never runs the pipeline,
        so the screen never waits for it. A summariser that fails is a reason, not an error:
        one bad summariser must not take the reader down."""
        analysis = self.cached_analysis(article)
        if analysis is None:
            return SummaryState(None, None, "analysing")
        try:
            summary = self.summary(article, algorithm, sentences)
        except Exception as problem:
            return SummaryState(analysis, None, f"{algorithm} failed: {problem}")
        return SummaryState(analysis, summary, "")

    def analyses_by_id(self) -> dict[str, Analysis]:
        self.analyse()
        return dict(self._analyses)

    def groups(self, threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
        # Imported on first use: grouping loads numpy and rapidfuzz, which a reader
        # showing its first screen does not need.
        from summarise.grouping import group_articles

        return group_articles(self.articles, self.analyses_by_id(), threshold)


def _stored_summary(algorithm: str, stored: object, analysis: Analysis) -> Summary | None:
    """The stored sentence ids as a summary, if they are a list of this analysis's."""
    if not isinstance(stored, list):
        return None
    count = len(analysis.sentences)
    if not all(isinstance(i, int) and 0 <= i < count for i in stored):
        return None
    return Summary(algorithm, tuple(stored))


def _stored_entities(stored: object) -> list[EntityCount] | None:
    if not isinstance(stored, list):
        return None
    try:
        return [EntityCount(str(text), str(label), int(count)) for text, label, count in stored]
    except (TypeError, ValueError):
        return None
