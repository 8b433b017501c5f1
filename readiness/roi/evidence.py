"""What the feasibility stage measured, as the ROI stage uses it: the confusion matrix and P(success).

The feasibility notebook writes ``<feasibility_dir>/<use_case>.json`` (a StageResult) whose
``metrics.confusion_matrix`` holds ``{tp, fp, fn, tn}`` counted on out-of-fold predictions at
``metrics.threshold``; ``metrics.confusion_matrix_at_0_5``, when present, gives the counts at 0.5.

A result with verdict ``not_yet`` and no confusion matrix (the feasibility stage stopped before
fitting a model: too few labelled rows, a single class...) is not an error: the use case is kept
with ``no_usable_model`` set, and the ROI stage counts no benefit for it. Without a result, or with
another verdict and no confusion matrix, a model-based use case is a :class:`ConfigError`.

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

from readiness.errors import ConfigError
from readiness.roi.inputs import UseCaseInputs
from readiness.roi.value import ConfusionCounts

__all__ = ["P_SUCCESS_BY_VERDICT", "P_SUCCESS_WITHOUT_EVIDENCE", "Evidence", "gather_evidence"]

# Feasibility verdict -> probability that the use case works in practice. A "go" model still
# fails in roughly one deployment in five (adoption, drift, integration); "not_yet" means the
# data does not support a model today.
P_SUCCESS_BY_VERDICT: dict[str, float] = {"go": 0.8, "pilot": 0.6, "not_yet": 0.3}
P_SUCCESS_WITHOUT_EVIDENCE = 0.5


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


def gather_evidence(case: UseCaseInputs, feasibility_dir: str | Path | None) -> Evidence:
    """Read the use case's feasibility result (or its inline stand-in) and choose P(success).

    Parameters
    ----------
    case : UseCaseInputs
    feasibility_dir : path or None
        Folder of the feasibility results; None or "" when there is none.

    Raises
    ------
    ConfigError
        A model-based use case has no feasibility result, or its result has no usable
        confusion matrix although its verdict is not ``not_yet`` (the feasibility run failed);
        a result's verdict is unknown.
    """
    where = f"use case '{case.id}'"
    found = _result_file(case.id, feasibility_dir)
    if found is not None:
        path, data = found
        metrics, source = data.get("metrics") or {}, f"feasibility/{path.name}"
        verdict = data.get("verdict")
    elif case.feasibility is not None:
        metrics, source = case.feasibility, "inputs"
        verdict = case.feasibility.get("verdict")
    else:
        metrics, source, verdict = {}, None, None
    label = f"{where}: {source or 'feasibility result'}"
    if verdict is not None and verdict not in P_SUCCESS_BY_VERDICT:
        raise ConfigError(f"{label}: `verdict` is {verdict!r}; expected one of {', '.join(P_SUCCESS_BY_VERDICT)} "
                          "(rerun the feasibility notebook, or set `p_success` for this use case).")
    confusion = at_half = threshold = None
    if case.shape == "model_decisions":
        if source is None:
            missing = (f"there is no {case.id}.json in '{feasibility_dir}'" if feasibility_dir
                       else "`feasibility_dir` is empty")
            raise ConfigError(f"{where}: a model_decisions benefit needs the feasibility result's "
                              f"`metrics.confusion_matrix`, but {missing}; run the "
                              "feasibility notebook for it first, or give `feasibility: {confusion_matrix: "
                              "{tp, fp, fn, tn}}`.")
        if verdict == "not_yet" and metrics.get("confusion_matrix") is None:
            # the feasibility stage stopped before fitting a model: assessed with no benefit
            p, how = _p_success(case.p_success, verdict)
            return Evidence(p_success=p, p_success_source=how, verdict=verdict, source=source, no_usable_model=True)
        confusion = _confusion(metrics.get("confusion_matrix"), f"{label}: `metrics.confusion_matrix`", True)
        at_half = _confusion(metrics.get("confusion_matrix_at_0_5"), f"{label}: `metrics.confusion_matrix_at_0_5`",
                             False)
        threshold = _threshold(metrics.get("threshold"), f"{label}: `metrics.threshold`")
    p, how = _p_success(case.p_success, verdict)
    return Evidence(p_success=p, p_success_source=how, verdict=verdict, confusion=confusion,
                    confusion_at_0_5=at_half, threshold=threshold, source=source)


def _result_file(case_id: str, feasibility_dir: str | Path | None) -> tuple[Path, dict[str, Any]] | None:
    if not feasibility_dir:
        return None
    from readiness.tables import resolve_input_path

    folder = resolve_input_path(feasibility_dir)
    if not folder.is_dir():
        raise ConfigError(f"ROI parameter `feasibility_dir` is '{feasibility_dir}', which is not a folder; give "
                          "the feasibility results folder of the run, or \"\" when there is none.")
    path = folder / f"{case_id}.json"
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


def _confusion(counts: Any, where: str, required: bool) -> ConfusionCounts | None:
    if counts is None and not required:
        return None
    keys = ("tp", "fp", "fn", "tn")
    if not isinstance(counts, Mapping) or any(k not in counts for k in keys):
        raise ConfigError(f"{where} is {'missing' if counts is None else repr(counts)}: the feasibility run did not "
                          "produce out-of-fold counts {tp, fp, fn, tn} (it failed or stopped early); fix and "
                          "rerun the feasibility notebook, or remove the use case from the ROI run.")
    values = [counts[k] for k in keys]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 for v in values) or sum(values) <= 0:
        raise ConfigError(f"{where} is {dict(counts)!r}; the counts must be numbers >= 0 with a positive total.")
    return ConfusionCounts.from_mapping(counts)


def _threshold(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ConfigError(f"{where} is {value!r}; a decision threshold is a probability from 0 to 1.")
    return float(value)


def _p_success(given: float | None, verdict: str | None) -> tuple[float, str]:
    if given is not None:
        return given, "input"
    if verdict is not None:
        return P_SUCCESS_BY_VERDICT[verdict], "feasibility verdict"
    return P_SUCCESS_WITHOUT_EVIDENCE, "no evidence"
