"""ROUGE F1 exactly as rouge-score 0.1.2 computes it, with the slow parts done once.

rouge-score re-tokenises and re-stems the reference for every call and fills a full
LCS table in pure Python; with ten summarisers, two budgets and ~3,000 articles that
alone would take longer than the whole run may. So references are tokenised once,
stems are memoised, and ROUGE-L's LCS length comes from a bit-parallel algorithm.
``check_against_rouge_score`` compares the figures with rouge-score's own scorer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from nltk.stem import porter
from rouge_score import rouge_scorer, scoring, tokenize


class _MemoStemmer:
    """Porter stemming (as rouge-score's use_stemmer=True) with a cache."""

    def __init__(self) -> None:
        self._stemmer = porter.PorterStemmer()
        self._seen: dict[str, str] = {}

    def stem(self, word: str) -> str:
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._stemmer.stem(word)
        return found


_STEMMER = _MemoStemmer()


def rouge_tokens(text: str) -> list[str]:
    return tokenize.tokenize(text, _STEMMER)


def lcs_length(first: list[str], second: list[str]) -> int:
    """Length of the longest common subsequence (Allison-Dix / Hyyrö bit vectors)."""
    if not first or not second:
        return 0
    masks: dict[str, int] = {}
    for position, token in enumerate(first):
        masks[token] = masks.get(token, 0) | (1 << position)
    full = (1 << len(first)) - 1
    row = full
    for token in second:
        matches = row & masks.get(token, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(first) - row.bit_count()


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _ngram_f1(reference: Counter[tuple[str, ...]], candidate: Counter[tuple[str, ...]]) -> float:
    overlap = sum(min(count, candidate[gram]) for gram, count in reference.items())
    precision = overlap / max(sum(candidate.values()), 1)
    recall = overlap / max(sum(reference.values()), 1)
    return scoring.fmeasure(precision, recall)


@dataclass
class Reference:
    """A reference summary tokenised once: whole text and per line (for ROUGE-Lsum)."""

    tokens: list[str]
    lines: list[list[str]]
    unigrams: Counter[tuple[str, ...]]
    bigrams: Counter[tuple[str, ...]]

    @classmethod
    def of(cls, text: str) -> Reference:
        tokens = rouge_tokens(text)
        lines = [rouge_tokens(line) for line in text.split("\n") if line]
        return cls(tokens, lines, _ngrams(tokens, 1), _ngrams(tokens, 2))


def scores(reference: Reference, sentences: list[str], lsum: bool = False) -> dict[str, float]:
    """F1 of rouge1, rouge2, rougeL (candidate = sentences joined) and optionally rougeLsum.

    rougeLsum treats each candidate sentence and each reference line as a sentence, as
    rouge-score does for newline-separated text.
    """
    tokens = rouge_tokens("\n".join(sentences))
    result = {
        "rouge1": _ngram_f1(reference.unigrams, _ngrams(tokens, 1)),
        "rouge2": _ngram_f1(reference.bigrams, _ngrams(tokens, 2)),
    }
    if tokens and reference.tokens:
        common = lcs_length(reference.tokens, tokens)
        result["rougeL"] = scoring.fmeasure(common / len(tokens), common / len(reference.tokens))
    else:
        result["rougeL"] = 0.0
    if lsum:
        candidate_lines = [rouge_tokens(s) for s in "\n".join(sentences).split("\n") if s]
        result["rougeLsum"] = rouge_scorer._summary_level_lcs(
            reference.lines, candidate_lines
        ).fmeasure
    return result


def check_against_rouge_score(pairs: list[tuple[str, list[str]]], lsum: bool) -> None:
    """Raise if these figures differ from rouge-score's RougeScorer on ``pairs``."""
    types = ["rouge1", "rouge2", "rougeL"] + (["rougeLsum"] if lsum else [])
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=True)
    for reference_text, sentences in pairs:
        expected = scorer.score(reference_text, "\n".join(sentences))
        ours = scores(Reference.of(reference_text), sentences, lsum=lsum)
        for name in types:
            if abs(expected[name].fmeasure - ours[name]) > 1e-9:
                raise AssertionError(
                    f"{name}: rouge-score gives {expected[name].fmeasure}, bench gives {ours[name]}"
                )
