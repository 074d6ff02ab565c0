"""Part 3: named entities on CoNLL-2003 dev, exact-span micro F1, engine vs stock model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.quality.common import Table, harmonic, read_jsonl
from summarise.article import PARAGRAPH_SEPARATOR, Article, Block
from summarise.nlp import DEFAULT_MODELS, Pipeline, analyse_many

TYPES = ("PER", "LOC", "ORG", "MISC")
TO_CONLL = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}

Span = tuple[int, int, int, str]  # document, start, end (chars in the document text), type


@dataclass
class Document:
    number: int
    separator: str  # between sentences in ``text``
    sentences: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)  # sentence starts in ``text``
    gold: set[Span] = field(default_factory=set)

    @property
    def text(self) -> str:
        return self.separator.join(self.sentences)


def read_documents(path: Path, limit: int | None, separator: str = "\n") -> list[Document]:
    """Sentences grouped by ``doc``, joined by ``separator``; ``limit`` counts documents."""
    documents: dict[int, Document] = {}
    for row in read_jsonl(path):
        number = int(row["doc"])
        if number not in documents:
            if limit is not None and len(documents) >= limit:
                break
            documents[number] = Document(number, separator)
        document = documents[number]
        tokens = row["tokens"]
        sentence_start = len(document.text) + (len(separator) if document.sentences else 0)
        starts = []
        position = 0
        for token in tokens:
            starts.append(position)
            position += len(token) + 1
        for first, last, kind in _iob2_spans(row["tags"]):
            start = sentence_start + starts[first]
            end = sentence_start + starts[last] + len(tokens[last])
            document.gold.add((number, start, end, kind))
        document.sentences.append(" ".join(tokens))
        document.offsets.append(sentence_start)
    return list(documents.values())


def _iob2_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    current: list[object] | None = None
    for index, tag in enumerate(tags):
        if tag.startswith("B-") or (
            tag.startswith("I-") and (current is None or current[2] != tag[2:])
        ):
            if current:
                spans.append(tuple(current))
            current = [index, index, tag[2:]]
        elif tag.startswith("I-") and current is not None:
            current[1] = index
        else:
            if current:
                spans.append(tuple(current))
            current = None
    if current:
        spans.append(tuple(current))
    return spans  # type: ignore[return-value]


def engine_spans(documents: list[Document], pipeline: Pipeline) -> set[Span]:
    """The engine's entity path on each document's text (one sentence per line)."""
    from summarise.nlp import analyse_text

    spans: set[Span] = set()
    for document in documents:
        for mention in analyse_text(document.text, pipeline):
            kind = TO_CONLL.get(mention.label)
            if kind:
                spans.add((document.number, mention.start, mention.end, kind))
    return spans


def article_spans(documents: list[Document], pipeline: Pipeline) -> set[Span]:
    """The engine's article path: each sentence a body paragraph, mentions post-processed."""
    articles = [
        Article(
            key=f"conll/{document.number}",
            title="",
            blocks=tuple(Block("body", sentence) for sentence in document.sentences),
        )
        for document in documents
    ]
    spans: set[Span] = set()
    for document, article, analysis in zip(
        documents, articles, analyse_many(articles, pipeline), strict=True
    ):
        assert article.body == document.text
        for mention in analysis.mentions:
            kind = TO_CONLL.get(mention.label)
            if kind:
                spans.add((document.number, mention.start, mention.end, kind))
    return spans


def stock_model() -> tuple[object, str]:
    import spacy

    for name in DEFAULT_MODELS:
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError):
            continue
        return nlp, f"{name} {nlp.meta.get('version', '')}".strip()
    raise RuntimeError("no spaCy model installed")


def stock_spans(documents: list[Document], nlp: object) -> set[Span]:
    """The stock model as shipped, run on each sentence alone."""
    places = [(document.number, offset) for document in documents for offset in document.offsets]
    texts = (sentence for document in documents for sentence in document.sentences)
    spans: set[Span] = set()
    for (number, offset), doc in zip(places, nlp.pipe(texts, batch_size=256), strict=True):  # type: ignore[attr-defined]
        for ent in doc.ents:
            kind = TO_CONLL.get(ent.label_)
            if kind:
                spans.add((number, offset + ent.start_char, offset + ent.end_char, kind))
    return spans


def score(predicted: Iterable[Span], gold: Iterable[Span]) -> dict[str, tuple[float, float, float]]:
    predicted, gold = set(predicted), set(gold)
    result = {}
    for kind in (None, *TYPES):
        mine = {span for span in predicted if kind is None or span[3] == kind}
        true = {span for span in gold if kind is None or span[3] == kind}
        hits = len(mine & true)
        precision = hits / len(mine) if mine else 0.0
        recall = hits / len(true) if true else 0.0
        result[kind or "all"] = (precision, recall, harmonic(precision, recall))
    return result


def run(data: Path, limit: int | None, pipeline: Pipeline, model: str | None = None) -> list[Table]:
    from summarise import nlp

    # The text path (nlp.analyse_text) when the engine has one, else whole articles.
    text_path = hasattr(nlp, "analyse_text")
    separator = "\n" if text_path else PARAGRAPH_SEPARATOR
    documents = read_documents(data / "conll2003" / "dev.jsonl", limit, separator)
    gold = set().union(*(document.gold for document in documents))
    rows = []
    if pipeline.has_entities:
        found = (engine_spans if text_path else article_spans)(documents, pipeline)
        ours = score(found, gold)
        rows.append(["ours (engine entity path)", *ours["all"], *(ours[t][2] for t in TYPES)])
    nlp, stock_name = stock_model()
    stock = score(stock_spans(documents, nlp), gold)
    rows.append([f"stock {stock_name}, per sentence", *stock["all"], *(stock[t][2] for t in TYPES)])
    gold_types = Counter(span[3] for span in gold)
    return [
        Table(
            "entities: CoNLL-2003 dev, exact-span",
            ["system", "P", "R", "F1", *(f"{t} F1" for t in TYPES)],
            rows,
            [
                f"{len(documents)} documents, {sum(len(d.sentences) for d in documents)} sentences,"
                f" {len(gold)} gold entities ("
                + ", ".join(f"{t} {gold_types[t]}" for t in TYPES)
                + ")",
                "tokens joined by spaces; labels mapped PERSON->PER; GPE, LOC, FAC->LOC; ORG->ORG;"
                " NORP, EVENT, WORK_OF_ART, LAW, LANGUAGE, PRODUCT->MISC; other labels dropped",
                f"ours: {pipeline.fingerprint}, "
                + (
                    "nlp.analyse_text on each document, one sentence per line"
                    if text_path
                    else "each document one article, one paragraph per sentence, nlp.analyse_many"
                )
                + " (the engine's post-processing included)",
                "stock: spacy.load(...) with every component, doc.ents of each sentence alone",
            ],
        )
    ]
