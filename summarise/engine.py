"""The one facade the command line, the app and the benchmarks use.

A Corpus holds the loaded articles and hands out analyses (from the cache when the same
text was analysed before with the same pipeline), summaries and groups.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from summarise.article import Analysis, Article, Group, Summary
from summarise.grouping import DEFAULT_THRESHOLD, group_articles
from summarise.ingest.feeds import Library
from summarise.nlp import Pipeline, analyse_many, load_pipeline
from summarise.sources import LoadProblem, load_articles, structure_documents
from summarise.store import AnalysisCache
from summarise.summarisers import DEFAULT_ALGORITHM, summarise

ProgressCallback = Callable[[int, int], None]

# Summaries kept for asking again (the reader asks on every redraw); at this many the
# store starts afresh, which is plenty for a session's reading at a few lengths.
SUMMARY_CACHE_SIZE = 2000


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
    ) -> None:
        self.articles: list[Article] = list(articles)
        self.problems: list[LoadProblem] = list(problems)
        self.by_key: dict[str, Article] = {article.key: article for article in self.articles}
        self._model = model or None
        self._cache = cache
        self._pipeline: Pipeline | None = None
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
        articles = load_articles(paths, problems)
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
        articles = structure_documents(library.documents(), problems)
        return cls(articles, problems, model=model, cache=cache)

    def replace_articles(self, articles: Sequence[Article]) -> None:
        """The corpus now holds ``articles`` (analyses already made are kept).

        ``by_key`` is a new mapping, so one taken before still says what was held before.
        """
        self.articles = list(articles)
        self.by_key = {article.key: article for article in self.articles}

    @property
    def pipeline(self) -> Pipeline:
        with self._lock:
            if self._pipeline is None:
                self._pipeline = load_pipeline(self._model)
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
        """Analyse the given articles (default: all), reusing cached results."""
        wanted = list(self.articles if articles is None else articles)
        total = len(wanted)
        with self._lock:
            pipeline = self.pipeline
            missing: list[Article] = []
            done = 0
            for article in wanted:
                if article.id in self._analyses:
                    done += 1
                    continue
                cached = self._cache.get(article.id, pipeline.fingerprint) if self._cache else None
                if cached is not None:
                    self._analyses[article.id] = cached
                    done += 1
                else:
                    missing.append(article)
            if progress is not None:
                progress(done, total)
            for analysis in analyse_many(missing, pipeline):
                self._analyses[analysis.article_id] = analysis
                if self._cache is not None:
                    self._cache.put(analysis)
                done += 1
                if progress is not None:
                    progress(done, total)

    def summary(
        self,
        article: Article,
        algorithm: str = DEFAULT_ALGORITHM,
        sentences: int | None = None,
        ratio: float | None = None,
    ) -> Summary:
        """The article's summary (analysed first if need be); made once per length."""
        key = (article.id, algorithm, sentences, ratio)
        found = self._summaries.get(key)
        if found is None:
            found = summarise(article, self.analysis(article), algorithm, sentences, ratio)
            if len(self._summaries) > SUMMARY_CACHE_SIZE:
                self._summaries.clear()
            self._summaries[key] = found
        return found

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
        return group_articles(self.articles, self.analyses_by_id(), threshold)
