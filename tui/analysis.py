"""The order of analysis: the article the reader is looking at first, then the rest in
list order a batch at a time, then grouping; in a child process when the corpus is large.

Runs in the app's analysis worker; it posts progress and groups and never touches widgets.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from summarise.article import Article
from summarise.engine import Corpus
from summarise.store import AnalysisCache
from tui.background import Offload, analyse_articles, group_corpus
from tui.messages import AnalysisProgress, GroupsReady
from tui.widgets.listing import article_id

ANALYSIS_BATCH = 16


def _analyse_elsewhere(
    corpus: Corpus,
    batch: list[Article],
    offload: Offload,
    cache: AnalysisCache | None,
    model: str | None,
    fingerprint: str,
) -> None:
    """Analyse in the child process and leave the results in the cache for the corpus."""
    if cache is None:
        return
    todo = [
        article
        for article in batch
        if corpus.cached_analysis(article) is None
        and cache.get(article_id(article), fingerprint) is None
    ]
    if todo:
        for analysis in offload.run(True, analyse_articles, todo, model):
            cache.put(analysis)


def analyse_in_order(
    corpus: Corpus,
    *,
    selected: Callable[[], Article | None],
    offload: Offload,
    cache: AnalysisCache | None,
    model: str | None,
    threshold: float,
    post: Callable[[Message], object],
    cancelled: Callable[[], bool],
) -> None:
    """Analyse every article of ``corpus``, ``selected()`` before each batch, posting
    ``AnalysisProgress`` per batch and ``GroupsReady`` at the end (unless cancelled)."""
    articles = list(corpus.articles)
    total = len(articles)
    use_process = offload.worth_a_process(total)
    post(AnalysisProgress([], 0, total, "loading language model…"))
    pipeline = corpus.pipeline
    note = "" if pipeline.has_entities else "no entity model: names are not highlighted"
    done: set[str] = set()
    position = 0
    while not cancelled():
        wanted = selected()
        if wanted is not None and article_id(wanted) not in done:
            batch = [wanted]
        else:
            batch = []
            while position < total and len(batch) < ANALYSIS_BATCH:
                if article_id(articles[position]) not in done:
                    batch.append(articles[position])
                position += 1
        if not batch:
            break
        if use_process:
            _analyse_elsewhere(corpus, batch, offload, cache, model, pipeline.fingerprint)
        corpus.analyse(batch)
        analyses = [a for a in (corpus.cached_analysis(x) for x in batch) if a is not None]
        done.update(article_id(article) for article in batch)
        post(AnalysisProgress(analyses, len(done), total, note))
    if cancelled():
        return
    post(AnalysisProgress([], total, total, "grouping…"))
    analyses_by_id = corpus.analyses_by_id()
    groups = offload.run(use_process, group_corpus, articles, analyses_by_id, threshold)
    post(GroupsReady(groups))
