"""Heavy work for the app's workers, run in a separate process when the corpus is large.

spaCy and the text structuring spend long stretches in compiled code that keeps Python's
global lock, so in a thread of the app's own process they starve the event loop (10 key
presses took 22 s instead of 2 s on 600 articles while analysis ran). A child process
keeps the screen responsive; small corpora skip the start-up cost and run in the thread.
This module never imports textual, so the child process stays light.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from summarise.article import Analysis, Article, Group, RawDocument
from summarise.grouping import group_articles
from summarise.nlp import analyse_many, load_pipeline
from summarise.sources import LoadProblem
from summarise.structure import build_article

T = TypeVar("T")


def build_articles(documents: Sequence[RawDocument]) -> tuple[list[Article], list[LoadProblem]]:
    """Structure documents as ``sources.load_articles`` does (de-duplication is the caller's)."""
    articles: list[Article] = []
    problems: list[LoadProblem] = []
    for document in documents:
        try:
            article = build_article(document)
        except (ValueError, IndexError, RecursionError) as error:
            problems.append(LoadProblem(document.key, f"cannot structure text: {error}"))
            continue
        if not article.body.strip():
            problems.append(LoadProblem(document.key, "no article text found"))
            continue
        articles.append(article)
    return articles, problems


def analyse_articles(articles: Sequence[Article], model: str | None) -> list[Analysis]:
    return list(analyse_many(articles, load_pipeline(model)))


def group_corpus(
    articles: Sequence[Article], analyses: Mapping[str, Analysis], threshold: float
) -> list[Group]:
    return group_articles(articles, analyses, threshold)


class Offload:
    """Runs a function in the child process (started on first use), or inline."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    def run(self, use_process: bool, function: Callable[..., T], *args: Any) -> T:
        if not use_process or self._closed:
            return function(*args)
        if self._executor is None:
            # "spawn": forking a process that already runs the app's threads is unsafe.
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=context)
        future: Future[T] = self._executor.submit(function, *args)
        return future.result()

    def close(self) -> None:
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
