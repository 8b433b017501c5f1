"""One call per use case: checks, leakage, cross-validated models, value of more data, verdict."""

from __future__ import annotations

from typing import Any

import pandas as pd
from threadpoolctl import threadpool_limits

from readiness.errors import ConfigError
from readiness.feasibility.data import check_kind, column_names, detect_kind, require_columns, type_table
from readiness.feasibility.decision import check_value
from readiness.feasibility.forecast import DailyRows
from readiness.feasibility.report import (
    Clock,
    FeasibilityReport,
    Params,
    threads,
)
from readiness.feasibility.run import run_forecast, run_tabular
from readiness.params import Assumption, note_assumptions, slug
from readiness.profiling.detect import POSITIVE_WORDS, detect_targets, group_candidates, time_candidates
from readiness.profiling.profile import TableProfile


def _normalise_features(features: Any) -> list[str] | None:
    if features in (None, "", "auto", []) or (isinstance(features, list) and features == ["auto"]):
        return None
    if isinstance(features, str):
        return [features]
    if not isinstance(features, (list, tuple)):
        raise ConfigError(f"feasibility parameter `features` is {features!r}; give a list of columns or 'auto'.")
    return [str(f) for f in features]


def check_params(frame: pd.DataFrame, where: str, **given: Any) -> Params:
    """Normalise and validate the parameters against the table; raises ConfigError or DataError."""
    p = Params(use_case=str(given["use_case"]), target=str(given["target"]), title=given.get("title") or "",
               kind=check_kind(given.get("kind")),
               positive_label=None if given.get("positive_label") in (None, "") else str(given["positive_label"]),
               features=_normalise_features(given.get("features")), exclude=column_names(given.get("exclude")),
               time_column=given.get("time_column") or None, group_column=given.get("group_column") or None,
               text_column=given.get("text_column") or None, value=check_value(given.get("value")),
               as_of=str(given["as_of"])[:10] if given.get("as_of") else None)
    for name in ("seed", "time_budget_s"):
        raw = given.get(name, getattr(p, name))
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (name == "time_budget_s" and raw <= 0):
            raise ConfigError(f"feasibility parameter `{name}` is {raw!r}; give a "
                              f"{'positive number of seconds' if name == 'time_budget_s' else 'whole number'}.")
        setattr(p, name, int(raw) if name == "seed" else float(raw))
    full_rows = given.get("full_rows")
    if full_rows is not None:
        if isinstance(full_rows, bool) or not isinstance(full_rows, int) or full_rows < len(frame):
            raise ConfigError(f"{where}: `full_rows` is {full_rows!r}; give the whole table's row count, at least "
                              f"the {len(frame):,} rows given.")
        p.full_rows = int(full_rows)
    named = [("target", p.target)] if p.target else []
    named += [("features", c) for c in p.features or []] + [("exclude", c) for c in p.exclude]
    named += [(k, getattr(p, k)) for k in ("time_column", "group_column", "text_column") if getattr(p, k)]
    require_columns(frame, named, where=where)
    if p.kind == "text_classification" and not p.text_column:
        raise ConfigError(f"{where}: kind text_classification needs `text_column`, the column holding the text.")
    if p.kind == "forecast" and not p.time_column:
        raise ConfigError(f"{where}: kind forecast needs `time_column`, the column that dates each row.")
    return p


def assess_feasibility(
    data: Any,
    *,
    use_case: str,
    target: str,
    title: str = "",
    kind: str = "auto",
    positive_label: str | None = None,
    features: list[str] | str | None = "auto",
    exclude: list[str] | tuple[str, ...] = (),
    time_column: str | None = None,
    group_column: str | None = None,
    text_column: str | None = None,
    seed: int = 42,
    time_budget_s: float = 30,
    value: dict[str, float] | None = None,
    as_of: str | None = None,
    daily: DailyRows | None = None,
    full_rows: int | None = None,
) -> FeasibilityReport:
    """Assess whether a table supports one AI use case.

    Parameters
    ----------
    data : LoadedTable or DataFrame
        The table as loaded by :func:`readiness.tables.load_table` (or a DataFrame of text columns).
    use_case : str
        The use case id (the result's subject).
    target : str
        The column to predict (for a forecast: rows are counted per period, or a numeric column summed).
    title : str
        The use case in words.
    kind : str
        ``classification``, ``regression``, ``forecast``, ``text_classification`` or ``auto``.
    positive_label : str, optional
        The positive class of a binary target (case-insensitive); a yes-like value by default.
    features : list of str or "auto"
        Columns to use; ``auto`` uses every usable column.
    exclude : list of str
        Columns never to use.
    time_column, group_column, text_column : str, optional
        Folds follow time / keep groups together; the free text of a text classification.
    seed : int
        Drives every random choice.
    time_budget_s : float
        Seconds for the whole assessment; large tables are sampled to fit, optional steps cut.
    value : dict, optional
        Value per outcome (``true_positive``, ``false_positive``, ``false_negative``,
        ``true_negative``) and ``decisions_per_year``: the threshold then maximises value.
    as_of : ISO date, optional
        Forecasts leave out rows dated after it.
    daily : DailyRows, optional
        A forecast's rows per group and day, aggregated on the whole table where it lives (e.g.
        :func:`readiness.feasibility.every_row.daily_on_every_row`); used instead of aggregating ``data``
        when the use case is a forecast. Its target, columns and ``as_of`` must be these.
    full_rows : int, optional
        Rows of the whole table when ``data`` is a sample of it: a finding
        (``FEAS_FULL_DATA``) then reads the learning curve at the whole table's rows and says
        whether all rows would change the verdict. A forecast needs ``daily`` then.

    Returns
    -------
    FeasibilityReport

    Raises
    ------
    DataError
        A named column is not in the table (the message lists the closest names).
    ConfigError
        A parameter is malformed (unknown kind, value key, positive label...).
    """
    parameters = {"use_case": use_case, "target": target, "title": title, "kind": kind,
                  "positive_label": positive_label, "features": features, "exclude": exclude,
                  "time_column": time_column, "group_column": group_column, "text_column": text_column,
                  "seed": seed, "time_budget_s": time_budget_s, "value": value, "as_of": as_of,
                  "full_rows": full_rows}
    frame = data if isinstance(data, pd.DataFrame) else data.frame
    decimal = "." if isinstance(data, pd.DataFrame) else (getattr(data, "decimal", ".") or ".")
    where = f"use case '{use_case}'" if use_case else "feasibility"
    if not isinstance(data, pd.DataFrame):
        where += f" ({getattr(data.path, 'name', data.path)})"
    p = check_params(frame, where, **parameters)
    clock = Clock(p.time_budget_s)
    with clock.phase("typing"):
        profile, typed = type_table(frame, time_column=p.time_column, decimal=decimal)
    assumed = _name_use_case(p, profile, where)
    kind = p.kind if p.kind != "auto" else detect_kind(profile, p.target, text_column=p.text_column,
                                                       time_column=p.time_column)
    if p.kind == "auto":
        assumed.append(Assumption("kind", kind, kind_reason(profile, p.target, kind), "-p kind KIND"))
    with threadpool_limits(limits=threads()):
        if kind == "forecast":
            report = run_forecast(frame, typed, profile, p, clock, daily=daily)
        else:
            report = run_tabular(frame, typed, profile, p, kind, clock)
    note_assumptions(report, assumed + _fold_assumptions(profile, p, kind, report))
    return report


def _name_use_case(p: Params, profile: TableProfile, where: str) -> list[Assumption]:
    """Fill an empty target, use case id and title from the data; the choices made."""
    assumed = []
    if not p.target:
        found = detect_targets(profile)
        if not found:
            columns = ", ".join(list(profile.columns)[:30])
            raise ConfigError(f"{where}: no `target` was given and no yes/no outcome column was found; set "
                              f"-p target COLUMN, the column to predict (columns are: {columns}).")
        p.target = found[0].column
        others = ", ".join(d.column for d in found[1:4])
        reason = found[0].reason + (f"; other candidates: {others}" if others else "")
        assumed.append(Assumption("target", p.target, reason, "-p target COLUMN"))
    if not p.use_case:
        p.use_case = slug(p.target, fallback="use_case")
        assumed.append(Assumption("use_case", p.use_case, "made from the target's name", "-p use_case ID"))
    p.title = p.title or f"Predict {p.target}"
    return assumed


def kind_reason(profile: TableProfile, target: str, kind: str) -> str:
    """Why :func:`detect_kind` chose ``kind`` for ``target``, in words."""
    col = profile.columns[target]
    return {
        "text_classification": "a text column was given",
        "forecast": f"'{target}' identifies rows and a time column was given, so rows are counted per period",
        "regression": f"'{target}' is a number with {col.distinct:,} values",
    }.get(kind, f"'{target}' has {col.distinct:,} values")


def _fold_assumptions(profile: TableProfile, p: Params, kind: str, report: FeasibilityReport) -> list[Assumption]:
    """The positive label chosen, and the time and group columns that could have been given."""
    out = []
    m = report.result.metrics
    if not p.positive_label and m.get("positive_label"):
        out.append(Assumption("positive_label", str(m["positive_label"]), positive_reason(m),
                              "-p positive_label VALUE"))
    if kind in ("forecast", "text_classification"):
        return out
    skip = {p.target, *p.exclude}
    for param, given, found in (("time_column", p.time_column, time_candidates(profile, exclude=skip)),
                                ("group_column", p.group_column, group_candidates(profile, exclude=skip))):
        if given:
            continue
        folds = ("folds are stratified, not ordered by time" if param == "time_column"
                 else "rows of one customer or account may sit on both sides of a fold")
        if found:
            listed = ", ".join(f"'{d.column}' ({d.reason})" for d in found[:3])
            out.append(Assumption(param, "none", f"{folds}; candidates: {listed}", f"-p {param} {found[0].column}"))
        else:
            out.append(Assumption(param, "none", f"{folds}; no candidate column was found", f"-p {param} COLUMN"))
    return out


def positive_reason(metrics: dict) -> str:
    """Why the positive label was chosen (a yes-like value, else the rarer class)."""
    label = str(metrics["positive_label"])
    if label.strip().casefold() in POSITIVE_WORDS:
        return f"'{label}' reads as yes"
    rate = metrics.get("positive_rate")
    share = f" ({rate:.1%} of labelled rows)" if rate is not None else ""
    return f"no value reads as yes, so the rarer one{share}"
