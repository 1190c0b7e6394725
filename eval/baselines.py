"""Baselines: TF-IDF over the same label/title rows, and plain MiniLM cosine to preferred labels only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

Ranked = list[list[tuple[int, float]]]
CHUNK = 256


def top_owners(scores: np.ndarray, owner: np.ndarray, k: int) -> Ranked:
    """Best k owners per query row of a (queries, rows) score matrix; rows sorted by owner; max per owner."""
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    per_owner = np.maximum.reduceat(scores, starts, axis=1)
    owners = owner[starts]
    out: Ranked = []
    for row in per_owner:
        top = np.argsort(-row, kind="stable")[:k]
        out.append([(int(owners[i]), float(row[i])) for i in top])
    return out


class Tfidf:
    """Word uni+bigram TF-IDF (sublinear tf) fitted on the index rows; cosine, best row per owner."""

    def __init__(self, texts: Sequence[str], owner: np.ndarray):
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self.rows = self.vectorizer.fit_transform(texts)
        self.owner = owner

    def rank(self, queries: Sequence[str], k: int) -> Ranked:
        """Best k owners per query."""
        q = self.vectorizer.transform(queries)
        out: Ranked = []
        for start in range(0, q.shape[0], CHUNK):
            scores = (q[start : start + CHUNK] @ self.rows.T).toarray().astype(np.float32)
            out.extend(top_owners(scores, self.owner, k))
        return out


class Dense:
    """Cosine of query vectors to one vector per owner (e.g. preferred labels only)."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors

    def rank(self, queries: np.ndarray, k: int) -> Ranked:
        """Best k owners per query vector."""
        out: Ranked = []
        for start in range(0, len(queries), CHUNK):
            scores = queries[start : start + CHUNK] @ self.vectors.T
            out.extend(top_owners(scores, np.arange(len(self.vectors)), k))
        return out
