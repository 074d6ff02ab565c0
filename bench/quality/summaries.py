"""Part 1: ROUGE of every registered summariser on BBC and CNN dev, same sentences for all."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.quality import rouge
from bench.quality.common import Table, jobs, mean, parallel_map, read_jsonl, split
from summarise.article import Article, Block
from summarise.nlp import Pipeline, analyse_many, load_pipeline

# How many summary/reference pairs per setting and chunk are re-scored with rouge-score's
# own scorer, as a guard on the fast path in bench.quality.rouge.
_CHECKED_PAIRS = 3
_KINDS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@dataclass
class Item:
    article: Article
    reference: str  # lines separated by "\n"
    reference_count: int  # sentences in the reference


@dataclass(frozen=True)
class Setting:
    label: str
    sentences: int | None  # None: as many as the reference has
    lsum: bool

    def budget(self, item: Item) -> int:
        return item.reference_count if self.sentences is None else self.sentences


def bbc_items(path: Path, limit: int | None) -> list[Item]:
    items = []
    for row in read_jsonl(path, limit):
        paragraphs = [line.strip() for line in row["body"].split("\n") if line.strip()]
        title = row["title"].strip()
        blocks = (Block("title", title), *(Block("body", text) for text in paragraphs))
        article = Article(key=f"bbc/{row['id']}", title=title, blocks=blocks, origin="jsonl")
        sentences = [s.strip() for s in row["summary_sentences"] if s.strip()]
        items.append(Item(article, "\n".join(sentences), len(sentences)))
    return items


def cnn_items(path: Path, limit: int | None) -> list[Item]:
    items = []
    for row in read_jsonl(path, limit):
        article = Article(
            key=f"cnn/{row['id']}",
            title="",
            blocks=(Block("body", row["text"].strip()),),
            origin="jsonl",
        )
        lines = [line.strip() for line in row["highlights"] if line.strip()]
        items.append(Item(article, "\n".join(lines), len(lines)))
    return items


@dataclass
class ChunkResult:
    """Per-article scores of one slice of a data set, for every setting and summariser."""

    sentence_counts: list[int] = field(default_factory=list)
    scores: dict[tuple[str, str], list[dict[str, float]]] = field(default_factory=dict)
    seconds: dict[tuple[str, str], float] = field(default_factory=dict)
    failures: dict[tuple[str, str], int] = field(default_factory=dict)


def _score_chunk(task: tuple[str | None, Sequence[Item], Sequence[Setting]]) -> ChunkResult:
    """Analyse a slice once, then summarise and score it with every summariser."""
    from summarise import summarisers

    model, items, settings = task
    pipeline = load_pipeline(model)
    analyses = list(analyse_many([item.article for item in items], pipeline))
    references = [rouge.Reference.of(item.reference) for item in items]
    result = ChunkResult(sentence_counts=[len(analysis.sentences) for analysis in analyses])
    for setting in settings:
        checked: list[tuple[str, list[str]]] = []
        for algorithm in summarisers.SUMMARISERS:
            # Identical selections score identically, and summarisers often agree.
            memo: dict[tuple[int, tuple[int, ...]], dict[str, float]] = {}
            scores = []
            spent = 0.0
            failed = 0
            for index, (item, analysis, reference) in enumerate(
                zip(items, analyses, references, strict=True)
            ):
                started = time.process_time()
                try:
                    summary = summarisers.summarise(
                        item.article, analysis, algorithm=algorithm, sentences=setting.budget(item)
                    )
                    chosen = tuple(summary.sentence_ids)
                except Exception:
                    failed += 1
                    chosen = ()
                spent += time.process_time() - started
                key = (index, chosen)
                if key not in memo:
                    body = item.article.body
                    texts = [
                        body[analysis.sentences[i].start : analysis.sentences[i].end]
                        for i in chosen
                    ]
                    memo[key] = rouge.scores(reference, texts, lsum=setting.lsum)
                    if len(checked) < _CHECKED_PAIRS and texts:
                        checked.append((item.reference, texts))
                scores.append(memo[key])
            result.scores[(setting.label, algorithm)] = scores
            result.seconds[(setting.label, algorithm)] = spent
            result.failures[(setting.label, algorithm)] = failed
        rouge.check_against_rouge_score(checked, lsum=setting.lsum)
    return result


def evaluate(
    name: str,
    items: Sequence[Item],
    settings: Sequence[Setting],
    pipeline: Pipeline,
    model: str | None,
) -> list[Table]:
    from summarise import summarisers

    slices = split(items, 4 * jobs())
    chunks: list[ChunkResult] = parallel_map(
        _score_chunk, [(model, chunk, settings) for chunk in slices]
    )
    sentence_counts = [count for chunk in chunks for count in chunk.sentence_counts]
    tables = []
    for setting in settings:
        kinds = [kind for kind in _KINDS if setting.lsum or kind != "rougeLsum"]
        rows = []
        failures = {}
        for algorithm in summarisers.SUMMARISERS:
            key = (setting.label, algorithm)
            scores = [score for chunk in chunks for score in chunk.scores[key]]
            seconds = sum(chunk.seconds[key] for chunk in chunks)
            failures[algorithm] = sum(chunk.failures[key] for chunk in chunks)
            row: list[object] = [_label(algorithm, summarisers.DEFAULT_ALGORITHM)]
            row += [mean([score[kind] for score in scores]) for kind in kinds]
            row.append(f"{1000 * seconds / max(len(items), 1):.1f}")
            rows.append(row)
        rows.sort(key=lambda row: -float(row[1]))  # type: ignore[arg-type]
        columns = ["summariser", "R-1", "R-2", "R-L"] + (["R-Lsum"] if setting.lsum else [])
        notes = [
            f"{len(items)} articles, {mean(sentence_counts):.1f} sentences per article"
            f" ({pipeline.fingerprint}); every summariser picks from the same sentences",
            "ROUGE F1 (rouge-score 0.1.2, use_stemmer=True), mean over articles; R-L is plain"
            " rougeL on the joined text"
            + (
                "; R-Lsum is rougeLsum with candidate and reference split at newlines"
                " (one sentence or highlight per line)"
                if setting.lsum
                else ""
            ),
            "CPU ms/doc: CPU time in summarise() per article (analysis excluded)",
        ]
        bad = {algorithm: count for algorithm, count in failures.items() if count}
        if bad:
            notes.append(
                "raised an error (scored as an empty summary): "
                + ", ".join(f"{algorithm} on {count} articles" for algorithm, count in bad.items())
            )
        tables.append(
            Table(f"summaries: {name}, {setting.label}", [*columns, "CPU ms/doc"], rows, notes)
        )
    return tables


def _label(algorithm: str, default: str) -> str:
    return f"{algorithm} (ours, default)" if algorithm == default else algorithm


def run(data: Path, limit: int | None, pipeline: Pipeline, model: str | None = None) -> list[Table]:
    bbc = bbc_items(data / "bbc-news-summary" / "dev.jsonl", limit)
    tables = evaluate(
        "BBC dev",
        bbc,
        [
            Setting("3 sentences", 3, lsum=False),
            Setting("reference's sentence count", None, lsum=False),
        ],
        pipeline,
        model,
    )
    cnn = cnn_items(data / "cnn" / "dev.jsonl", limit)
    tables += evaluate("CNN dev", cnn, [Setting("3 sentences", 3, lsum=True)], pipeline, model)
    return tables
