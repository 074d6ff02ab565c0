"""Grouping speed beside its peers on the same articles, per corpus size, with peak memory.

Each size runs in its own process (so its peak RSS is its own): the corpus is built in
memory (bench/speed/big_corpus.py), then ours, all-pairs rapidfuzz and datasketch's
MinHashLSH run back to back on the same articles. No spaCy analyses: at these sizes
grouping falls back to capitalised names, as it does for any article not yet analysed.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# Above this many articles all pairs are timed on a sample of rows and extrapolated.
ALL_PAIRS_LIMIT = 2000
# About this many comparisons are timed when sampling (each row against every article).
SAMPLED_COMPARISONS = 1_000_000
# MinHash reads about as much of each text as our grouping does.
MINHASH_CHARS = 2400
SHINGLE = 5


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ours(articles: Sequence[object]) -> tuple[float, list[tuple[str, str]], int]:
    from summarise.grouping import ScoredCorpus

    started = time.perf_counter()
    scored = ScoredCorpus(articles, {})  # type: ignore[arg-type]
    scored.groups()
    seconds = time.perf_counter() - started
    return seconds, scored.candidate_pairs, scored.scored_pairs


def _all_pairs(texts: Sequence[str]) -> tuple[float, str]:
    from bench.quality.groups import fuzz_scores

    sample = max(10, SAMPLED_COMPARISONS // len(texts))
    rows = texts if len(texts) <= ALL_PAIRS_LIMIT else texts[:sample]
    started = time.perf_counter()
    fuzz_scores(rows, texts, workers=1, dtype=np.uint8)
    seconds = time.perf_counter() - started
    if len(rows) == len(texts):
        return seconds, "all pairs"
    return seconds * len(texts) / len(rows), f"{len(rows)} rows x all, extrapolated"


def _minhash(texts: Sequence[str]) -> float:
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    shingles = []
    for text in texts:
        words = text[:MINHASH_CHARS].lower().split()
        grams = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words))}
        shingles.append(list(grams))
    hashes = MinHash.bulk(shingles, num_perm=128)
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    with lsh.insertion_session() as session:
        for index, minhash in enumerate(hashes):
            session.insert(index, minhash)
    for minhash in hashes:
        lsh.query(minhash)
    return time.perf_counter() - started


def measure(data: Path, size: int) -> dict[str, object]:
    """One size, in this process: ours first (so the peak is ours), then the peers."""
    from bench.speed.big_corpus import big_corpus

    corpus = big_corpus(data, size)
    for article in corpus.articles:
        article.id  # noqa: B018 - a loaded library already knows its articles' ids
    texts = [article.title + "\n" + article.body for article in corpus.articles]
    before = _peak_mib()
    ours, candidates, scored = _ours(corpus.articles)
    peak = _peak_mib()
    story = {article.key: s for article, s in zip(corpus.articles, corpus.story_of, strict=True)}
    sizes = Counter(corpus.story_of)
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    found = sum(1 for a, b in candidates if story[a] == story[b])
    fuzz_seconds, fuzz_how = _all_pairs(texts)
    return {
        "size": size,
        "stories": corpus.stories,
        "editions": corpus.editions,
        "ours": ours,
        "candidates": len(candidates),
        "scored": scored,
        "recall": found / true_pairs if true_pairs else 1.0,
        "peak_mib": peak,
        "corpus_mib": before,
        "fuzz": fuzz_seconds,
        "fuzz_how": fuzz_how,
        "minhash": _minhash(texts),
    }


def report(data: Path, sizes: Sequence[int]) -> str:
    from bench.quality.groups import FUZZ_PREFIX

    results = []
    for size in sizes:
        command = [sys.executable, "-m", "bench.speed.grouping", str(data), str(size)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.splitlines()[-1]))
    lines = [
        "grouping, BBC+CNN stories and reworded copies, no spaCy analyses (capitalised names):",
        f"{'articles':>8}  {'ours s':>7}  {'all-pairs rapidfuzz s':>22}  {'ours/rf':>7}"
        f"  {'MinHashLSH s':>12}  {'ours/lsh':>8}  {'growth':>6}  {'pairs/art':>9}"
        f"  {'copy recall':>11}  {'peak RSS':>9}",
    ]
    previous = None
    for row in results:
        growth = (
            f"{row['ours'] / previous['ours']:.1f}x" if previous else "-"
        )  # time ratio to the previous size
        lines.append(
            f"{row['size']:>8}  {row['ours']:>7.2f}  {row['fuzz']:>22.1f}"
            f"  {row['ours'] / row['fuzz']:>7.3f}  {row['minhash']:>12.2f}"
            f"  {row['ours'] / row['minhash']:>8.2f}  {growth:>6}"
            f"  {row['scored'] / row['size']:>9.1f}  {row['recall']:>11.3f}"
            f"  {row['peak_mib']:>6.0f} MiB"
        )
        previous = row
    for row in results:
        lines.append(
            f"  * {row['size']}: {row['stories']} stories in {row['editions']} edition(s);"
            f" rapidfuzz {row['fuzz_how']} (token_set_ratio, first {FUZZ_PREFIX} chars,"
            f" 1 worker); MinHashLSH 128 perms, {SHINGLE}-word shingles, threshold 0.3, build"
            " + query"
        )
    by_size = {row["size"]: row for row in results}
    goals = [("10k in 3 s or less", 10_000, 3.0), ("100k in 60 s or less", 100_000, 60.0)]
    for label, size, limit in goals:
        if size in by_size:
            seconds = by_size[size]["ours"]
            verdict = "met" if seconds <= limit else "not met"
            lines.append(f"  * goal {label}: {seconds:.1f} s, {verdict}")
    for row in results:
        own = row["peak_mib"] - row["corpus_mib"]
        verdict = "met" if own <= 2048 else "not met"
        lines.append(
            f"  * goal 2 GB or less at {row['size']}: grouping's own peak {own:.0f} MiB"
            f" (peak RSS {row['peak_mib']:.0f} MiB less the corpus in memory"
            f" {row['corpus_mib']:.0f} MiB), {verdict}"
        )
    lines.append(
        "  * growth: our time over the previous size's (linear = the size ratio);"
        " pairs/art: pairs scored per article; copy recall: share of true copy pairs"
        " among our candidate pairs"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))))
