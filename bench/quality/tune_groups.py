"""Grouping settings picked on one half of the ECB+ dev topics, reported on the other.

``python -m bench.quality.tune_groups [--pick-on A|B]`` sweeps the weights and the
threshold on the chosen half, keeps the setting with the best F1 among those whose
precision reaches PRECISION_FIRST there (precision first: merging two events is the
worse mistake), and prints how that setting does on the half it never saw. The shipped
defaults in summarise/grouping.py are the setting picked on half A.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass

from bench.quality.clusters import bcubed
from bench.quality.common import data_root
from bench.quality.groups import Doc, build_articles, read_docs, topic_halves
from summarise.article import Analysis, Article
from summarise.grouping import DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, ScoredCorpus, Weights
from summarise.nlp import analyse_many, load_pipeline

# A setting is acceptable on the tuning half only at this precision or above.
PRECISION_FIRST = 0.95
THRESHOLDS = [float(t) for t in range(20, 62, 2)]
GRID = {
    "word_share": (0.3, 0.5, 0.7),
    "direct_share": (0.5, 0.6, 0.7, 0.8, 0.9),
    "link_ratio": (0.85, 0.95, 1.05),
    "year_penalty": (0.0, 0.3),
}


@dataclass(frozen=True)
class Outcome:
    weights: Weights
    threshold: float
    precision: float
    recall: float
    f1: float
    groups: int


class Half:
    """One half's articles, analyses and gold clusters."""

    def __init__(
        self, docs: Sequence[Doc], articles: Sequence[Article], analyses: dict[str, Analysis]
    ) -> None:
        self.articles = list(articles)
        self.analyses = analyses
        self.gold: dict[str, Hashable] = {doc.key: doc.cluster for doc in docs}

    def outcomes(self, weights: Weights, thresholds: Sequence[float]) -> Iterator[Outcome]:
        scored = ScoredCorpus(self.articles, self.analyses, weights)
        for threshold in thresholds:
            labels = {key: group.id for group in scored.groups(threshold) for key in group.members}
            precision, recall, f1 = bcubed(labels, self.gold)
            yield Outcome(weights, threshold, precision, recall, f1, len(set(labels.values())))


def _settings() -> Iterator[Weights]:
    names = list(GRID)
    for values in itertools.product(*(GRID[name] for name in names)):
        yield Weights(**dict(zip(names, values, strict=True)))


def pick(half: Half) -> Outcome:
    """The best F1 at or above PRECISION_FIRST precision (else the most precise setting)."""
    outcomes = [o for weights in _settings() for o in half.outcomes(weights, THRESHOLDS)]
    precise = [o for o in outcomes if o.precision >= PRECISION_FIRST]
    if precise:
        return max(precise, key=lambda o: (round(o.f1, 4), o.precision, -o.threshold))
    return max(outcomes, key=lambda o: (round(o.precision, 4), o.f1))


def _line(label: str, outcome: Outcome) -> str:
    return (
        f"{label:<34} thr {outcome.threshold:>4g}  P {outcome.precision:.3f}"
        f"  R {outcome.recall:.3f}  F1 {outcome.f1:.3f}  groups {outcome.groups}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pick-on", choices=("A", "B"), default="A")
    parser.add_argument("--data")
    args = parser.parse_args(argv)
    docs = read_docs(data_root(args.data) / "ecbplus" / "dev.jsonl", None)
    built, _ = build_articles(docs)
    analyses = {a.article_id: a for a in analyse_many(built, load_pipeline())}
    by_key = {doc.key: article for doc, article in zip(docs, built, strict=True)}
    halves = {}
    for name, half_docs in zip("AB", topic_halves(docs), strict=True):
        chosen = [by_key[doc.key] for doc in half_docs]
        halves[name] = Half(half_docs, chosen, {a.id: analyses[a.id] for a in chosen})
    tuned, other = halves[args.pick_on], halves["B" if args.pick_on == "A" else "A"]
    best = pick(tuned)
    held_back = next(other.outcomes(best.weights, [best.threshold]))
    print(f"picked on {args.pick_on}: {best.weights}")
    print(_line(f"on {args.pick_on} (tuned)", best))
    print(_line("on the other half (never seen)", held_back))
    for name, half in halves.items():
        outcome = next(half.outcomes(DEFAULT_WEIGHTS, [float(DEFAULT_THRESHOLD)]))
        print(_line(f"shipped settings on {name}", outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
