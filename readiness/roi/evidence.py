"""What the feasibility stage measured, as the ROI stage uses it: the confusion matrix and P(success).

The feasibility notebook writes ``<feasibility_dir>/<use_case>.json`` (a StageResult) whose
``metrics.confusion_matrix`` holds ``{tp, fp, fn, tn}`` counted on out-of-fold predictions at
``metrics.threshold``; ``metrics.confusion_matrix_at_0_5``, when present, gives the counts at 0.5;
``metrics.leakage_suspected`` is true when the stage suspects the model of leaking (missing means
false).

A result with verdict ``not_yet`` and no confusion matrix (the feasibility stage stopped before
fitting a model: too few labelled rows, a single class...) is not an error: the use case is kept
with ``no_usable_model`` set, and the ROI stage counts no benefit for it. A model-based use case
without a result, or whose result has another verdict and no confusion matrix (the run failed),
and any use case whose result suspects a leak, is :class:`NotValued`: its value would otherwise
be invented.

P(success), the chance that a use case works in practice, is the analyst's ``p_success`` when
given, else read from the feasibility verdict with :data:`P_SUCCESS_BY_VERDICT`, else
:data:`P_SUCCESS_WITHOUT_EVIDENCE`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from readiness.errors import ConfigError
from readiness.metrics import Confusion, FeasibilityMetrics
from readiness.roi.inputs import UseCaseInputs
from readiness.roi.not_valued import NotValued
from readiness.roi.value import ConfusionCounts

__all__ = ["P_SUCCESS_BY_VERDICT", "P_SUCCESS_WITHOUT_EVIDENCE", "Evidence", "check_feasibility_dir",
           "gather_evidence"]

# Feasibility verdict -> probability that the use case works in practice. A "go" model still
# fails in roughly one deployment in five (adoption, drift, integration); "not_yet" means the
# data does not support a model today.
P_SUCCESS_BY_VERDICT: dict[str, float] = {"go": 0.8, "pilot": 0.6, "not_yet": 0.3}
P_SUCCESS_WITHOUT_EVIDENCE = 0.5
GIVE_COUNTS = "give feasibility: {confusion_matrix: {tp, fp, fn, tn}}"
LEAK_REASON = "the feasibility stage suspects a leak, so its predictions cannot be valued"


@dataclass(frozen=True)
class Evidence:
    """Feasibility evidence behind one use case, and the P(success) chosen from it."""

    p_success: float
    p_success_source: str  # "input" | "feasibility verdict" | "no evidence"
    verdict: str | None = None
    confusion: ConfusionCounts | None = None
    confusion_at_0_5: ConfusionCounts | None = None
    threshold: float | None = None
    source: str | None = None  # the result file's name, or "inputs" for an inline stand-in
    no_usable_model: bool = False  # verdict not_yet without a confusion matrix: no benefit can be claimed


def check_feasibility_dir(feasibility_dir: str | Path | None) -> None:
    """Raise :class:`ConfigError` when ``feasibility_dir`` is given but is not a folder."""
    if not feasibility_dir:
        return
    from readiness.tables import resolve_input_path

    if not resolve_input_path(feasibility_dir).is_dir():
        raise ConfigError(f"ROI parameter `feasibility_dir` is '{feasibility_dir}', which is not a folder; give "
                          "the feasibility results folder of the run, or \"\" when there is none.")


def gather_evidence(case: UseCaseInputs, feasibility_dir: str | Path | None) -> Evidence | NotValued:
    """Read the use case's feasibility result (or its inline stand-in) and choose P(success).

    Parameters
    ----------
    case : UseCaseInputs
    feasibility_dir : path or None
        Folder of the feasibility results; None or "" when there is none.

    Returns
    -------
    Evidence or NotValued
        NotValued when the result suspects a leak, or when a model-based use case has no result,
        or a result without a confusion matrix although its verdict is not ``not_yet`` (the
        feasibility run failed).

    Raises
    ------
    ConfigError
        ``feasibility_dir`` is not a folder; a result cannot be read; its verdict is unknown; its
        counts, threshold or ``leakage_suspected`` are malformed.
    """
    where = f"use case '{case.id}'"
    found = _result_file(case.id, feasibility_dir)
    if found is not None:
        path, data = found
        raw, source = data.get("metrics") or {}, f"feasibility/{path.name}"
        verdict = data.get("verdict")
    elif case.feasibility is not None:
        raw, source = case.feasibility, "inputs"
        verdict = case.feasibility.get("verdict")
    else:
        raw, source, verdict = {}, None, None
    label = f"{where}: {source or 'feasibility result'}"
    if verdict is not None and verdict not in P_SUCCESS_BY_VERDICT:
        raise ConfigError(f"{label}: `verdict` is {verdict!r}; expected one of {', '.join(P_SUCCESS_BY_VERDICT)} "
                          "(rerun the feasibility notebook, or set `p_success` for this use case).")
    metrics = _contract(raw, label)
    if metrics.leakage_suspected:
        return NotValued(case.id, case.title, LEAK_REASON, "fix the leak and rerun feasibility")
    confusion = at_half = threshold = None
    if case.shape == "model_decisions":
        missing = _missing_counts(case, feasibility_dir, source, verdict, metrics)
        if missing is not None:
            return missing
        if metrics.confusion_matrix is None:
            # verdict not_yet: the feasibility stage stopped before fitting a model; assessed with no benefit
            p, how = _p_success(case.p_success, verdict)
            return Evidence(p_success=p, p_success_source=how, verdict=verdict, source=source, no_usable_model=True)
        confusion = _counts(metrics.confusion_matrix, f"{label}: `metrics.confusion_matrix`")
        at_half = _counts(metrics.confusion_matrix_at_0_5, f"{label}: `metrics.confusion_matrix_at_0_5`")
        threshold = metrics.threshold
    p, how = _p_success(case.p_success, verdict)
    return Evidence(p_success=p, p_success_source=how, verdict=verdict, confusion=confusion,
                    confusion_at_0_5=at_half, threshold=threshold, source=source)


def _contract(raw: Any, label: str) -> FeasibilityMetrics:
    """The feasibility metrics read through their typed contract; a malformed field names itself."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{label}: `metrics` is {raw!r}, not a mapping; rerun the feasibility notebook.")
    try:
        return FeasibilityMetrics.model_validate(dict(raw))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise ConfigError(f"{label}: `metrics.{field}` is {error.get('input')!r}: {error['msg'].lower()}; fix and "
                          "rerun the feasibility notebook, or write confusion_matrix: {tp: ..., fp: ..., fn: ..., "
                          "tn: ...} with counts >= 0 and a threshold from 0 to 1.") from None


def _missing_counts(case: UseCaseInputs, feasibility_dir: str | Path | None, source: str | None,
                    verdict: str | None, metrics: FeasibilityMetrics) -> NotValued | None:
    """NotValued when a model-based use case has no confusion matrix to value its decisions with."""
    if source is None:
        # the folder's name only: a run's absolute path would make the result differ between two runs
        where = (f"there is no {case.id}.json in the feasibility folder '{Path(feasibility_dir).name}'"
                 if feasibility_dir
                 else "no feasibility results were given (`feasibility_dir` is empty)")
        return NotValued(case.id, case.title, f"its model decisions are valued from the feasibility result's "
                         f"confusion matrix, but {where}",
                         f"run the feasibility notebook for it first, or {GIVE_COUNTS}")
    if metrics.confusion_matrix is None and verdict != "not_yet":
        judged = f"its verdict is '{verdict}'" if verdict else "it gives no verdict"
        return NotValued(case.id, case.title, f"its feasibility result ({source}) has no confusion matrix although "
                         f"{judged}: the feasibility run failed or stopped early",
                         f"fix and rerun the feasibility notebook for it, or {GIVE_COUNTS}")
    return None


def _result_file(case_id: str, feasibility_dir: str | Path | None) -> tuple[Path, dict[str, Any]] | None:
    if not feasibility_dir:
        return None
    from readiness.tables import resolve_input_path

    check_feasibility_dir(feasibility_dir)
    path = resolve_input_path(feasibility_dir) / f"{case_id}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"use case '{case_id}': {path.name} in the feasibility folder cannot be read as JSON "
                          f"({exc.__class__.__name__}); rerun the feasibility notebook.") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"use case '{case_id}': {path.name} is not a stage result; rerun the feasibility notebook.")
    return path, dict(data)


def _counts(counts: Confusion | None, where: str) -> ConfusionCounts | None:
    if counts is None:
        return None
    if counts.tp + counts.fp + counts.fn + counts.tn <= 0:
        raise ConfigError(f"{where} is {counts.model_dump()!r}; the counts must be numbers >= 0 with a positive "
                          "total.")
    return ConfusionCounts.from_mapping(counts.model_dump())


def _p_success(given: float | None, verdict: str | None) -> tuple[float, str]:
    if given is not None:
        return given, "input"
    if verdict is not None:
        return P_SUCCESS_BY_VERDICT[verdict], "feasibility verdict"
    return P_SUCCESS_WITHOUT_EVIDENCE, "no evidence"
