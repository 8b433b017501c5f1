"""The pilot review notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` reads the decision log, the feasibility and ROI results and the
assessed extract named by the parameters, fills what was left empty (the use case, the columns of
each role, the features compared for drift, the group columns) and records every such choice.
"""

from __future__ import annotations

from pathlib import Path

from readiness.errors import ConfigError, DataError
from readiness.params import Assumption, note_assumptions, slug
from readiness.pilot.assess import Baseline, assess_pilot
from readiness.pilot.estimates import FeasibilityEstimate, read_feasibility, read_roi
from readiness.pilot.log import PilotLog, read_pilot_log, read_typed_table
from readiness.pilot.params import PilotParams
from readiness.pilot.report import PilotReport
from readiness.pilot.value import parse_values
from readiness.privacy import name_tokens, safe_text
from readiness.profiling import DATE_TYPES, TableProfile, is_id_like

__all__ = ["assess_from_params"]

PROTECTED_WORDS = frozenset({"gender", "sex", "age", "ageband", "ethnicity", "ethnic", "race", "nationality",
                             "religion", "disability", "disabled", "marital", "pregnant", "pregnancy"})
NOT_FEATURE_TYPES = frozenset({"identifier", "free_text", "email", "phone", "empty", "constant", *DATE_TYPES})
MAX_GROUPS = 50  # more distinct values than this is not a protected attribute's groups


def assess_from_params(params: PilotParams) -> PilotReport:
    """Run the pilot review as the notebook does.

    Parameters
    ----------
    params : PilotParams
        The notebook's parameters (empty columns, use case and features are filled from the data).

    Returns
    -------
    PilotReport
        With ``assumed`` listing every choice made for the analyst.

    Raises
    ------
    ConfigError
        A parameter is invalid, or a result file cannot be read.
    DataError
        The log or the extract cannot be read, or lacks a column a parameter names.
    """
    if params.bootstrap < 1 or params.min_group_size < 1:
        raise ConfigError(f"pilot parameters `bootstrap` ({params.bootstrap}) and `min_group_size` "
                          f"({params.min_group_size}) must be at least 1; give e.g. -p bootstrap 1000.")
    values = parse_values(params.value)
    assumed: list[Assumption] = []
    estimate = read_feasibility(params.feasibility_result) if params.feasibility_result else None
    if estimate is None:
        assumed.append(Assumption("feasibility_result", "none", "no feasibility result: the realised figures are "
                                  "not compared with an estimate", "-p feasibility_result REPORTS/feasibility/ID.json"))
    positive = params.positive_label or (estimate.positive_label if estimate and estimate.positive_label else "")
    log = read_pilot_log(params.data_path, id_column=params.id_column, date_column=params.date_column,
                         score_column=params.score_column, decision_column=params.decision_column,
                         outcome_column=params.outcome_column, positive_label=positive,
                         target=estimate.target if estimate else None, sheet=params.sheet or None)
    if not params.positive_label and estimate and estimate.positive_label == log.positive_label:
        assumed.append(Assumption("positive_label", log.positive_label, f"the positive label of {estimate.source}",
                                  "-p positive_label VALUE"))
    use_case, title = _names(params, estimate, assumed)
    roi = read_roi(params.roi_result, use_case=use_case) if params.roi_result else None
    baseline = _baseline(params, log, estimate, assumed)
    groups = _groups(params, log, assumed)
    report = assess_pilot(log, use_case=use_case, title=title, estimate=estimate, roi=roi, baseline=baseline,
                          groups=groups, values=values, currency=params.currency, bootstrap=params.bootstrap,
                          min_group_size=params.min_group_size, seed=params.seed)
    return note_assumptions(report, assumed)


def _names(params: PilotParams, estimate: FeasibilityEstimate | None,
           assumed: list[Assumption]) -> tuple[str, str]:
    use_case = params.use_case
    if not use_case:
        if estimate is not None:
            use_case, why = estimate.use_case, f"the use case of {estimate.source}"
        else:
            use_case, why = slug(Path(params.data_path).stem, fallback="pilot"), "made from the log's file name"
        assumed.append(Assumption("use_case", use_case, why, "-p use_case ID"))
    title = params.title or (estimate.title if estimate and estimate.title else use_case.replace("_", " ").capitalize())
    return use_case, title


# ------------------------------------------------------------------------------------- drift

def _baseline(params: PilotParams, log: PilotLog, estimate: FeasibilityEstimate | None,
              assumed: list[Assumption]) -> Baseline | None:
    if not params.baseline_path:
        assumed.append(Assumption("baseline_path", "none", "no assessed extract: input drift is not measured",
                                  "-p baseline_path EXTRACT"))
        return None
    frame, profile = read_typed_table(params.baseline_path)
    name = Path(params.baseline_path).name
    shared = [c for c in log.frame.columns if c in frame.columns]
    if params.features:
        missing = [f for f in params.features if f not in shared]
        if missing:
            raise DataError(f"pilot parameter `features`: {', '.join(safe_text(m) for m in missing)} not in both "
                            f"{log.path.name} and {name}; the shared columns are: "
                            f"{', '.join(safe_text(c) for c in shared[:20])}.")
        return Baseline(name, frame, list(params.features))
    if estimate is not None and estimate.features:
        features = [f for f in estimate.features if f in shared]
        left = [f for f in estimate.features if f not in shared]
        why = f"the features of {estimate.source} found in both files" + (
            f" ({len(left)} not in both: {', '.join(safe_text(f) for f in left[:6])})" if left else "")
    else:
        features = _default_features(shared, profile, log, estimate)
        why = "every column in both files that is a number, a category or yes/no, apart from the log's own columns"
    assumed.append(Assumption("features", ", ".join(features) or "none", why, "-p features '[\"a\", \"b\"]'"))
    return Baseline(name, frame, features)


def _default_features(shared: list[str], profile: TableProfile, log: PilotLog,
                      estimate: FeasibilityEstimate | None) -> list[str]:
    roles = {c for c in log.columns.values() if c} | ({estimate.target} if estimate and estimate.target else set())
    out = []
    for column in shared:
        col = profile.columns[column]
        if column in roles or col.semantic_type in NOT_FEATURE_TYPES or col.personal_kind or is_id_like(column):
            continue
        out.append(column)
    return out


# ---------------------------------------------------------------------------------- fairness

def _groups(params: PilotParams, log: PilotLog, assumed: list[Assumption]) -> list[str]:
    if params.group_columns:
        missing = [g for g in params.group_columns if g not in log.frame.columns]
        if missing:
            raise DataError(f"pilot parameter `group_columns`: {', '.join(safe_text(m) for m in missing)} not in "
                            f"{log.path.name}; its columns are: "
                            f"{', '.join(safe_text(c) for c in list(log.frame.columns)[:20])}.")
        return list(params.group_columns)
    roles = {c for c in log.columns.values() if c}
    found = []
    for column, col in log.profile.columns.items():
        if column in roles or not set(name_tokens(column)) & PROTECTED_WORDS:
            continue
        if col.semantic_type in DATE_TYPES or col.semantic_type in ("free_text", "identifier", "email", "phone"):
            continue
        if col.semantic_type == "number" or 2 <= col.distinct <= MAX_GROUPS:
            found.append(column)
    assumed.append(Assumption("group_columns", ", ".join(found) or "none",
                              "columns named like a protected attribute (sex, age, ethnicity ...)" if found
                              else "no column is named like a protected attribute: fairness is not measured",
                              "-p group_columns '[\"gender\", \"age_band\"]'"))
    return found
