"""Leakage: single features that give the answer away, and identifiers that carry the target.

Each feature is scored alone, out of fold: a number by the ROC-AUC of its raw value and of its
binned, target-encoded value (so a non-monotonic leak is caught too), a category by the ROC-AUC
of its out-of-fold target encoding (scikit-learn's ``TargetEncoder`` cross-fits internally). For
regression the score is the out-of-fold R2. A feature scoring above ``LEAK_AUC`` (``LEAK_R2``)
is a leak: flagged as FEAS_LABEL_LEAKAGE and excluded from every model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import TargetEncoder

from readiness.feasibility import codes
from readiness.feasibility.data import MISSING, Prepared
from readiness.profiling.profile import TableProfile
from readiness.results import Finding

LEAK_AUC = 0.95
LEAK_R2 = 0.9
ID_ASSOCIATION_AUC = 0.65
BINS = 20


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    a = float(roc_auc_score(y, score))
    return max(a, 1 - a)


def _encoded(values: pd.Series, y: np.ndarray, *, kind: str, seed: int) -> np.ndarray:
    """Out-of-fold target encoding of one categorical column."""
    target_type = {"classification": "binary" if set(np.unique(y)) <= {0, 1} else "multiclass",
                   "regression": "continuous"}[kind]
    col = values.astype(object).where(values.notna(), MISSING).astype(str).to_frame()
    folds = (KFold if kind == "regression" else StratifiedKFold)(5, shuffle=True, random_state=seed)
    encoder = TargetEncoder(target_type=target_type, cv=folds)
    return encoder.fit_transform(col, y)


def _binned(values: pd.Series) -> pd.Series:
    ranks = values.rank(method="dense")
    bins = pd.qcut(ranks, min(BINS, int(ranks.nunique())), labels=False, duplicates="drop")
    return bins.astype("Float64").astype(str)


def _score_encoded(encoded: np.ndarray, y: np.ndarray, kind: str) -> float:
    if kind == "regression":
        return float(r2_score(y, encoded[:, 0]))
    if encoded.shape[1] == 1:
        return _auc(y, encoded[:, 0])
    probs = np.clip(encoded, 1e-9, None)
    probs = probs / probs.sum(axis=1, keepdims=True)
    return float(roc_auc_score(y, probs, multi_class="ovr", labels=sorted(np.unique(y))))


def single_feature_scores(prep: Prepared, *, seed: int = 42) -> pd.DataFrame:
    """How well each feature alone predicts the target, out of fold.

    Returns
    -------
    DataFrame
        ``feature``, ``score`` and ``metric`` (``roc_auc`` or ``r2``), best first.
    """
    kind = prep.kind
    metric = "r2" if kind == "regression" else "roc_auc"
    rows = []
    for name in [*prep.numeric, *prep.categorical]:
        values = prep.X[name]
        if name in prep.numeric:
            scores = [_score_encoded(_encoded(_binned(values), prep.y, kind=kind, seed=seed), prep.y, kind)]
            filled = values.fillna(values.min() - 1 if values.notna().any() else 0).to_numpy()
            if kind == "regression":
                scores.append(float(np.corrcoef(filled, prep.y)[0, 1] ** 2) if np.std(filled) > 0 else 0.0)
            elif prep.positive:
                scores.append(_auc(prep.y, filled))
        else:
            scores = [_score_encoded(_encoded(values, prep.y, kind=kind, seed=seed), prep.y, kind)]
        rows.append({"feature": name, "score": max(scores), "metric": metric})
    frame = pd.DataFrame(rows, columns=["feature", "score", "metric"])
    return frame.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)


def leakage_findings(scores: pd.DataFrame, *, target: str) -> tuple[list[str], list[Finding]]:
    """Features that leak the target (to exclude) and a FEAS_LABEL_LEAKAGE finding for each."""
    leaks, found = [], []
    for row in scores.itertuples():
        limit = LEAK_R2 if row.metric == "r2" else LEAK_AUC
        if row.score > limit:
            leaks.append(row.feature)
            found.append(Finding(
                "error", codes.FEAS_LABEL_LEAKAGE,
                f"'{row.feature}' alone predicts '{target}' almost perfectly ({row.metric} {row.score:.3f} > "
                f"{limit}): it is probably recorded after the outcome, so it was excluded from every model.",
                row.feature, {row.metric: round(float(row.score), 4), "limit": limit}))
    return leaks, found


def identifier_findings(frame: pd.DataFrame, profile: TableProfile, prep: Prepared, *,
                        group_column: str | None, seed: int = 42) -> list[Finding]:
    """FEAS_IDENTIFIER_ASSOCIATION when an identifier's order, or its repeats, predict the target."""
    if prep.kind != "classification" or not prep.positive:
        return []
    found = []
    for name, col in profile.columns.items():
        if name == group_column or prep.excluded.get(name) != "identifier":
            continue
        values = frame[name].iloc[prep.row].astype("string").str.strip().reset_index(drop=True)
        order = _auc(prep.y, values.rank(method="average", na_option="bottom").to_numpy())
        shared = _score_encoded(_encoded(values, prep.y, kind="classification", seed=seed), prep.y,
                                "classification") if col.distinct < 0.9 * len(values) else 0.5
        if max(order, shared) <= ID_ASSOCIATION_AUC:
            continue
        how = ("its sort order" if order >= shared
               else "rows sharing an id share outcomes (give it as `group_column`)")
        found.append(Finding("warning", codes.FEAS_IDENTIFIER_ASSOCIATION,
                             f"The identifier '{name}' predicts the target through {how}: ROC-AUC "
                             f"{max(order, shared):.2f}; check how the extract was made.", name,
                             {"order_auc": round(order, 4), "shared_auc": round(shared, 4)}))
    return found
