"""Extractive summarisers by name: our own default, the lead baseline and sumy's algorithms.

sumy is fed with our own sentences: its document objects are built from the spaCy
sentence spans with a tokenizer object of our own, so sumy's NLTK-based tokenizer
(which needs downloaded data) is never used.
"""

from __future__ import annotations

import importlib.metadata
import math
import warnings
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

from summarise.article import Analysis, Article, Summary
from summarise.newsrank import news_summary
from summarise.text import stemmer, stop_words, words
from summarise.versions import code_digest

Summariser = Callable[[Article, Analysis, int], list[int]]

DEFAULT_ALGORITHM = "news"
DEFAULT_SENTENCES = 3

# Hedging and filler words that mark a sentence as less central (Edmundson's
# "stigma" words); general English, not taken from any corpus.
_STIGMA_WORDS = (
    "hardly",
    "impossible",
    "perhaps",
    "maybe",
    "apparently",
    "allegedly",
    "reportedly",
    "supposedly",
    "somewhat",
    "unclear",
    "meanwhile",
    "anyway",
    "click",
    "subscribe",
    "advertisement",
)


class _WordSplitter:
    """The tokenizer object sumy's Sentence asks for words."""

    language = "english"

    def to_words(self, text: str) -> tuple[str, ...]:
        return tuple(words(text))

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return (text,)


_SPLITTER = _WordSplitter()


def _sentence_texts(article: Article, analysis: Analysis) -> list[str]:
    body = article.body
    return [body[span.start : span.end] for span in analysis.sentences]


def _sumy_document(
    article: Article, analysis: Analysis, with_title: bool = False
) -> tuple[Any, dict[int, int]]:
    """sumy's document model of the article and a map from sentence object id to index.

    A sentence repeated word for word is given to sumy once (sumy compares sentences
    by text, and a summary should not hold the same sentence twice).
    """
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    seen: set[str] = set()
    object_index: dict[int, int] = {}
    paragraphs: dict[int, list[Any]] = {}
    if with_title and article.title.strip():
        paragraphs.setdefault(-1, []).append(Sentence(article.title, _SPLITTER, is_heading=True))
    for index, (span, text) in enumerate(
        zip(analysis.sentences, _sentence_texts(article, analysis), strict=True)
    ):
        normalised = " ".join(text.split())
        if normalised in seen:
            continue
        seen.add(normalised)
        sentence = Sentence(text, _SPLITTER)
        object_index[id(sentence)] = index
        paragraphs.setdefault(span.paragraph, []).append(sentence)
    if -1 in paragraphs and len(paragraphs) > 1:
        # The title heads the first paragraph, as in a printed article.
        title = paragraphs.pop(-1)
        first = min(paragraphs)
        paragraphs[first] = title + paragraphs[first]
    document = ObjectDocumentModel(
        [Paragraph(sentences) for _key, sentences in sorted(paragraphs.items())]
    )
    return document, object_index


def _indices(result: Any, object_index: dict[int, int], document: Any) -> list[int]:
    chosen: list[int] = []
    by_text: dict[str, list[int]] = {}
    for sentence in document.sentences:
        by_text.setdefault(str(sentence), []).append(object_index[id(sentence)])
    for sentence in result:
        index = object_index.get(id(sentence))
        if index is None:
            # Not one of our objects: fall back to the first unused sentence with that text.
            candidates = [i for i in by_text.get(str(sentence), []) if i not in chosen]
            if not candidates:
                continue
            index = candidates[0]
        if index not in chosen:
            chosen.append(index)
    return sorted(chosen)


def _run_sumy(summarizer: Any, article: Article, analysis: Analysis, count: int) -> list[int]:
    document, object_index = _sumy_document(article, analysis, with_title=_is_edmundson(summarizer))
    if not document.sentences:
        return []
    summarizer.stop_words = stop_words()
    with warnings.catch_warnings():
        # Degenerate matrices (all sentences alike) make numpy warn; sumy copes.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = summarizer(document, count)
    return _indices(result, object_index, document)


def _is_edmundson(summarizer: Any) -> bool:
    return type(summarizer).__name__ == "EdmundsonSummarizer"


def _sumy(class_path: str) -> Summariser:
    module_name, class_name = class_path.rsplit(".", 1)

    def summarise_with_sumy(article: Article, analysis: Analysis, count: int) -> list[int]:
        import importlib

        summarizer_class = getattr(importlib.import_module(module_name), class_name)
        return _run_sumy(summarizer_class(stemmer()), article, analysis, count)

    summarise_with_sumy.__name__ = class_name
    return summarise_with_sumy


def _bonus_words(article: Article, analysis: Analysis) -> list[str]:
    """Title words, else the most frequent content words of the body."""
    stops = stop_words()
    title_words = [word for word in words(article.title) if word.lower() not in stops]
    if title_words:
        return title_words
    counts = Counter(
        word.lower()
        for text in _sentence_texts(article, analysis)
        for word in words(text)
        if word.lower() not in stops
    )
    return [word for word, _count in counts.most_common(10)]


def edmundson(article: Article, analysis: Analysis, count: int) -> list[int]:
    from sumy.summarizers.edmundson import EdmundsonSummarizer

    summarizer = EdmundsonSummarizer(stemmer())
    # sumy refuses empty word sets; a token that cannot occur in text keeps it quiet.
    summarizer.bonus_words = _bonus_words(article, analysis) or ["\u0000"]
    summarizer.stigma_words = _STIGMA_WORDS
    summarizer.null_words = sorted(stop_words())
    return _run_sumy(summarizer, article, analysis, count)


def lead(article: Article, analysis: Analysis, count: int) -> list[int]:
    """The first ``count`` sentences: what a news story's own editor put first."""
    return list(range(min(count, len(analysis.sentences))))


def news(article: Article, analysis: Analysis, count: int) -> list[int]:
    """Our default: position-aware centrality with redundancy removal (see newsrank)."""
    return news_summary(article.title, _sentence_texts(article, analysis), analysis, count)


SUMMARISERS: dict[str, Summariser] = {
    "news": news,
    "lead": lead,
    "lexrank": _sumy("sumy.summarizers.lex_rank.LexRankSummarizer"),
    "textrank": _sumy("sumy.summarizers.text_rank.TextRankSummarizer"),
    "lsa": _sumy("sumy.summarizers.lsa.LsaSummarizer"),
    "luhn": _sumy("sumy.summarizers.luhn.LuhnSummarizer"),
    "kl": _sumy("sumy.summarizers.kl.KLSummarizer"),
    "sumbasic": _sumy("sumy.summarizers.sum_basic.SumBasicSummarizer"),
    "reduction": _sumy("sumy.summarizers.reduction.ReductionSummarizer"),
    "edmundson": edmundson,
}


def summary_length(total: int, sentences: int | None = None, ratio: float | None = None) -> int:
    """How many sentences a summary has: a count or a share of ``total``, at least one."""
    if total <= 0:
        return 0
    if sentences is not None:
        wanted = int(sentences)
    elif ratio is not None:
        wanted = math.floor(total * float(ratio) + 0.5)
    else:
        wanted = DEFAULT_SENTENCES
    return max(1, min(wanted, total))


@cache
def _summariser_version() -> str:
    try:
        sumy = importlib.metadata.version("sumy")
    except importlib.metadata.PackageNotFoundError:
        sumy = "?"
    code = code_digest("summarise.summarisers", "summarise.newsrank", "summarise.text")
    return f"{code}-sumy{sumy}"


def summary_request(algorithm: str, sentences: int | None, ratio: float | None) -> str:
    """What a stored summary was made for: the summariser, the length asked for and the
    code that made it, so a summary is used again only while all three are the same."""
    return f"{algorithm}:{sentences}:{ratio}:{_summariser_version()}"


def summarise(
    article: Article,
    analysis: Analysis,
    algorithm: str = DEFAULT_ALGORITHM,
    sentences: int | None = None,
    ratio: float | None = None,
) -> Summary:
    """A summary of ``article`` by the named algorithm, its sentences in article order."""
    summariser = SUMMARISERS.get(algorithm)
    if summariser is None:
        known = ", ".join(SUMMARISERS)
        raise ValueError(f"unknown summariser '{algorithm}'; known: {known}")
    count = summary_length(len(analysis.sentences), sentences, ratio)
    if count == 0:
        return Summary(algorithm=algorithm, sentence_ids=())
    chosen = summariser(article, analysis, count)
    valid = sorted({index for index in chosen if 0 <= index < len(analysis.sentences)})
    if not valid:
        # An algorithm with nothing to rank (LSA when no word of the story is a content
        # word: "It is what it is.") would show an empty summary; the lead is one.
        valid = lead(article, analysis, count)
    return Summary(algorithm=algorithm, sentence_ids=tuple(valid[:count]))
