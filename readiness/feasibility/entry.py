"""The feasibility notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` opens the table with the engine the parameters name; when the models
see only a sample of it, the target (or a forecast's rows per day) is counted on every row. It
fills an empty target, use case and title from the data, and records every such choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from readiness.errors import ConfigError
from readiness.feasibility.assess import FeasibilityReport, assess_feasibility
from readiness.feasibility.data import resolve_kind
from readiness.feasibility.every_row import daily_on_every_row, target_counts
from readiness.feasibility.params import FeasibilityParams
from readiness.params import Assumption, note_assumptions, resolve_as_of
from readiness.profiling.detect import detect_targets
from readiness.profiling.profile import profile_table
from readiness.sources import open_source
from readiness.sources.base import ScopeNote

DETECT_ROWS = 50_000  # rows profiled to find an empty target before a sample is drawn


def assess_from_params(params: FeasibilityParams, *, today: date | None = None) -> FeasibilityReport:
    """Run the feasibility stage as the notebook does.

    Parameters
    ----------
    params : FeasibilityParams
        The notebook's parameters (an empty target, use case and title are filled from the data).
    today : date, optional
        The date an empty ``as_of`` stands for (today by default); forecasts leave out later rows.

    Returns
    -------
    FeasibilityReport
        With ``assumed`` listing every choice made for the analyst.
    """
    as_of, as_of_assumed = resolve_as_of(params.as_of, today=today)
    options = dict(use_case=params.use_case, title=params.title, target=params.target,
                   positive_label=params.positive_label, kind=params.kind, features=params.features or "auto",
                   exclude=params.exclude, time_column=params.time_column, group_column=params.group_column,
                   text_column=params.text_column, value=params.value, as_of=as_of, seed=params.seed,
                   time_budget_s=params.time_budget_s)
    with open_source(params.data_path, name=params.use_case or None, engine=params.engine, sheet=params.sheet,
                     options=params.model_dump()) as source:
        assumed = source.reading()[0]
        probe = None if params.target else source.probe(DETECT_ROWS)
        if probe is not None:  # the models will see a sample: find the target to stratify it by first
            options["target"], found = _detect_target(probe)
            assumed += found
        data, note = source.model_frame(stratify_by=options["target"], seed=params.seed)
        if note is None:
            report = assess_feasibility(data, **options)
        else:
            report = _on_a_sample(source, data, note, params, options)
    if report.result.metrics.get("kind") == "forecast":
        assumed += as_of_assumed  # as_of only dates a forecast's series
    return note_assumptions(report, assumed)


def _on_a_sample(source: Any, data: Any, note: ScopeNote, params: FeasibilityParams,
                 options: dict[str, Any]) -> FeasibilityReport:
    """Models on the sample; the target's counts, or a forecast's daily rows, on every row of the table."""
    target = options["target"]
    daily = full_counts = None
    if resolve_kind(data, target=target, kind=params.kind, time_column=params.time_column,
                    text_column=params.text_column, decimal=source.decimal) == "forecast":
        daily = daily_on_every_row(source, data, target=target, time_column=params.time_column,
                                   group_column=params.group_column, as_of=options["as_of"])
    else:
        full_counts = target_counts(source, target=target)
    report = assess_feasibility(data, daily=daily, full_rows=note.full_rows, **options)
    full_data = report.result.metrics.get("full_data")
    report.scope_note = daily.text if daily is not None else (
        note.text + (" " + full_data["sentence"] if full_data else ""))
    if full_counts is not None and len(full_counts):
        report.full_counts = full_counts
        report.full_counts_caption = f"{target} on all {note.full_rows:,} rows, counted by {source.engine}"
    return report


def _detect_target(frame: pd.DataFrame) -> tuple[str, list[Assumption]]:
    """The outcome column found on a table's first rows."""
    found = detect_targets(profile_table(frame))
    if not found:
        raise ConfigError("feasibility: no `target` was given and no yes/no outcome column was found in the first "
                          f"{DETECT_ROWS:,} rows; set -p target COLUMN, the column to predict.")
    return found[0].column, [Assumption("target", found[0].column, f"{found[0].reason} (in the first "
                                        f"{DETECT_ROWS:,} rows)", "-p target COLUMN")]
