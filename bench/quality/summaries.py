"""Part 1: ROUGE of every registered summariser on BBC and CNN dev, same sentences for all."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.quality import rouge
from bench.quality.common import Table, jobs, mean, parallel_map, read_jsonl, split
from summarise import newsrank
from summarise.article import Article, Block
from summarise.nlp import Pipeline, analyse_many, load_pipeline

# How many summary/reference pairs per setting and chunk are re-scored with rouge-score's
# own scorer, as a guard on the fast path in bench.quality.rouge.
_CHECKED_PAIRS = 3
_KINDS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
# Strengths of the news summariser's lead prior measured beside the default, to show
# what moving it trades between BBC (central sentences win) and CNN (the opening wins).
PRIOR_WEIGHTS = (0.0, 0.4, 0.8, 1.6, 3.2)


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
        if setting.sentences == 3:
            for weight in PRIOR_WEIGHTS:
                prior_settings = replace(newsrank.SETTINGS, position_weight=weight)
                scores = []
                for item, analysis, reference in zip(items, analyses, references, strict=True):
                    body = item.article.body
                    texts = [body[span.start : span.end] for span in analysis.sentences]
                    chosen = newsrank.news_summary(
                        item.article.title, texts, analysis, 3, prior_settings
                    )
                    scores.append(rouge.scores(reference, [texts[i] for i in chosen]))
                result.scores[(setting.label, _prior_key(weight))] = scores
        rouge.check_against_rouge_score(checked, lsum=setting.lsum)
    return result


def _prior_key(weight: float) -> str:
    return f"news, lead prior {weight:g}"


def evaluate(
    name: str,
    items: Sequence[Item],
    settings: Sequence[Setting],
    pipeline: Pipeline,
    model: str | None,
) -> tuple[list[Table], dict[tuple[str, str], list[dict[str, float]]]]:
    """Tables for ``name`` and every per-article score, in article order, by (setting, system)."""
    from summarise import summarisers

    slices = split(items, 4 * jobs())
    chunks: list[ChunkResult] = parallel_map(
        _score_chunk, [(model, chunk, settings) for chunk in slices]
    )
    sentence_counts = [count for chunk in chunks for count in chunk.sentence_counts]
    # Slices are contiguous, so joining them restores the articles' order.
    all_scores = {
        key: [score for chunk in chunks for score in chunk.scores[key]] for key in chunks[0].scores
    }
    tables = []
    for setting in settings:
        kinds = [kind for kind in _KINDS if setting.lsum or kind != "rougeLsum"]
        rows = []
        failures = {}
        for algorithm in summarisers.SUMMARISERS:
            key = (setting.label, algorithm)
            scores = all_scores[key]
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
    return tables, all_scores


def _means(scores: Sequence[dict[str, float]]) -> list[float]:
    return [mean([score[kind] for score in scores]) for kind in ("rouge1", "rouge2", "rougeL")]


def halves_table(
    name: str,
    label: str,
    all_scores: dict[tuple[str, str], list[dict[str, float]]],
) -> Table:
    """Ours, lead and the best sumy summariser on each half of the stories."""
    from summarise import summarisers

    peers = [a for a in summarisers.SUMMARISERS if a not in (summarisers.DEFAULT_ALGORITHM, "lead")]
    best_peer = max(peers, key=lambda a: mean([s["rouge1"] for s in all_scores[(label, a)]]))
    rows = []
    for algorithm in (summarisers.DEFAULT_ALGORITHM, "lead", best_peer):
        scores = all_scores[(label, algorithm)]
        row: list[object] = [_label(algorithm, summarisers.DEFAULT_ALGORITHM)]
        row += _means(scores[0::2]) + _means(scores[1::2])
        rows.append(row)
    columns = ["summariser", "A R-1", "A R-2", "A R-L", "B R-1", "B R-2", "B R-L"]
    notes = [
        "A = 1st, 3rd, 5th... story of the file, B = 2nd, 4th...; the news summariser's"
        " length damping was picked looking at A only, so B checks it on stories it was"
        " not picked on",
        "the peer shown is the sumy summariser with the best R-1 on all stories",
    ]
    return Table(f"summaries: {name}, {label}, held-back halves", columns, rows, notes)


def prior_table(
    bbc: dict[tuple[str, str], list[dict[str, float]]],
    cnn: dict[tuple[str, str], list[dict[str, float]]],
) -> Table:
    """What the lead prior's strength trades between BBC and CNN at 3 sentences."""
    label = "3 sentences"
    rows = []
    for weight in PRIOR_WEIGHTS:
        key = (label, _prior_key(weight))
        default = " (default)" if weight == newsrank.SETTINGS.position_weight else ""
        rows.append([f"{weight:g}{default}", *_means(bbc[key]), *_means(cnn[key])])
    for algorithm in ("lead", "reduction", "textrank"):
        key = (label, algorithm)
        rows.append([algorithm, *_means(bbc[key]), *_means(cnn[key])])
    columns = ["lead prior", "BBC R-1", "BBC R-2", "BBC R-L", "CNN R-1", "CNN R-2", "CNN R-L"]
    notes = [
        "the news summariser at 3 sentences with only the strength of its lead prior changed"
        " (position_weight; 0 is centrality alone), beside lead and the best BBC peers",
        "no strength reaches reduction on BBC, and below the default CNN falls to lead's"
        " level or under it",
    ]
    return Table("summaries: the lead prior, BBC against CNN at 3 sentences", columns, rows, notes)


def _label(algorithm: str, default: str) -> str:
    return f"{algorithm} (ours, default)" if algorithm == default else algorithm


def run(data: Path, limit: int | None, pipeline: Pipeline, model: str | None = None) -> list[Table]:
    bbc = bbc_items(data / "bbc-news-summary" / "dev.jsonl", limit)
    tables, bbc_scores = evaluate(
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
    cnn_tables, cnn_scores = evaluate(
        "CNN dev", cnn, [Setting("3 sentences", 3, lsum=True)], pipeline, model
    )
    tables += cnn_tables
    tables.append(halves_table("BBC dev", "3 sentences", bbc_scores))
    tables.append(halves_table("BBC dev", "reference's sentence count", bbc_scores))
    tables.append(halves_table("CNN dev", "3 sentences", cnn_scores))
    tables.append(prior_table(bbc_scores, cnn_scores))
    return tables
