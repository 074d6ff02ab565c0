"""The order of analysis: the article the reader is looking at first, then the rest in
list order, then grouping; and the summaries the reading pane shows.

Runs in the app's workers; it posts progress, summaries and groups and never touches
widgets. On a large corpus nothing heavy runs in the app's process: analyses already in
the cache are read back a few hundred at a time, the missing ones are analysed by worker
processes on every core and filed in the cache, and only then read into the corpus, so
the corpus is never busy for long and the screen never waits for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from textual.message import Message

from summarise.analysis_pool import AnalysisPool
from summarise.article import Analysis, Article
from summarise.engine import Corpus
from summarise.store import AnalysisCache
from tui.background import Offload, group_corpus, start_resource_tracker
from tui.messages import AnalysisProgress, GroupsReady, Reading, ReadingsReady
from tui.widgets.listing import article_id

# Analyses read back from the cache at once: 256 take about 15 ms.
READ_BATCH = 256
# Articles analysed at once in a small corpus (in this process) or sent to the worker
# processes of a large one: about half a second of work, so an article the reader moves
# to waits for no more than that before it is analysed next.
ANALYSIS_BATCH = 16
POOL_BATCH = 32
# Progress reaches the screen at most this often: each report redraws the status line
# and the progress bar, and 10,000 results one by one would keep the screen busy.
PROGRESS_INTERVAL = 0.25
# How much the worker processes give way: at 10 a process that wants the core gets about
# nine parts in ten of it, so the screen is drawn as fast as with no analysis running, and
# the workers still have every core the screen leaves idle.
WORKER_NICENESS = 10


class _Progress:
    """Collects analyses and posts them at most every ``PROGRESS_INTERVAL`` seconds."""

    def __init__(self, post: Callable[[Message], object], total: int, note: str) -> None:
        self.post = post
        self.total = total
        self.note = note
        self.done = 0
        self.waiting: list[Analysis] = []
        self.last = 0.0

    def add(self, analyses: list[Analysis], done: int, *, now: bool = False) -> None:
        self.waiting.extend(analyses)
        self.done = done
        if now or time.monotonic() - self.last >= PROGRESS_INTERVAL:
            self.flush()

    def flush(self) -> None:
        self.post(AnalysisProgress(self.waiting, self.done, self.total, self.note))
        self.waiting = []
        self.last = time.monotonic()


class Analyser:
    """Where missing analyses are made: worker processes on every core for a large corpus
    (started on first need and kept), else the corpus itself, in this thread."""

    def __init__(self, offload: Offload, model: str | None) -> None:
        self.offload = offload
        self.model = model
        self._pool: AnalysisPool | None = None

    def elsewhere(self, corpus: Corpus, cache: AnalysisCache | None) -> bool:
        return cache is not None and self.offload.worth_a_process(len(corpus.articles))

    def analyse(
        self,
        corpus: Corpus,
        piece: Sequence[Article],
        missing: Sequence[Article],
        cache: AnalysisCache | None,
    ) -> None:
        """Make the piece's analyses known to the corpus; ``missing`` are not stored yet."""
        if missing and self.elsewhere(corpus, cache):
            if self._pool is None:
                start_resource_tracker()
                self._pool = AnalysisPool(self.model, niceness=WORKER_NICENESS)
            corpus.store_analyses(missing, self._pool)
        # Now (on a large corpus) a read of the cache: the corpus is busy for milliseconds.
        corpus.analyse(piece)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def analyse_in_order(
    corpus: Corpus,
    *,
    selected: Callable[[], Article | None],
    analyser: Analyser,
    cache: AnalysisCache | None,
    threshold: float,
    post: Callable[[Message], object],
    cancelled: Callable[[], bool],
) -> None:
    """Analyse every article of ``corpus``, ``selected()`` before each batch, posting
    ``AnalysisProgress`` a few times a second and ``GroupsReady`` at the end (unless
    cancelled)."""
    articles = list(corpus.articles)
    total = len(articles)
    note = "" if corpus.model.has_entities else "no entity model: names are not highlighted"
    progress = _Progress(post, total, note)
    progress.add([], 0, now=True)
    done: set[str] = set()
    position = 0
    while not cancelled():
        wanted = selected()
        if wanted is not None and article_id(wanted) not in done:
            batch = [wanted]
        else:
            batch = []
            while position < total and len(batch) < READ_BATCH:
                if article_id(articles[position]) not in done:
                    batch.append(articles[position])
                position += 1
        if not batch:
            break
        for piece, missing in _pieces(corpus, batch, cache, analyser):
            if cancelled():
                return
            analyser.analyse(corpus, piece, missing, cache)
            analyses = [a for a in map(corpus.cached_analysis, piece) if a is not None]
            done.update(article_id(article) for article in piece)
            # The article on screen is reported at once: its summary is waited for.
            progress.add(analyses, len(done), now=any(article is wanted for article in piece))
    if cancelled():
        return
    progress.note = "grouping…"
    progress.add([], total, now=True)
    analyses_by_id = corpus.analyses_by_id()
    use_process = analyser.offload.worth_a_process(total)
    groups = analyser.offload.run(use_process, group_corpus, articles, analyses_by_id, threshold)
    post(GroupsReady(groups))


def _pieces(
    corpus: Corpus, batch: list[Article], cache: AnalysisCache | None, analyser: Analyser
) -> list[tuple[list[Article], list[Article]]]:
    """The batch as it is worked through, each piece with its articles not yet stored:
    whole when every analysis is stored, else in pieces small enough that an article the
    reader moves to is never kept waiting long."""
    if not analyser.elsewhere(corpus, cache):
        pieces = [batch[i : i + ANALYSIS_BATCH] for i in range(0, len(batch), ANALYSIS_BATCH)]
        return [(piece, []) for piece in pieces]
    assert cache is not None
    unknown = [article for article in batch if corpus.cached_analysis(article) is None]
    held = cache.get_many([article_id(article) for article in unknown], corpus.fingerprint)
    missing = [article for article in unknown if article_id(article) not in held]
    if not missing:
        return [(batch, [])]
    pieces = [batch[i : i + POOL_BATCH] for i in range(0, len(batch), POOL_BATCH)]
    missing_ids = {article_id(article) for article in missing}
    return [(piece, [a for a in piece if article_id(a) in missing_ids]) for piece in pieces]


def readings(
    corpus: Corpus,
    articles: Sequence[Article],
    algorithm: str,
    sentences: int,
    *,
    post: Callable[[Message], object],
    cancelled: Callable[[], bool],
) -> None:
    """Summaries of the analysed ``articles`` (the first is the one on screen, posted alone
    so it shows at once; the rest are its neighbours, made ahead)."""
    made: list[Reading] = []
    for number, article in enumerate(articles):
        if cancelled():
            break
        analysis, summary, reason = corpus.summary_if_analysed(article, algorithm, sentences)
        if analysis is None:
            continue
        made.append(Reading(article_id(article), algorithm, sentences, summary, reason))
        if number == 0:
            post(ReadingsReady(made))
            made = []
    if made:
        post(ReadingsReady(made))
