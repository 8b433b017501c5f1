"""A suspected leak: a cross-validated score too good to be real, and the features behind it.

The single-feature screen (:mod:`readiness.feasibility.leakage`) catches a column that gives the
answer away on its own. A leak can also hide in a combination (a status date read against the
arrival date), so the score of the whole model is checked too: a ROC-AUC above
:data:`SUSPECT_AUC` (an R2 above :data:`SUSPECT_R2`) after every exclusion is rarely real in a
service business's data. It blocks the verdict, and the suspects are ranked by how much each alone
adds to the score: the drop in the primary metric on a held-out fold when that feature's values
are shuffled (permutation importance), averaged over a few shuffles.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from readiness.feasibility import codes
from readiness.feasibility.data import Prepared
from readiness.feasibility.models import PRIMARY, CrossValidation, fold_metrics, predict_scores
from readiness.results import Finding

SUSPECT_AUC = 0.97  # a cross-validated ROC-AUC above this is rarely real
SUSPECT_R2 = 0.95
SHUFFLES = 3
TOP_SUSPECTS = 5


def leak_suspected(task: str, *, value: float | None, r2: float | None = None) -> bool:
    """True when the best model's cross-validated score is too good to be real."""
    if task in ("binary", "multiclass"):
        return value is not None and value > SUSPECT_AUC
    if task == "regression":
        return r2 is not None and r2 > SUSPECT_R2
    return False


def rank_suspects(prep: Prepared, model: Pipeline, cv: CrossValidation, *, seed: int) -> list[dict[str, float]]:
    """Features ranked by how much each alone adds to the score, largest first (those that add nothing left out).

    The model is refitted on the last training fold; each feature's values are shuffled in that
    fold's test rows and the primary metric recomputed.

    Returns
    -------
    list of dict
        ``{"feature": name, "adds": metric drop}`` for the :data:`TOP_SUSPECTS` largest drops.
    """
    primary = PRIMARY[cv.task]
    train, test = cv.splits[-1]
    fitted = clone(model).fit(prep.X.iloc[train], prep.y[train])
    X_test, y_test = prep.X.iloc[test].reset_index(drop=True), prep.y[test]

    def score(frame) -> float:
        value = fold_metrics(cv.task, y_test, predict_scores(fitted, frame, cv.task, cv.classes), cv.classes)[primary]
        return -value if primary.startswith("neg_") else value

    base = score(X_test)
    rng = np.random.default_rng(seed)
    found = []
    for feature in prep.X.columns:
        drops = []
        for _ in range(SHUFFLES):
            shuffled = X_test.copy()
            shuffled[feature] = shuffled[feature].to_numpy()[rng.permutation(len(shuffled))]
            drops.append(base - score(shuffled))
        adds = float(np.nanmean(drops))
        if adds > 0:
            found.append({"feature": str(feature), "adds": adds})
    return sorted(found, key=lambda s: -s["adds"])[:TOP_SUSPECTS]


def suspect_finding(task: str, *, metric: str, value: float, suspects: list[dict[str, float]]) -> Finding:
    """FEAS_LEAKAGE_SUSPECT (error): the score, the limit and the suspects ranked."""
    limit = SUSPECT_R2 if task == "regression" else SUSPECT_AUC
    name = metric.removeprefix("neg_").replace("_", " ")
    listed = ", ".join(f"'{s['feature']}' (+{s['adds']:.3f})" for s in suspects)
    which = (f" The features that add most on their own: {listed}; check when each is recorded and leave out any "
             "written after the outcome (`exclude`)." if suspects else "")
    return Finding("error", codes.FEAS_LEAKAGE_SUSPECT,
                   f"A cross-validated {name} of {value:.3f} is rarely real in this kind of problem: a feature "
                   f"probably carries the outcome, so the verdict is not_yet and no decision is valued.{which}",
                   suspects[0]["feature"] if suspects else None,
                   {"metric": metric, "value": value, "limit": limit, "suspects": suspects})
