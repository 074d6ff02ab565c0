"""Part 3: named entities on CoNLL-2003 dev, exact-span micro F1, engine vs stock model.

Also what each of the engine's post-processing rules does: CoNLL F1 with every rule,
with none, with each left out and with each alone, and what each changes on the seeds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.quality.common import Table, harmonic, read_jsonl
from summarise.article import PARAGRAPH_SEPARATOR, Article, Block, Mention
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
    tables = []
    if pipeline.has_entities:
        if text_path and hasattr(nlp, "tag_text"):
            tagged = [nlp.tag_text(document.text, pipeline) for document in documents]
            found = _post_spans(documents, tagged, ())
            tables.append(ablation_table(documents, tagged, gold))
        else:
            found = (engine_spans if text_path else article_spans)(documents, pipeline)
        ours = score(found, gold)
        rows.append(["ours (engine entity path)", *ours["all"], *(ours[t][2] for t in TYPES)])
    nlp_model, stock_name = stock_model()
    stock = score(stock_spans(documents, nlp_model), gold)
    rows.append([f"stock {stock_name}, per sentence", *stock["all"], *(stock[t][2] for t in TYPES)])
    gold_types = Counter(span[3] for span in gold)
    main = Table(
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
    if tables:
        seeds = seed_effects(pipeline)
        if seeds is not None:
            _add_seed_column(tables[0], seeds)
    return [main, *tables]


# --- what each post-processing rule does ----------------------------------------------


def _post_spans(
    documents: list[Document], tagged: list[list[Mention]], skip: Collection[str]
) -> set[Span]:
    from summarise.entities import postprocess

    spans: set[Span] = set()
    for document, mentions in zip(documents, tagged, strict=True):
        for mention in postprocess(mentions, document.text, skip):
            kind = TO_CONLL.get(mention.label)
            if kind:
                spans.add((document.number, mention.start, mention.end, kind))
    return spans


def _half_f1(found: set[Span], gold: set[Span], numbers: set[int]) -> float:
    mine = {span for span in found if span[0] in numbers}
    true = {span for span in gold if span[0] in numbers}
    return score(mine, true)["all"][2]


def ablation_configs() -> list[tuple[str, str, tuple[str, ...]]]:
    """(row name, what it is compared with for the seeds, rules left out)."""
    from summarise.entities import RULE_NAMES

    configs = [("all rules", "", ()), ("no rules", "", RULE_NAMES)]
    configs += [(f"without {name}", "all rules", (name,)) for name in RULE_NAMES]
    configs += [
        (f"{name} alone", "no rules", tuple(other for other in RULE_NAMES if other != name))
        for name in RULE_NAMES
    ]
    return configs


def ablation_table(
    documents: list[Document], tagged: list[list[Mention]], gold: set[Span]
) -> Table:
    """CoNLL micro F1 with all rules, none, each rule left out and each rule alone."""
    halves = (
        {document.number for index, document in enumerate(documents) if index % 2 == 0},
        {document.number for index, document in enumerate(documents) if index % 2 == 1},
    )
    measured: dict[str, tuple[float, float, float]] = {}
    rows = []
    for name, compare, skip in ablation_configs():
        found = _post_spans(documents, tagged, skip)
        result = score(found, gold)
        f1 = result["all"][2]
        f1_a = _half_f1(found, gold, halves[0])
        f1_b = _half_f1(found, gold, halves[1])
        measured[name] = (f1, f1_a, f1_b)
        if not compare:
            gains = ["", "", ""]
        elif name.startswith("without"):
            # What the rule adds to the others: all rules minus all but this one.
            gains = [
                f"{m - w:+.4f}" for m, w in zip(measured[compare], measured[name], strict=True)
            ]
        else:
            gains = [
                f"{w - m:+.4f}" for m, w in zip(measured[compare], measured[name], strict=True)
            ]
        rows.append([name, f1, *(result[t][2] for t in TYPES), f1_a, f1_b, *gains])
    return Table(
        "entities: what each post-processing rule does (CoNLL-2003 dev and the seeds)",
        [
            "rules",
            "F1",
            *(f"{t} F1" for t in TYPES),
            "F1 A",
            "F1 B",
            "rule adds",
            "adds A",
            "adds B",
        ],
        rows,
        [
            "the tagger's mentions of each CoNLL document (nlp.tag_text, capitals re-cased) put"
            " through entities.postprocess with the named rules left out; 'no rules' is the"
            " tagger alone",
            "rule adds: F1 with all rules minus F1 without the rule ('without' rows), or F1 with"
            " the rule alone minus F1 with no rules ('alone' rows)",
            "A = 1st, 3rd, 5th... document, B = 2nd, 4th...; rules added or tuned in this round"
            " were picked on A, so B shows them on documents they were not picked on",
        ],
    )


@dataclass
class SeedEffects:
    articles: int
    outputs: dict[tuple[str, ...], list[list[Mention]]]
    bodies: list[str]


def seed_effects(pipeline: Pipeline) -> SeedEffects | None:
    """Each configuration's mentions on the bundled seed pages (their body paragraphs)."""
    from summarise import nlp
    from summarise.entities import postprocess

    try:
        from summarise.sources import load_articles, seeds_path

        articles = load_articles([seeds_path()])
    except Exception:  # the seeds are optional for this benchmark
        return None
    if not articles or not hasattr(nlp, "tag_articles"):
        return None
    tagged = nlp.tag_articles(articles, pipeline)
    outputs = {}
    for _name, _compare, skip in ablation_configs():
        outputs[skip] = [
            postprocess(mentions, article.body, skip)
            for article, mentions in zip(articles, tagged, strict=True)
        ]
    return SeedEffects(len(articles), outputs, [article.body for article in articles])


def seed_changes(before: list[Mention], after: list[Mention]) -> list[str]:
    """What turns ``before`` into ``after``: "Maheen DATE->GPE", "+Observatory ORG"."""
    old = {(m.start, m.end, m.label): m for m in before}
    new = {(m.start, m.end, m.label): m for m in after}
    gone = [m for key, m in old.items() if key not in new]
    came = [m for key, m in new.items() if key not in old]
    changes = []
    for mention in came:
        overlapping = [m for m in gone if m.start < mention.end and mention.start < m.end]
        if overlapping:
            first = overlapping[0]
            if first.text == mention.text:
                changes.append(f"{mention.text} {first.label}->{mention.label}")
            else:
                changes.append(f"{first.text} {first.label}->{mention.text} {mention.label}")
            for m in overlapping:
                gone.remove(m)
        else:
            changes.append(f"+{mention.text} {mention.label}")
    changes.extend(f"-{m.text} {m.label}" for m in gone)
    return changes


def _add_seed_column(table: Table, seeds: SeedEffects) -> None:
    table.columns += ["seed mentions changed", "on the seeds (examples)"]
    by_name = {name: (compare, skip) for name, compare, skip in ablation_configs()}
    for row in table.rows:
        compare, skip = by_name[row[0]]
        if not compare:
            row += ["", ""]
            continue
        reference = by_name[compare][1]
        changes: list[str] = []
        for with_rule, without in zip(seeds.outputs[reference], seeds.outputs[skip], strict=True):
            # What the rule does: from the output without it to the output with it.
            if row[0].startswith("without"):
                changes += seed_changes(without, with_rule)
            else:
                changes += seed_changes(with_rule, without)
        counted = Counter(changes)
        examples = ", ".join(
            f"{change} x{count}" if count > 1 else change
            for change, count in counted.most_common(3)
        )
        row += [len(changes), examples]
    table.notes.append(
        f"seeds: the {seeds.articles} bundled pages (summarise.sources.seeds_path), body"
        " paragraphs only; 'without X' rows count the seed mentions X changes with the other"
        " rules on, 'X alone' rows what X changes on the tagger's own mentions"
    )
