"""Heavy work for the app's workers, run in a separate process when the corpus is large.

spaCy and the text structuring spend long stretches in compiled code that keeps Python's
global lock, so in a thread of the app's own process they starve the event loop (10 key
presses took 22 s instead of 2 s on 600 articles while analysis ran). A child process
keeps the screen responsive; small corpora skip the start-up cost and run in the thread.
This module never imports textual, so the child process stays light.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from summarise.article import Analysis, Article, Group, RawDocument
from summarise.sources import LoadProblem, structure_document

T = TypeVar("T")

# Below this many articles a child process costs more to start than it saves.
PROCESS_MIN_ARTICLES = 60


def build_articles(documents: Sequence[RawDocument]) -> tuple[list[Article], list[LoadProblem]]:
    """Structure documents as ``sources.load_articles`` does (de-duplication is the caller's)."""
    articles: list[Article] = []
    problems: list[LoadProblem] = []
    for document in documents:
        article = structure_document(document)
        if isinstance(article, LoadProblem):
            problems.append(article)
        else:
            articles.append(article)
    return articles, problems


def group_corpus(
    articles: Sequence[Article], analyses: Mapping[str, Analysis], threshold: float
) -> list[Group]:
    # Imported here, off the first screen's path: grouping loads numpy and rapidfuzz.
    from summarise.grouping import group_articles

    return group_articles(articles, analyses, threshold)


@contextlib.contextmanager
def _real_standard_streams() -> Iterator[None]:
    """The terminal's own stdout/stderr while a child starts.

    The app replaces them with objects that have no file descriptor, and starting a
    process passes stderr's descriptor on.
    """
    saved = sys.stdout, sys.stderr
    try:
        if sys.__stdout__ is not None and sys.__stderr__ is not None:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        yield
    finally:
        sys.stdout, sys.stderr = saved


def start_resource_tracker() -> None:
    """Start multiprocessing's helper process now, with the terminal's own streams.

    Every pool of worker processes shares it, and it is handed stderr's descriptor when
    it starts: from inside the app (whose stderr has none) that start fails.
    """
    from multiprocessing import resource_tracker

    with _real_standard_streams():
        resource_tracker.ensure_running()


class Offload:
    """Runs a function in the child process (started on first use), or inline.

    If no child process can be started, everything runs inline: slower, never fatal.
    ``processes_allowed`` False keeps everything inline (tests reuse their loaded pipeline).
    """

    def __init__(self, *, processes_allowed: bool = True) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._inline_only = False
        self.processes_allowed = processes_allowed

    def worth_a_process(self, count: int) -> bool:
        """Work on ``count`` articles pays for the child process (and one is allowed)."""
        return self.processes_allowed and count >= PROCESS_MIN_ARTICLES

    def _start(self) -> ProcessPoolExecutor | None:
        if self._executor is None and not self._inline_only:
            try:
                with _real_standard_streams():
                    # "spawn": forking a process that already runs the app's threads is unsafe.
                    context = multiprocessing.get_context("spawn")
                    executor = ProcessPoolExecutor(max_workers=1, mp_context=context)
                    executor.submit(os.getpid).result()  # start the child now, with real streams
            except Exception:
                self._inline_only = True
                return None
            self._executor = executor
        return self._executor

    def run(self, use_process: bool, function: Callable[..., T], *args: Any) -> T:
        executor = self._start() if use_process else None
        if executor is None:
            return function(*args)
        future: Future[T] = executor.submit(function, *args)
        return future.result()

    def close(self) -> None:
        self._inline_only = True
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
