"""Loading the reader's articles: documents are built into articles a chunk at a time, and
each chunk is posted as soon as it is ready, so the list fills in while the rest load.

Runs in the app's load worker; it never touches widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from textual.message import Message

from summarise.article import Article, RawDocument
from summarise.engine import Corpus
from summarise.sources import LoadProblem, read_documents
from summarise.store import AnalysisCache, ReadState
from tui.background import Offload, build_articles
from tui.library_sync import LibrarySync
from tui.messages import ArticlesAdded, CorpusLoaded
from tui.widgets.listing import article_id

LOAD_CHUNK = 200


def build_in_chunks(
    documents: Sequence[RawDocument],
    offload: Offload,
    *,
    post: Callable[[Message], object],
    cancelled: Callable[[], bool],
) -> tuple[list[Article], list[LoadProblem]] | None:
    """The documents as articles, each text once, posting ``ArticlesAdded`` per chunk;
    None when the load was cancelled."""
    total = len(documents)
    use_process = offload.worth_a_process(total)
    articles: list[Article] = []
    problems: list[LoadProblem] = []
    seen: set[str] = set()
    for start in range(0, total, LOAD_CHUNK):
        if cancelled():
            return None
        chunk = documents[start : start + LOAD_CHUNK]
        # The first rows are structured here, so they show while the child process that
        # structures the rest is still starting.
        built, trouble = offload.run(use_process and start > 0, build_articles, chunk)
        problems.extend(trouble)
        fresh = []
        for article in built:
            if article_id(article) not in seen:
                seen.add(article_id(article))
                fresh.append(article)
        articles.extend(fresh)
        post(ArticlesAdded(fresh, min(start + LOAD_CHUNK, total), total))
    return articles, problems


def load_corpus(
    paths: Sequence[str | Path],
    library: LibrarySync | None,
    offload: Offload,
    read_state: ReadState,
    *,
    model: str | None,
    cache: AnalysisCache,
    post: Callable[[Message], object],
    cancelled: Callable[[], bool],
) -> CorpusLoaded | None:
    """The corpus of ``paths``, or of the library when one is given, with the ids of the
    stories already read; None when the load was cancelled. Raises what reading raises."""
    problems: list[LoadProblem] = []
    if library is not None:
        documents = library.library.documents()
    else:
        documents = read_documents(paths, problems)
    built = build_in_chunks(documents, offload, post=post, cancelled=cancelled)
    if built is None:
        return None
    articles, trouble = built
    problems.extend(trouble)
    corpus = Corpus(articles, problems, model=model, cache=cache)
    read_ids = read_state.read_ids()
    if library is not None:
        library.remember(documents, articles)
        # A story is read when either store says so: the library knows its entry even
        # after its text changed (a teaser replaced by the full page).
        read_ids |= library.read_ids(articles)
    return CorpusLoaded(corpus, read_ids)
