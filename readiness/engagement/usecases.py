"""What a run would stumble on in the use cases, found before any notebook starts.

:func:`use_case_problems` checks each use case against its loaded table: the columns it names,
its positive label among the target's values, what its kind needs (a time column for a
forecast, a text column for a text classification), its EU AI Act domain and decision effect.
Each problem is one line naming the engagement file, the key path, what was found and what to
do. :func:`use_case_gaps` lists what would leave a stage's report empty without failing it: a use
case whose protected attributes are neither given nor found in the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from readiness.engagement.hints import _closest
from readiness.engagement.model import Engagement, UseCase

COLUMN_KEYS = ("target", "time_column", "group_column", "text_column", "prediction_column")
LIST_KEYS = ("features", "exclude", "protected", "text_columns")
DECISION_EFFECTS = ("punitive", "assistive")


def _columns_named(case: UseCase) -> list[tuple[str, str]]:
    """(key path below the use case, column) for every column the use case names."""
    named = [(key, str(case.extra.get(key) or "")) for key in COLUMN_KEYS if key != "target"]
    named = [("target", case.target), *[(k, c) for k, c in named if c]]
    for key in LIST_KEYS:
        value = case.extra.get(key)
        if isinstance(value, str) and value not in ("", "auto"):
            value = [value]
        if isinstance(value, list):
            named += [(f"{key}[{i}]", str(c)) for i, c in enumerate(value)]
    named += [(f"reference_groups.{a}", str(a)) for a in (case.extra.get("reference_groups") or {})]
    return named


def _missing_column(where: str, key: str, column: str, columns: list[str], file: str) -> str:
    best = {c.lower(): c for c in columns}.get(column.lower()) or _closest(column, columns)
    hint = f"the closest column is {best!r}" if best else f"columns are: {', '.join(columns[:12])}"
    return f"{where}.{key}: column {column!r} is not in {file}; {hint}; fix {key}"


def _positive_problem(where: str, case: UseCase, frame: pd.DataFrame) -> str | None:
    positive = case.extra.get("positive")
    if positive is None or case.target not in frame.columns:
        return None
    values = frame[case.target].dropna().astype(str).str.strip()
    values = values[values != ""]
    if values.str.casefold().eq(str(positive).strip().casefold()).any():
        return None
    shown = ", ".join(sorted(values.unique()[:10].tolist()))
    return (f"{where}.positive: {str(positive)!r} never occurs in {case.target!r} (its values are: {shown}); write "
            "one of them, or leave positive out to take a yes-like value")


def _kind_problems(where: str, case: UseCase) -> list[str]:
    kind = str(case.extra.get("kind") or "auto")
    out = []
    if kind == "forecast" and not case.extra.get("time_column"):
        out.append(f"{where}.time_column: a forecast needs the column that dates each row; add e.g. "
                   "time_column: starts_at")
    if kind == "text_classification" and not case.extra.get("text_column"):
        out.append(f"{where}.text_column: a text classification needs the free-text column; add e.g. "
                   "text_column: body")
    effect = case.extra.get("decision_effect")
    if effect and effect not in DECISION_EFFECTS:
        out.append(f"{where}.decision_effect: {effect!r} is not punitive or assistive; write one of them")
    domain = case.extra.get("domain")
    if domain:
        from readiness.ethics.regulation import domain_keys

        key = str(domain).strip().lower().replace(" ", "_").replace("-", "_")
        known = domain_keys()
        if key not in known:
            best = _closest(key, known)
            hint = f"did you mean {best!r}?" if best else f"domains are: {', '.join(known)}"
            out.append(f"{where}.domain: {domain!r} is not an EU AI Act domain of readiness/data/ai_act.yaml; {hint}")
    return out


def use_case_problems(engagement: Engagement, frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """Every use-case problem that would make a notebook fail, one line each (empty when none).

    Parameters
    ----------
    engagement : Engagement
    frames : mapping of table name to DataFrame
        The loaded tables; use cases on tables absent here (read by Spark) get only the checks
        that need no data.
    """
    name = engagement.source.name
    problems = []
    for i, case in enumerate(engagement.use_cases):
        where = f"{name}: use_cases[{i}] ({case.id})"
        problems += _kind_problems(where, case)
        if case.pilot is not None and not case.pilot.log.is_file():
            problems.append(f"{where}.pilot.log: no file at {case.pilot.log}; copy the pilot's decision log there "
                            "or fix the path")
        frame = frames.get(case.table)
        if frame is None:
            continue
        columns = [str(c) for c in frame.columns]
        file = engagement.tables[case.table].path_text
        for key, column in _columns_named(case):
            if key.startswith("reference_groups."):
                protected = case.extra.get("protected") or []
                if column not in protected:
                    problems.append(f"{where}.{key}: {column!r} is not in protected ({', '.join(protected)}); add it "
                                    "to protected or remove the reference group")
            elif column not in columns:
                problems.append(_missing_column(where, key, column, columns, file))
        found = _positive_problem(where, case, frame)
        if found:
            problems.append(found)
    return problems


def use_case_gaps(engagement: Engagement, frames: Mapping[str, pd.DataFrame], *,
                  decimal: Mapping[str, str] | None = None) -> list[str]:
    """What would leave part of a report empty: use cases with no protected attribute given or found."""
    from readiness.ethics.protected import KIND_WORDS, detect_protected
    from readiness.profiling import profile_and_type

    name = engagement.source.name
    gaps: list[str] = []
    typed_cache: dict[str, Any] = {}
    for i, case in enumerate(engagement.use_cases):
        if case.extra.get("protected") or case.table not in frames:
            continue
        if case.table not in typed_cache:
            profile, typed = profile_and_type(frames[case.table], decimal=(decimal or {}).get(case.table, "."))
            typed_cache[case.table] = (profile, typed)
        profile, typed = typed_cache[case.table]
        found = detect_protected(typed, profile, exclude={case.target})
        where = f"{name}: use_cases[{i}] ({case.id}).protected"
        if found:
            listed = ", ".join(f"{p.column} ({KIND_WORDS[p.kind]})" for p in found)
            gaps.append(f"{where}: not given; the ethics report will assume {listed}; write them to confirm")
        else:
            gaps.append(f"{where}: not given and no protected attribute found in {case.table}; the ethics report "
                        "will not compare groups; add e.g. protected: [gender, age_band]")
    return gaps
