"""Part 4: real web pages. (a) do summary sentences of a copied page come from the article
body? (b) how close is the body extracted from the saved HTML to the true body?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.quality.common import Table, harmonic, jobs, mean, parallel_map, read_jsonl, split, words
from summarise.article import Analysis, Article, Block
from summarise.nlp import Pipeline, analyse_many
from summarise.text import words as tokens

_SENTENCES = 3


@dataclass
class Page:
    url: str
    body: str
    html_path: Path
    text_path: Path


def read_pages(root: Path, limit: int | None) -> list[Page]:
    folder = root / "web-pages"
    pages = []
    for row in read_jsonl(folder / "dev.jsonl", limit):
        # `html` and `text_file` hold paths relative to the data folder, not contents.
        pages.append(Page(row["url"], row["body"], folder / row["html"], folder / row["text_file"]))
    return pages


def _normalised(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def inside(sentence: str, body: str) -> bool:
    """True when the sentence's words occur, in order and contiguous, in the body."""
    wanted = _normalised(sentence)
    return wanted.strip() != "" and wanted in body


@dataclass
class Tally:
    chosen: int = 0
    hits: int = 0
    pages_all_in: int = 0
    pages: int = 0
    failures: int = 0

    def add(self, sentences: Sequence[str], body: str) -> None:
        found = sum(inside(sentence, body) for sentence in sentences)
        self.chosen += len(sentences)
        self.hits += found
        self.pages += 1
        self.pages_all_in += bool(sentences) and found == len(sentences)

    def row(self, name: str) -> list[object]:
        share = self.hits / self.chosen if self.chosen else 0.0
        return [name, self.chosen, share, f"{self.pages_all_in}/{self.pages}"]


def raw_article(key: str, text: str) -> Article:
    """The page text with no structure analysis: every non-empty line a paragraph."""
    lines = tuple(Block("body", line.strip()) for line in text.splitlines() if line.strip())
    return Article(key=key, title="", blocks=lines, origin="txt")


def _sumy_pick(article: Article, analysis: Analysis, kind: str) -> list[str]:
    """Plain sumy (TextRank or LexRank) over our sentences; words from text.words."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    class Words:
        def to_words(self, text: str) -> list[str]:
            return tokens(text)

    body = article.body
    texts = [body[span.start : span.end] for span in analysis.sentences]
    if not texts:
        return []
    tokenizer = Words()
    document = ObjectDocumentModel((Paragraph([Sentence(text, tokenizer) for text in texts]),))
    summariser_class = TextRankSummarizer if kind == "textrank" else LexRankSummarizer
    summariser = summariser_class(Stemmer("english"))
    summariser.stop_words = get_stop_words("english")
    chosen = summariser(document, _SENTENCES)
    return [str(sentence) for sentence in chosen]


def first_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if words(line)][:_SENTENCES]


SYSTEMS = (
    "ours: .txt loaded + structure",
    "ours on raw lines, no structure",
    "sumy TextRank on raw text",
    "sumy LexRank on raw text",
    "first three lines",
)


@dataclass
class PageChoices:
    """The sentences each system picked from one page (None: the page did not load)."""

    picks: dict[str, list[str] | None]
    problems: int


def _choose(task: tuple[str | None, Sequence[Page]]) -> list[PageChoices]:
    from summarise import sources, summarisers
    from summarise.nlp import load_pipeline

    model, pages = task
    pipeline = load_pipeline(model)
    default = summarisers.DEFAULT_ALGORITHM
    loaded: list[Article | None] = []
    problem_counts = []
    for page in pages:
        problems: list[sources.LoadProblem] = []
        articles = sources.load_articles([page.text_path], problems)
        problem_counts.append(len(problems))
        loaded.append(articles[0] if articles else None)
    texts = [page.text_path.read_text(encoding="utf-8", errors="replace") for page in pages]
    raws = [raw_article(f"raw/{index}", text) for index, text in enumerate(texts)]
    structured = iter(analyse_many([a for a in loaded if a is not None], pipeline))
    results = []
    for article, raw, raw_analysis, text, problems_seen in zip(
        loaded, raws, analyse_many(raws, pipeline), texts, problem_counts, strict=True
    ):
        picks: dict[str, list[str] | None] = {}
        if article is None:
            picks[SYSTEMS[0]] = None
        else:
            analysis = next(structured)
            summary = summarisers.summarise(article, analysis, default, sentences=_SENTENCES)
            picks[SYSTEMS[0]] = summary.sentences(article, analysis)
        summary = summarisers.summarise(raw, raw_analysis, default, sentences=_SENTENCES)
        picks[SYSTEMS[1]] = summary.sentences(raw, raw_analysis)
        picks[SYSTEMS[2]] = _sumy_pick(raw, raw_analysis, "textrank")
        picks[SYSTEMS[3]] = _sumy_pick(raw, raw_analysis, "lexrank")
        picks[SYSTEMS[4]] = first_lines(text)
        results.append(PageChoices(picks, problems_seen))
    return results


def summary_sources(pages: list[Page], model: str | None) -> Table:
    from summarise import summarisers

    default = summarisers.DEFAULT_ALGORITHM
    tallies = {name: Tally() for name in SYSTEMS}
    slices = split(pages, 4 * jobs())
    chosen = [
        page for part in parallel_map(_choose, [(model, part) for part in slices]) for page in part
    ]
    problems_seen = 0
    for page, choices in zip(pages, chosen, strict=True):
        body = _normalised(page.body)
        problems_seen += choices.problems
        for name, picks in choices.picks.items():
            if picks is None:
                tallies[name].failures += 1
            tallies[name].add(picks or [], body)
    notes = [
        f"{len(pages)} pages; `text_file` is the whole page as text (menus, captions, footers)",
        "a sentence is inside when its lower-cased word sequence occurs in the lower-cased"
        " word sequence of `body`; a sentence without words counts as outside",
        "ours: sources.load_articles on the .txt file (ingest.build.build_article), then"
        f" summarise(..., '{default}', sentences=3)",
        "raw: every non-empty line of the file a paragraph, sentences from our spaCy pipeline;"
        " sumy fed those sentences (words from text.words, sumy's English stemmer and stop"
        f" words); first three lines: the first three lines with a word; ours = '{default}'",
    ]
    failures = tallies[SYSTEMS[0]].failures
    if problems_seen or failures:
        notes.append(f"load problems: {problems_seen}; pages without an article: {failures}")
    return Table(
        "cleaning: web pages, summary sentences inside the true body",
        ["system", "sentences", "share inside", "pages all inside"],
        [tally.row(name) for name, tally in tallies.items()],
        notes,
    )


def bag_f1(predicted: str, gold: str) -> tuple[float, float, float]:
    mine, true = Counter(words(predicted)), Counter(words(gold))
    common = sum((mine & true).values())
    precision = common / sum(mine.values()) if mine else 0.0
    recall = common / sum(true.values()) if true else 0.0
    return precision, recall, harmonic(precision, recall)


def extraction(pages: list[Page]) -> Table:
    import trafilatura

    from summarise import sources

    results: dict[str, list[tuple[float, float, float]]] = {
        "ours: sources HTML path, article body": [],
        "trafilatura.extract (defaults)": [],
        "whole page text (`text_file`)": [],
    }
    names = list(results)
    empty = Counter()
    for page in pages:
        problems: list[sources.LoadProblem] = []
        articles = sources.load_articles([page.html_path], problems)
        ours = articles[0].body if articles else ""
        extracted = trafilatura.extract(page.html_path.read_bytes()) or ""
        whole = page.text_path.read_text(encoding="utf-8", errors="replace")
        for name, text in zip(names, (ours, extracted, whole), strict=True):
            empty[name] += not text.strip()
            results[name].append(bag_f1(text, page.body))
    rows = []
    for name, values in results.items():
        rows.append([name, *(mean([value[i] for value in values]) for i in range(3)), empty[name]])
    return Table(
        "cleaning: web pages, body extracted from the saved HTML",
        ["system", "P", "R", "F1", "empty"],
        rows,
        [
            f"{len(pages)} pages; bag-of-words precision/recall/F1 of lower-cased word tokens"
            " against `body`, averaged over pages (an empty extraction scores 0)",
            "`html` holds a path (html/<id>.html) to the saved page; ours loads it with"
            " sources.load_articles and keeps Article.body (body blocks only)",
        ],
    )


def run(data: Path, limit: int | None, pipeline: Pipeline, model: str | None = None) -> list[Table]:
    pages = read_pages(data, limit)
    return [summary_sources(pages, model), extraction(pages)]
