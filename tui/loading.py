"""Loading the reader's articles: documents are built into articles a chunk at a time, and
each chunk is posted as soon as it is ready, so the list fills in while the rest load.
Articles structured on an earlier run are read back from the cache; only new documents
are structured (in the child process when there are many).

Runs in the app's load worker; it never touches widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from itertools import islice
from pathlib import Path

from textual.message import Message

from summarise.article import Article, RawDocument
from summarise.engine import Corpus
from summarise.sources import LoadProblem, document_digest, iter_documents
from summarise.store import AnalysisCache, ReadState
from tui.background import Offload, build_articles
from tui.library_sync import LibrarySync
from tui.messages import ArticlesAdded, CorpusLoaded
from tui.widgets.listing import article_id

# The first chunk is small, so the first rows show at once; the rest come in larger
# chunks, each one redraw of the list.
FIRST_CHUNK = 100
LOAD_CHUNK = 1000


def _chunks(documents: Iterable[RawDocument]) -> Iterator[list[RawDocument]]:
    """The documents a chunk at a time, each taken from ``documents`` only when wanted,
    so a chunk is built and shown before the next one is read."""
    stream = iter(documents)
    size = FIRST_CHUNK
    while chunk := list(islice(stream, size)):
        yield chunk
        size = LOAD_CHUNK


def _built(
    chunk: Sequence[RawDocument],
    offload: Offload,
    use_process: bool,
    cache: AnalysisCache | None,
) -> tuple[list[Article], list[LoadProblem]]:
    """The chunk's articles in document order: from the cache when structured before."""
    if cache is None:
        return offload.run(use_process, build_articles, chunk)
    digests = [document_digest(document) for document in chunk]
    known = cache.get_articles(digests)
    pairs = list(zip(chunk, digests, strict=True))
    todo = [document for document, digest in pairs if digest not in known]
    made, problems = offload.run(use_process, build_articles, todo) if todo else ([], [])
    by_key = {article.key: article for article in made}
    cache.put_articles(
        (digest, by_key[document.key]) for document, digest in pairs if document.key in by_key
    )
    articles = []
    for document, digest in pairs:
        article = known.get(digest) or by_key.get(document.key)
        if article is not None:
            articles.append(article)
    return articles, problems


def build_in_chunks(
    documents: Iterable[RawDocument],
    offload: Offload,
    *,
    post: Callable[[Message], object],
    cancelled: Callable[[], bool],
    cache: AnalysisCache | None = None,
) -> tuple[list[Article], list[LoadProblem]] | None:
    """The documents as articles, each text once, posting ``ArticlesAdded`` per chunk;
    None when the load was cancelled. ``documents`` may be a stream still being read: its
    count is then unknown until it ends."""
    total = len(documents) if isinstance(documents, Sized) else None
    articles: list[Article] = []
    problems: list[LoadProblem] = []
    seen: set[str] = set()
    done = 0
    for chunk in _chunks(documents):
        if cancelled():
            return None
        start, done = done, done + len(chunk)
        # The first rows are structured here, so they show while the child process that
        # structures the rest is still starting.
        use_process = start > 0 and offload.worth_a_process(total if total is not None else done)
        built, trouble = _built(chunk, offload, use_process, cache)
        problems.extend(trouble)
        fresh = []
        for article in built:
            if article_id(article) not in seen:
                seen.add(article_id(article))
                fresh.append(article)
        articles.extend(fresh)
        post(ArticlesAdded(fresh, done, total))
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
    stored: list[RawDocument] = []
    documents: Iterable[RawDocument]
    if library is not None:
        documents = stored = library.library.documents()
    else:
        # Read as they are built, so the first rows show before the rest are read.
        documents = iter_documents(paths, problems)
    built = build_in_chunks(documents, offload, post=post, cancelled=cancelled, cache=cache)
    if built is None:
        return None
    articles, trouble = built
    problems.extend(trouble)
    # The app analyses in worker processes of its own when they are allowed; when not
    # (tests), the corpus must not start any either.
    cores = None if offload.processes_allowed else 1
    corpus = Corpus(articles, problems, model=model, cache=cache, cores=cores)
    read_ids = read_state.read_ids()
    if library is not None:
        library.remember(stored, articles)
        # A story is read when either store says so: the library knows its entry even
        # after its text changed (a teaser replaced by the full page).
        read_ids |= library.read_ids(articles)
    return CorpusLoaded(corpus, read_ids)
