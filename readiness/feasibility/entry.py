"""The feasibility notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` reads the table with the engine the parameters name (the Spark engine
models a bounded sample and counts the target, or a forecast's rows per day, on every row), fills
an empty target, use case and title from the data, and records every such choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from readiness.feasibility.assess import FeasibilityReport, assess_feasibility
from readiness.feasibility.params import FeasibilityParams
from readiness.params import Assumption, note_assumptions
from readiness.quality.entry import reading_assumption, resolve_as_of

SPARK_DETECT_ROWS = 50_000  # rows profiled to find an empty target before the stratified sample is drawn


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
    as_of, assumed = resolve_as_of(params.as_of, today=today)
    options = dict(use_case=params.use_case, title=params.title, target=params.target,
                   positive_label=params.positive_label, kind=params.kind, features=params.features or "auto",
                   exclude=params.exclude, time_column=params.time_column, group_column=params.group_column,
                   text_column=params.text_column, value=params.value, as_of=as_of, seed=params.seed,
                   time_budget_s=params.time_budget_s)
    if params.engine == "spark":
        return _assess_spark(params, options)
    from readiness.tables import load_table, resolve_input_path

    data = load_table(resolve_input_path(params.data_path), sheet=params.sheet or None,
                      name=params.use_case or None)
    report = assess_feasibility(data, **options)
    if report.result.metrics.get("kind") != "forecast":
        assumed = []  # as_of only dates a forecast's series
    return note_assumptions(report, reading_assumption(data) + assumed)


def _assess_spark(params: FeasibilityParams, options: dict[str, Any]) -> FeasibilityReport:
    from readiness.feasibility.data import resolve_kind
    from readiness.spark import spark_session
    from readiness.spark.sampling import _to_pandas, label_counts, model_sample, open_table
    from readiness.spark.series import aggregate_daily_spark
    from readiness.spark.session import DEFAULT_MASTER

    spark = spark_session(master=params.spark_master or DEFAULT_MASTER,
                          driver_memory=params.spark_driver_memory or None, conf=params.spark_conf)
    try:
        table = open_table(spark, params.data_path)
        target, assumed = params.target, []
        if not target:
            target, assumed = _spark_target(_to_pandas(table.limit(SPARK_DETECT_ROWS)))
            options["target"] = target
        data, note = model_sample(table, column=target, seed=params.seed)
        daily = full_counts = None
        if resolve_kind(data, target=target, kind=params.kind, time_column=params.time_column,
                        text_column=params.text_column) == "forecast":
            # a forecast counts rows per day: Spark aggregates every row, only the counts come to pandas
            daily = aggregate_daily_spark(table, data, target=target, time_column=params.time_column,
                                          group_column=params.group_column, as_of=options["as_of"])
        else:
            full_counts = label_counts(table, target=target)
        report = assess_feasibility(data, daily=daily, full_rows=note.full_rows, **options)
        full_data = report.result.metrics.get("full_data")
        report.scope_note = daily.text if daily is not None else (
            note.text + (" " + full_data["sentence"] if full_data else ""))
        if full_counts is not None and len(full_counts):
            report.full_counts = full_counts
            report.full_counts_caption = f"{target} on all {note.full_rows:,} rows, counted by Spark"
        # the target found on the first rows is the one the report names
        report.assumed = [a for a in report.assumed if a.parameter != "target"]
        if report.result.metrics.get("kind") == "forecast":
            assumed += resolve_as_of(params.as_of)[1]
        return note_assumptions(report, assumed)
    finally:
        spark.stop()


def _spark_target(frame: Any) -> tuple[str, list[Assumption]]:
    from readiness.errors import ConfigError
    from readiness.profiling.detect import detect_targets
    from readiness.profiling.profile import profile_table

    found = detect_targets(profile_table(frame))
    if not found:
        raise ConfigError("feasibility: no `target` was given and no yes/no outcome column was found in the first "
                          f"{SPARK_DETECT_ROWS:,} rows; set -p target COLUMN, the column to predict.")
    return found[0].column, [Assumption("target", found[0].column, f"{found[0].reason} (in the first "
                                        f"{SPARK_DETECT_ROWS:,} rows)", "-p target COLUMN")]
