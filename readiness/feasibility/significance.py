"""Is the lift real? Permutation tests on out-of-fold predictions.

Refitting every model on hundreds of shuffled targets (``permutation_test_score``) costs hundreds
of cross-validations; here the out-of-fold predictions stay fixed and the true labels are shuffled
*within each test fold* instead. A model trained on other folds cannot know a test fold's labels,
so under "no relation between features and target" its test scores are exchangeable with the
shuffled labels: the share of shuffles scoring at least the observed mean fold metric is a valid
one-sided p-value, computed in a second: ROC-AUC (binary and one-vs-rest), macro-F1 and the mean
absolute error are all computed for a hundred shuffles at a time with array arithmetic.

Forecasts use a sign-flip test on the weekly mean loss differential between the model and
seasonal naive (weeks, not days, so the serial correlation inside a week stays intact).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

CHUNK = 100
METRICS = ("roc_auc", "roc_auc_ovr", "f1_macro", "neg_mean_absolute_error")


def _p_value(observed: float, null: np.ndarray) -> float:
    return float((1 + np.sum(null >= observed - 1e-12)) / (1 + len(null)))


def _shuffles(y: np.ndarray, n: int, rng: np.random.Generator):
    """Chunks of within-fold label shuffles, one row per shuffle; the first row of the first chunk is ``y``."""
    yield y[None, :]
    for start in range(0, n, CHUNK):
        yield rng.permuted(np.tile(y, (min(CHUNK, n - start), 1)), axis=1)


def _auc_rows(labels: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """ROC-AUC of each row of 0/1 ``labels`` against scores with the given ranks."""
    n1 = labels[0].sum()
    return (labels @ ranks - n1 * (n1 + 1) / 2) / (n1 * (labels.shape[1] - n1))


def _fold_stats(metric: str, y: np.ndarray, score: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """The metric on the true labels (first value) and on ``n`` shuffles of them (the rest)."""
    out = []
    if metric == "roc_auc":
        ranks = rankdata(score)
        out = [_auc_rows(rows.astype(float), ranks) for rows in _shuffles(y.astype(float), n, rng)]
    elif metric == "neg_mean_absolute_error":
        out = [-np.abs(rows - score).mean(axis=1) for rows in _shuffles(y.astype(float), n, rng)]
    elif metric == "roc_auc_ovr":  # macro mean of one-vs-rest AUCs, as scikit-learn computes it
        present = [c for c in range(score.shape[1]) if 0 < (y == c).sum() < len(y)]
        ranks = {c: rankdata(score[:, c]) for c in present}
        out = [np.mean([_auc_rows((rows == c).astype(float), ranks[c]) for c in present], axis=0)
               for rows in _shuffles(y, n, rng)]
    elif metric == "f1_macro":  # predicted labels stay fixed; F1 = 2 TP / (support + predicted)
        pred = score.argmax(axis=1)
        labels = np.union1d(np.unique(y), np.unique(pred))
        onehot = (pred[:, None] == labels[None, :]).astype(float)
        denom = (y[:, None] == labels).sum(axis=0) + onehot.sum(axis=0)
        out = [(2 * ((rows == pred).astype(float) @ onehot) / denom).mean(axis=1) for rows in _shuffles(y, n, rng)]
    return np.concatenate(out)


def permutation_p_value(y: np.ndarray, scores: np.ndarray, fold_of: np.ndarray, *, metric: str,
                        classes: list | None = None, n_permutations: int = 999,
                        seed: int = 42) -> tuple[float | None, int]:
    """One-sided p-value of the mean fold metric against within-fold label shuffles.

    Parameters
    ----------
    y : ndarray
        True values: 0/1, numbers, or class labels (with ``classes``).
    scores : ndarray
        Out-of-fold scores: P(positive), predictions, or class probabilities in ``classes`` order.
    fold_of : ndarray of int
        Test fold of each row, -1 for rows never tested (ignored).
    metric : {"roc_auc", "roc_auc_ovr", "f1_macro", "neg_mean_absolute_error"}
    classes : list, optional
        Column order of ``scores`` for the multiclass metrics.
    n_permutations : int
    seed : int

    Returns
    -------
    (float or None, int)
        The p-value (None when no fold can be scored) and the number of shuffles.

    Examples
    --------
    >>> y = np.array([0, 0, 0, 1, 1, 1] * 10)
    >>> s = y + np.linspace(0, 0.5, 60)  # ranks every positive above every negative
    >>> p, n = permutation_p_value(y, s, np.arange(60) % 2, metric="roc_auc", n_permutations=199)
    >>> p, n
    (0.005, 199)
    """
    if metric not in METRICS:
        raise ValueError(f"metric {metric!r} is not one of {METRICS}")
    if classes is not None:
        lookup = {c: i for i, c in enumerate(classes)}
        y = np.array([lookup[v] for v in y])
    rng = np.random.default_rng(seed)
    folds = [np.flatnonzero(fold_of == f) for f in np.unique(fold_of[fold_of >= 0])]
    if metric == "roc_auc":
        folds = [f for f in folds if 0 < y[f].sum() < len(f)]
    if not folds:
        return None, 0
    stats = np.mean([_fold_stats(metric, y[f], scores[f], n_permutations, rng) for f in folds], axis=0)
    return _p_value(stats[0], stats[1:]), n_permutations


def sign_flip_p_value(differences: np.ndarray, *, n_permutations: int = 9999, seed: int = 42) -> float | None:
    """One-sided p-value that the mean of ``differences`` (e.g. naive loss - model loss) is above zero.

    Each difference's sign is flipped at random; with 16 or fewer values every sign pattern is used.
    """
    d = np.asarray(differences, dtype=float)
    d = d[np.isfinite(d)]
    if not len(d):
        return None
    observed = d.mean()
    if len(d) <= 16:
        signs = 1 - 2 * ((np.arange(2 ** len(d))[:, None] >> np.arange(len(d))) & 1)
        null = (signs * d).mean(axis=1)
        return float(np.mean(null >= observed - 1e-12))
    rng = np.random.default_rng(seed)
    null = (rng.choice([-1.0, 1.0], size=(n_permutations, len(d))) * d).mean(axis=1)
    return _p_value(observed, null)
