"""Checks made before any model: labels, class balance, sample size, duplicates, usable features.

Sample size follows two published rules for a binary outcome: at least 10 events (rows of the
rarer class) per candidate model parameter, and the three criteria of Riley et al. (2020),
"Calculating the sample size required for developing a clinical prediction model", BMJ 368:m441:
(1) expected uniform shrinkage of at least 0.9, (2) at most 0.05 optimism in Nagelkerke R2, and
(3) the overall risk estimated within +/- 0.05.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from readiness.feasibility import codes
from readiness.feasibility.data import Prepared, usable
from readiness.results import Finding

MIN_ROWS = 30
EVENTS_PER_PARAMETER = 10
MIN_TEXT_CLASS_ROWS = 20
UNLABELLED_WARNING = 0.05
IMBALANCE_WARNING = 0.05
DUPLICATE_WARNING = 0.01


def label_checks(prep: Prepared, *, target: str) -> list[Finding]:
    """Blocking label problems (none, one class, too few rows) and the unlabelled share."""
    unlabelled = prep.rows_total - prep.labelled
    found: list[Finding] = []
    if unlabelled:
        share = unlabelled / max(1, prep.rows_total)
        found.append(Finding("warning" if share >= UNLABELLED_WARNING else "info", codes.FEAS_UNLABELLED_ROWS,
                             f"'{target}' is empty on {unlabelled:,} of {prep.rows_total:,} rows ({share:.1%}); "
                             "those rows are left out.", target, {"rows": unlabelled, "share": share}))
    if prep.labelled == 0:
        return [*found, Finding("error", codes.FEAS_NO_LABELS,
                                f"'{target}' holds no value on any of the {prep.rows_total:,} rows: there is "
                                "nothing to learn from; record the outcome first.", target,
                                {"rows": prep.rows_total})]
    if prep.kind != "regression" and len(prep.classes) < 2:
        return [*found, Finding("error", codes.FEAS_SINGLE_CLASS,
                                f"Every labelled row of '{target}' has the same value, so there is nothing to "
                                "predict; the extract may be filtered to one outcome.", target,
                                {"classes": len(prep.classes), "rows": prep.labelled})]
    if prep.labelled < MIN_ROWS:
        return [*found, Finding("error", codes.FEAS_TOO_FEW_ROWS,
                                f"Only {prep.labelled} labelled rows (at least {MIN_ROWS} are needed to "
                                "cross-validate anything).", target, {"rows": prep.labelled, "minimum": MIN_ROWS})]
    return found + _imbalance(prep, target)


def _imbalance(prep: Prepared, target: str) -> list[Finding]:
    if prep.kind == "regression":
        return []
    counts = pd.Series(prep.y).value_counts()
    share = float(counts.min() / counts.sum())
    if share >= IMBALANCE_WARNING:
        return []
    rare = prep.classes[int(counts.idxmin())] if prep.positive else str(counts.idxmin())
    return [Finding("warning", codes.FEAS_CLASS_IMBALANCE,
                    f"The rarest class of '{target}' ('{rare}') is {share:.1%} of the labelled rows: accuracy "
                    "misleads; judge by ROC-AUC, PR-AUC (against its baseline) or balanced accuracy.", target,
                    {"rarest_share": share, "rarest_rows": int(counts.min())})]


def feature_checks(prep: Prepared) -> list[Finding]:
    """Drop features constant on the labelled rows; FEAS_NO_USABLE_FEATURES when none is left."""
    if prep.kind == "text_classification":
        filled = int((pd.Series(prep.X[prep.text]).str.strip() != "").sum())
        if filled:
            return []
        return [Finding("error", codes.FEAS_NO_USABLE_FEATURES, f"The text column '{prep.text}' is empty on "
                        "every labelled row.", prep.text, {"rows": prep.labelled})]
    keep = usable(prep.X)
    constant = [c for c in prep.X.columns if c not in keep]
    prep.drop_features(constant, "constant")
    found = [Finding("info", codes.FEAS_CONSTANT_COLUMN, f"'{c}' has a single value on the labelled rows and "
                     "was left out.", c, {"reason": "constant"}) for c in constant]
    if not keep:
        found.append(Finding("error", codes.FEAS_NO_USABLE_FEATURES,
                             "No usable feature is left (every candidate is constant, an identifier, personal "
                             "data, free text or a leak); add columns that describe the case before the outcome.",
                             None, {"excluded": dict(prep.excluded)}))
    return found


def duplicate_checks(prep: Prepared) -> list[Finding]:
    """FEAS_DUPLICATE_ROWS when more than 1 % of labelled rows repeat another exactly (features and label)."""
    if prep.X.empty:
        return []
    both = prep.X.assign(__label=prep.y)
    dup = int(both.duplicated().sum())
    share = dup / max(1, len(both))
    if share <= DUPLICATE_WARNING:
        return []
    return [Finding("warning", codes.FEAS_DUPLICATE_ROWS,
                    f"{dup:,} labelled rows ({share:.1%}) repeat another row exactly: copies can land on both "
                    "sides of a fold and flatter the scores; remove true duplicates at the source.", None,
                    {"rows": dup, "share": share})]


@dataclass(frozen=True)
class RileySampleSize:
    """Riley et al. (2020) minimum sample size for a binary-outcome model, per criterion."""

    shrinkage: int
    optimism: int
    intercept: int
    r2_cs: float
    max_r2_cs: float

    @property
    def n(self) -> int:
        """The minimum sample size: the largest of the three criteria."""
        return max(self.shrinkage, self.optimism, self.intercept)


def max_r2_cs(prevalence: float) -> float:
    """The largest Cox-Snell R2 a binary outcome with this prevalence allows."""
    p = prevalence
    return 1 - math.exp(2 * (p * math.log(p) + (1 - p) * math.log(1 - p)))


def riley_sample_size(parameters: int, prevalence: float, *, r2_cs: float | None = None, shrinkage: float = 0.9,
                      delta: float = 0.05, margin: float = 0.05) -> RileySampleSize:
    """Riley et al.'s three criteria for developing a logistic prediction model.

    Parameters
    ----------
    parameters : int
        Candidate predictor parameters.
    prevalence : float
        Share of events, strictly between 0 and 1.
    r2_cs : float, optional
        Anticipated Cox-Snell R2; defaults to 15 % of its maximum (Riley et al.'s conservative choice
        when nothing better is known).
    shrinkage, delta, margin : float
        Target shrinkage, allowed optimism in Nagelkerke R2, margin of error of the overall risk.

    Examples
    --------
    >>> riley_sample_size(24, 0.174, r2_cs=0.288).shrinkage  # Riley et al.'s worked example
    623
    """
    top = max_r2_cs(prevalence)
    r2 = 0.15 * top if r2_cs is None else r2_cs

    def rows_for(s: float) -> int:
        return math.ceil(parameters / ((s - 1) * math.log(1 - r2 / s)))

    s_optimism = r2 / (r2 + delta * top)
    intercept = math.ceil((1.96 / margin) ** 2 * prevalence * (1 - prevalence))
    return RileySampleSize(shrinkage=rows_for(shrinkage), optimism=rows_for(s_optimism), intercept=intercept,
                           r2_cs=r2, max_r2_cs=top)


def events_per_variable_rows(parameters: int, event_share: float, *, epv: int = EVENTS_PER_PARAMETER) -> int:
    """Rows needed for ``epv`` events per parameter when events are ``event_share`` of the rows."""
    return math.ceil(epv * max(1, parameters) / max(event_share, 1e-9))


def sample_size(prep: Prepared, *, target: str) -> tuple[dict, list[Finding]]:
    """Events per parameter and minimum rows, with findings when today's rows fall short.

    Returns
    -------
    (dict, list of Finding)
        Metrics ``parameters``, ``events``, ``events_per_parameter``, ``epv_min_rows``, ``riley``
        (binary only), ``min_rows`` and ``sufficiency`` (labelled rows / min rows, at most 1).
    """
    params = max(1, prep.parameters)
    if prep.kind == "regression":
        events, share = prep.labelled, 1.0
    else:
        counts = pd.Series(prep.y).value_counts()
        events, share = int(counts.min()), float(counts.min() / counts.sum())
    if prep.kind == "text_classification":
        min_rows = math.ceil(MIN_TEXT_CLASS_ROWS / share)
        metrics = {"parameters": None, "events": events, "events_per_parameter": None,
                   "epv_min_rows": None, "riley": None, "min_rows": min_rows}
        short = events < MIN_TEXT_CLASS_ROWS
    else:
        epv_rows = events_per_variable_rows(params, share)
        riley = riley_sample_size(params, share) if prep.positive else None
        min_rows = max(epv_rows, riley.n if riley else 0)
        metrics = {"parameters": params, "events": events, "events_per_parameter": events / params,
                   "epv_min_rows": epv_rows, "riley": None if riley is None else {**asdict(riley), "n": riley.n},
                   "min_rows": min_rows}
        short = events / params < EVENTS_PER_PARAMETER
    metrics["sufficiency"] = min(1.0, prep.labelled / max(1, min_rows))
    return metrics, _size_findings(prep, metrics, short=short, target=target)


def _size_findings(prep: Prepared, m: dict, *, short: bool, target: str) -> list[Finding]:
    found = []
    if short:
        what = ("rows of the rarest category" if prep.kind == "text_classification"
                else "rows" if prep.kind == "regression" else "events (rarest-class rows)")
        per = "" if m["events_per_parameter"] is None else \
            f" ({m['events_per_parameter']:.1f} per candidate parameter, {EVENTS_PER_PARAMETER} wanted)"
        found.append(Finding("warning", codes.FEAS_TOO_FEW_EVENTS,
                             f"Only {m['events']:,} {what}{per}: models will be unstable; collect more outcomes "
                             "or use fewer features.", target,
                             {"events": m["events"], "events_per_parameter": m["events_per_parameter"],
                              "parameters": m["parameters"]}))
    riley = m.get("riley")
    if riley and prep.labelled < riley["n"]:
        found.append(Finding("warning", codes.FEAS_SAMPLE_SIZE_SHORT,
                             f"{prep.labelled:,} labelled rows, below the {riley['n']:,} that Riley et al.'s "
                             f"criteria ask for {m['parameters']} candidate parameters at this prevalence.",
                             target, {"rows": prep.labelled, "riley_n": riley["n"]}))
    return found


def stratified_sample(y: np.ndarray, size: int, *, seed: int, strata: np.ndarray | None = None) -> np.ndarray:
    """Sorted positions of a seeded sample of ``size`` rows keeping each class's share."""
    n = len(y)
    if size >= n:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    labels = y if strata is None else strata
    if pd.api.types.is_float_dtype(np.asarray(labels)):  # regression: strata are quantile bins
        labels = pd.qcut(pd.Series(labels).rank(method="first"), 10, labels=False).to_numpy()
    picked = []
    for value in pd.unique(pd.Series(labels)):
        where = np.flatnonzero(pd.Series(labels).to_numpy() == value)
        take = max(1, round(len(where) * size / n))
        picked.append(rng.choice(where, size=min(take, len(where)), replace=False))
    return np.sort(np.concatenate(picked))
