"""Ranking metrics over ranked id lists and gold id sets; each returns a value in [0, 1]."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def reciprocal_rank(ranked: Sequence[str], gold: Collection[str], k: int = 10) -> float:
    """1/rank of the first gold id within the top k, else 0."""
    for rank, item in enumerate(ranked[:k], start=1):
        if item in gold:
            return 1.0 / rank
    return 0.0


def hit_at(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    """1 when a gold id is in the top k."""
    return float(any(item in gold for item in ranked[:k]))


def average_precision(ranked: Sequence[str], gold: Collection[str], k: int = 100) -> float:
    """AP@k: mean precision at each gold hit in the top k, over min(|gold|, k)."""
    if not gold:
        return 0.0
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], start=1):
        if item in gold:
            hits += 1
            total += hits / rank
    return total / min(len(gold), k)


def precision_at(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    """Share of the top k that is gold (missing ranks count as misses)."""
    return sum(1 for item in ranked[:k] if item in gold) / k if k else 0.0


def r_precision(ranked: Sequence[str], gold: Collection[str], cap: int | None = None) -> float:
    """Precision at R = |gold| (or min(|gold|, cap))."""
    r = min(len(gold), cap) if cap else len(gold)
    return precision_at(ranked, gold, r)


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean; 0 for no values."""
    return sum(values) / len(values) if values else 0.0
