"""Analysis on every core: worker processes, each with its own copy of the language model.

spaCy releases no lock while it tags, so threads would share one core; processes do not.
Workers are spawned rather than forked: the reader runs analysis from a thread, and a
fork taken while another thread holds a lock can hang the child.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from summarise.article import Analysis, Article

# Below this much text to analyse, starting workers (each loads the model, about a
# second and a half) costs more than the second core saves.
POOL_MIN_CHARS = 150_000
# Work is handed out in pieces of about this many characters: small enough to spread
# evenly over the workers, large enough that batching inside spaCy still pays.
CHUNK_CHARS = 24_000
# Pieces waiting per worker: enough to keep every worker busy, few enough that memory
# stays flat whatever the size of the corpus.
QUEUED_PER_WORKER = 2

_worker_pipeline: Any = None


def usable_cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def worth_a_pool(articles: Sequence[Article], cores: int | None = None) -> bool:
    """True when these articles are enough work to share between processes."""
    if (cores if cores is not None else usable_cores()) < 2:
        return False
    total = 0
    for article in articles:
        total += len(article.body)
        if total >= POOL_MIN_CHARS:
            return True
    return False


def _start_worker(model: str | None, niceness: int) -> None:
    global _worker_pipeline
    from summarise.nlp import load_pipeline

    if niceness and hasattr(os, "nice"):  # not on Windows
        os.nice(niceness)

    _worker_pipeline = load_pipeline(model)


def _analyse_chunk(articles: list[Article]) -> list[Analysis]:
    from summarise.nlp import analyse_many

    return list(analyse_many(articles, _worker_pipeline))


def _chunks(articles: Sequence[Article]) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    size = 0
    for article in articles:
        chunk.append(article)
        size += len(article.body)
        if size >= CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class AnalysisPool:
    """Worker processes that analyse articles with ``model``; started on first use and
    kept until ``close`` so that later batches do not load the model again. Workers with
    a ``niceness`` above 0 give way to other processes (a reader drawing its screen)."""

    def __init__(
        self, model: str | None = None, workers: int | None = None, niceness: int = 0
    ) -> None:
        self.model = model
        self.workers = workers or usable_cores()
        self.niceness = niceness
        self._executor: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.model, self.niceness),
            )
        return self._executor

    def analyse(self, articles: Sequence[Article]) -> Iterator[Analysis]:
        """Analyses of ``articles`` as they are done, chunk by chunk in list order."""
        executor = self._started()
        pending: deque[Future[list[Analysis]]] = deque()
        limit = self.workers * QUEUED_PER_WORKER
        for chunk in _chunks(articles):
            pending.append(executor.submit(_analyse_chunk, chunk))
            if len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
