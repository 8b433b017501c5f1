"""The ethics stage in one call: :func:`assess_ethics` runs every check and scores the use case.

Traffic lights per check (green, amber, red; None when a check could not run):

* ``personal_data``: red when national identifiers, card numbers or IBANs sit in free text;
  amber when any personal data sits in free text or a special category is touched; else green.
* ``data_bias``: amber when a group's base rate is outside the 0.8-1.25 band of the reference
  group or a feature's missingness differs by group; else green. History alone is never red:
  it is a warning to design around, not a decision.
* ``proxies``: amber when a feature is a strong proxy; else green.
* ``model_fairness``: red when a model error ratio is beyond 0.5-2.0, amber beyond 0.8-1.25, else green.
* ``regulation``: from the EU AI Act tier (prohibited red, high-risk and transparency amber,
  minimal green, unknown domain amber).
* ``checklist``: red when a critical item is answered no, amber when any is no or open.

Score = mean over the checks that ran of 100 (green), 50 (amber) or 0 (red). Verdict = the
worst light.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from readiness.errors import ConfigError, DataError
from readiness.ethics import bias, checklist, fairness, findings, personal_data, regulation, steps
from readiness.ethics.codes import ETH_NO_BINARY_TARGET, ETH_NO_PREDICTIONS
from readiness.ethics.protected import KIND_WORDS, detect_protected
from readiness.ethics.report import LIGHT_ORDER, LIGHT_POINTS, EthicsReport
from readiness.params import Assumption, note_assumptions
from readiness.profiling import profile_and_type
from readiness.profiling.detect import detect_targets, row_id_column
from readiness.profiling.profile import TableProfile, parse_as_of
from readiness.results import Finding, StageResult, consistent_verdict
from readiness.tables import resolve_input_path


def _require(columns: list[str], names: Iterable[str], *, param: str, where: str) -> None:
    for name in names:
        if name not in columns:
            close = difflib.get_close_matches(str(name), columns, n=3, cutoff=0.5)
            hint = f"the closest are: {', '.join(close)}; " if close else ""
            raise DataError(f"{where}: `{param}` names column '{name}', which is not in the table; {hint}"
                            f"columns are: {', '.join(columns[:30])}; fix `{param}`.")


def _typed(loaded: Any) -> tuple[pd.DataFrame, dict[str, str], str, TableProfile]:
    frame = loaded.frame if hasattr(loaded, "frame") else loaded
    profile, typed = profile_and_type(frame, decimal=getattr(loaded, "decimal", ".") or ".")
    name = getattr(getattr(loaded, "path", None), "name", "data")
    return typed, profile.semantic_types, name, profile


def _binary(typed: pd.DataFrame, target: str | None, positive_label: str | None) -> np.ndarray | None:
    return bias.binary_labels(typed[target], positive_label, column=target) if target else None


def _scan_all(main: str, typed: pd.DataFrame, types: dict[str, str], text_columns: list[str],
              others: dict[str, tuple[pd.DataFrame, dict[str, str]]]) -> pd.DataFrame:
    scans = [personal_data.scan_personal_data(typed, table=main, semantic_types=types, text_columns=text_columns)]
    scans += [personal_data.scan_personal_data(t, table=n, semantic_types=s) for n, (t, s) in others.items()]
    return pd.concat([s for s in scans if len(s)] or [scans[0]], ignore_index=True)


def _features(typed: pd.DataFrame, types: dict[str, str], exclude: set[str]) -> list[str]:
    return [c for c in typed.columns if c not in exclude and types.get(c) not in ("identifier", "free_text", "empty")]


def assess_ethics(
    loaded: Any,
    *,
    use_case: str,
    table: str = "",
    protected: Iterable[str] = (),
    target: str | None = None,
    positive_label: str | None = None,
    prediction_column: str | None = None,
    predictions_path: str | Path | None = None,
    key: str | None = None,
    domain: str | None = None,
    reference_groups: Mapping[str, str] | None = None,
    text_columns: Iterable[str] = (),
    checklist_path: str | Path | None = None,
    other_tables: Mapping[str, Any] | None = None,
    decision_effect: str | None = None,
    min_group_size: int = bias.MIN_GROUP_SIZE,
    n_boot: int = bias.N_BOOT,
    seed: int = 0,
    group_rates: pd.DataFrame | None = None,
    full_rows: int | None = None,
    as_of: date | str | None = None,
    detect: Iterable[str] = (),
) -> EthicsReport:
    """Assess the ethics and bias risks of one use case.

    Parameters
    ----------
    loaded : readiness.tables.LoadedTable or pandas.DataFrame
        The use case's table.
    use_case : str
        The use case id (the result's subject).
    table : str
        The table's name, used in messages.
    protected : iterable of str
        Protected attribute columns (gender, age_band ...). Numeric ones with many values are banded.
    target, positive_label : str, optional
        The label column and its positive value; without them base rates are not compared.
    prediction_column : str, optional
        A column of the table holding the model's decisions.
    predictions_path : str or Path, optional
        ``<use_case>.predictions.parquet`` (row_id, y_true, score, decision). With neither this
        nor ``prediction_column`` only data-level checks run.
    key : str, optional
        The table's key; when given, ``row_id`` in the predictions holds key values, else positions.
    domain : str, optional
        EU AI Act domain key (see ``readiness/data/ai_act.yaml``).
    reference_groups : mapping, optional
        Attribute -> reference group; the largest group by default.
    text_columns : iterable of str
        Columns to search for personal data as free text (free-text columns are found anyway).
    checklist_path : str or Path, optional
        The engagement's checklist answers (YAML).
    other_tables : mapping, optional
        Name -> loaded table: scanned for personal data, and for proxies when they hold a protected attribute.
    decision_effect : {"punitive", "assistive"}, optional
        What a positive decision does to the person; the domain's default otherwise.
    min_group_size : int
        Groups with fewer rows are shown and marked small.
    n_boot : int
        Bootstrap resamples for intervals.
    seed : int
        Drives every random choice (bootstrap, folds).
    group_rates : pandas.DataFrame, optional
        Group rates precomputed on the full table (columns :data:`readiness.ethics.bias.GROUP_COLUMNS`,
        as :func:`readiness.ethics.every_row.group_rates_on_every_row` counts them on every row) when
        ``loaded`` is a sample of it. They replace the rates of ``loaded``: the base-rate findings, the
        data-bias light, the charts, the reference groups and the metrics use them. Give them with the
        same ``min_group_size`` they were marked with.
    full_rows : int, optional
        Rows of the full table when ``loaded`` is a sample of it: the report's row count, with the
        sample's size kept as ``sample_rows`` in the metrics.
    as_of : date or ISO str, optional
        The date ages are counted at when a protected attribute is a date of birth (today by default).
    detect : iterable of {"target", "protected", "key"}
        What to find in the data when not given: the outcome column
        (:func:`readiness.profiling.detect.detect_targets`), the protected attributes
        (:func:`readiness.ethics.protected.detect_protected`) and the column the predictions'
        ``row_id`` refers to (:func:`readiness.profiling.detect.row_id_column`). Each choice is in
        ``report.assumed``.

    Returns
    -------
    EthicsReport

    Raises
    ------
    DataError
        A named column is not in the table; predictions that do not match the data.
    ConfigError
        Unknown domain, reference group, positive label or checklist item; malformed answers.
    """
    protected, text_columns = _names(protected), _names(text_columns)
    typed, types, file_name, profile = _typed(loaded)
    where = f"{file_name} (table '{table or file_name}')"
    detect = set(detect)
    day = parse_as_of(as_of) if as_of else None
    target, protected, key, assumed = _detected(profile, typed, detect, target=target, protected=protected, key=key,
                                                use_case=use_case, predictions=bool(predictions_path))
    columns = [str(c) for c in typed.columns]
    _require(columns, protected, param="protected", where=where)
    _require(columns, text_columns, param="text_columns", where=where)
    for param, value in (("target", target), ("prediction_column", prediction_column), ("key", key)):
        _require(columns, [value] if value else [], param=param, where=where)
    reference_groups = dict(reference_groups or {})
    _check_options(protected, reference_groups, decision_effect, min_group_size)
    ai_act = regulation.classify_use_case(domain)
    effect = decision_effect or ai_act.decision_effect
    others = {n: _typed(t)[:2] for n, t in (other_tables or {}).items()}
    scan = _scan_all(table or file_name, typed, types, text_columns, others)
    found: list[Finding] = findings.personal_findings(scan)  # loading findings belong to the quality stage
    labels, notes = {}, []
    for attribute in protected:
        groups, how = bias.prepare_protected(typed[attribute], name=attribute, as_of=day)
        found += findings.protected_findings(attribute, groups, how)
        notes += [how] if how else []
        if (groups != bias.MISSING_GROUP).any():
            labels[attribute] = groups
    y = _binary(typed, target, positive_label)
    if target and y is None and labels:
        found.append(Finding("info", ETH_NO_BINARY_TARGET, f"Target '{target}' has no positive label given and is not "
                             "yes/no, so base rates by group are not compared; set `positive_label`.", target))
    rates = steps.data_bias(labels, y, reference_groups=reference_groups, target=target or "",
                            min_group_size=min_group_size, n_boot=n_boot, seed=seed, found=found,
                            precomputed=_checked_rates(group_rates))
    exclude = {*protected, *(c for c in (target, prediction_column, key) if c)}
    missing = pd.concat([bias.missingness_disparity(typed, g, attribute=a, features=_features(typed, types, exclude),
                                                    min_group_size=min_group_size) for a, g in labels.items()]
                        or [pd.DataFrame(columns=bias.MISSINGNESS_COLUMNS)], ignore_index=True)
    found += findings.missingness_findings(missing)
    proxy = steps.proxy_check(table or file_name, typed, labels, features=_features(typed, types, exclude),
                              others={n: (t, _features(t, s, exclude)) for n, (t, s) in others.items()},
                              seed=seed, found=found)
    decisions = _decisions(typed, y, labels, prediction_column=prediction_column, predictions_path=predictions_path,
                           key=key, positive_label=positive_label, target=target, notes=notes, found=found)
    model = steps.model_fairness(decisions, labels, rates, decision_effect=effect, min_group_size=min_group_size,
                                 n_boot=n_boot, seed=seed, found=found)
    found += regulation.ai_act_findings(ai_act)
    answers = checklist.read_answers(resolve_input_path(checklist_path) if checklist_path else None)
    found += checklist.checklist_findings(answers, answered_file=bool(checklist_path))
    lights = steps.traffic_lights(found, ai_act=ai_act, answers=answers, has_rates=not rates.empty,
                                  has_protected=bool(labels), model_ran=bool(model[2]))
    verdict = consistent_verdict(next(light for light in LIGHT_ORDER if light in lights.values()), found)
    ran = [LIGHT_POINTS[v] for v in lights.values() if v]
    result = StageResult(stage="ethics", subject=use_case, verdict=verdict, score=round(float(np.mean(ran)), 1),
                         findings=found)
    nist = regulation.nist_mapping(found)
    report = EthicsReport(result=result, lights=lights, personal_data=scan, group_rates=rates, missingness=missing,
                          proxies=proxy, ai_act=ai_act, nist=nist, checklist=answers, by_group=model[0],
                          disparity=model[1], fairness_summary=model[2], notes=notes)
    if not domain:
        assumed.append(Assumption("domain", "unknown", "no EU AI Act domain was given, so the tier is unknown (amber)",
                                  "-p domain DOMAIN (the domains are listed in readiness/data/ai_act.yaml)"))
    if full_rows is not None and full_rows < len(typed):
        raise ConfigError(f"full_rows is {full_rows:,}, fewer than the {len(typed):,} rows given; pass the row count "
                          "of the whole table the rows were sampled from.")
    result.metrics = steps.stage_metrics(report, rows=full_rows or len(typed), y=y, decision_effect=effect,
                                         protected=protected)
    if full_rows is not None:
        result.metrics["sample_rows"] = len(typed)
    if group_rates is not None and len(rates):  # every labelled row is in each attribute's groups once
        first = rates[rates["attribute"] == rates["attribute"].iloc[0]]
        result.metrics["positive_rate"] = float(first["positives"].sum() / first["rows"].sum())
    return note_assumptions(report, assumed)


def _detected(profile: TableProfile, typed: pd.DataFrame, detect: set[str], *, target: str | None,
              protected: list[str], key: str | None, use_case: str, predictions: bool
              ) -> tuple[str | None, list[str], str | None, list[Assumption]]:
    """Fill what ``detect`` names and was not given: the target, the protected attributes, the predictions' key."""
    assumed = []
    if "target" in detect and not target:
        found = detect_targets(profile)
        if found:
            target = found[0].column
            assumed.append(Assumption("target", target, found[0].reason, "-p target COLUMN, or -p target none"))
        else:
            assumed.append(Assumption("target", "none", "no yes/no outcome column was found, so base rates are not "
                                      "compared", "-p target COLUMN"))
    if "protected" in detect and not protected:
        found = detect_protected(typed, profile, exclude={c for c in (target, key) if c})
        protected = [p.column for p in found]
        value = ", ".join(f"{p.column} ({KIND_WORDS[p.kind]})" for p in found) or "none found"
        reason = "; ".join(f"{p.column}: {p.reason}" for p in found) or (
            "no column is named or valued like sex, age, race, nationality, religion, disability, marital status "
            "or pregnancy")
        assumed.append(Assumption("protected", value, reason, '-y "protected: [COLUMN, ...]"'))
    if "key" in detect and not key and predictions:
        key = row_id_column(profile)
        assumed.append(Assumption("key", key or "row positions", "the column the feasibility stage names each "
                                  "prediction's row by" if key else "no identifier is filled and distinct on every "
                                  "row, so predictions are matched by row position", "-p key COLUMN"))
    return target, protected, key, assumed


def _checked_rates(rates: pd.DataFrame | None) -> pd.DataFrame | None:
    if rates is None:
        return None
    missing = [c for c in bias.GROUP_COLUMNS if c not in rates.columns]
    if missing:
        raise ConfigError(f"`group_rates` lacks the columns {', '.join(missing)}; give the table "
                          "readiness.ethics.every_row.group_rates_on_every_row returns.")
    return rates[bias.GROUP_COLUMNS].reset_index(drop=True)


def _check_options(protected: list[str], reference_groups: dict[str, str], decision_effect: str | None,
                   min_group_size: int) -> None:
    unknown = [a for a in reference_groups if a not in protected]
    if unknown:
        raise ConfigError(f"`reference_groups` names '{unknown[0]}', which is not in `protected` "
                          f"({', '.join(protected)}).")
    if decision_effect and decision_effect not in fairness.DECISION_EFFECTS:
        raise ConfigError(f"`decision_effect` is '{decision_effect}'; use punitive or assistive.")
    if min_group_size < 1:
        raise ConfigError(f"`min_group_size` is {min_group_size}; use a positive number of rows.")


def _decisions(typed: pd.DataFrame, y: np.ndarray | None, labels: dict, *, prediction_column: str | None,
               predictions_path: str | Path | None, key: str | None, positive_label: str | None,
               target: str | None, notes: list[str], found: list[Finding]) -> pd.DataFrame | None:
    """The aligned decisions when model-level checks can run; otherwise None and a note saying why."""
    given = bool(prediction_column or predictions_path)
    if given and y is not None and labels:
        return steps.decisions(typed, y, prediction_column=prediction_column,
                               predictions_path=resolve_input_path(predictions_path) if predictions_path else None,
                               key=key, positive_label=positive_label, target=target)
    why = ("No predictions were given" if not given else
           "Predictions were given but there is no binary target or no usable protected attribute")
    notes.append(f"{why}, so only the data-level checks ran.")
    hint = (" Give `predictions_path` (the feasibility stage's <use_case>.predictions.parquet) or "
            "`prediction_column` for model-level fairness." if not given else "")
    found.append(Finding("info", ETH_NO_PREDICTIONS, notes[-1] + hint))
    return None


def _names(value: Iterable[str] | str | None) -> list[str]:
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]
