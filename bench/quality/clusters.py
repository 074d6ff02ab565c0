"""B-cubed scoring and connected components, shared by the grouping benchmark."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np


def bcubed(
    predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster id) against gold."""
    items = list(gold)
    by_predicted: dict[Hashable, set[str]] = {}
    by_gold: dict[Hashable, set[str]] = {}
    for item in items:
        by_predicted.setdefault(predicted[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        mine = by_predicted[predicted[item]]
        true = by_gold[gold[item]]
        both = len(mine & true)
        precision += both / len(mine)
        recall += both / len(true)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def components(count: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Component label per node (union-find) for an undirected edge list."""
    parent = list(range(count))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in edges:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [root(node) for node in range(count)]


def threshold_clusters(similarity: np.ndarray, threshold: float) -> list[int]:
    """Connected components of the pairs whose similarity is at least ``threshold``."""
    upper = np.triu(similarity >= threshold, k=1)
    rows, cols = np.nonzero(upper)
    return components(similarity.shape[0], zip(rows.tolist(), cols.tolist(), strict=True))
