"""The ethics notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` reads the use case's table (the Spark engine counts group sizes, base
rates and disparities on every row and brings a bounded sample to pandas for the rest), fills an
empty target, use case, title and protected attributes from the data, and records every choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from readiness.ethics.assess import EthicsReport, assess_ethics, load_tables
from readiness.ethics.params import EthicsParams
from readiness.params import Assumption, is_none_word, note_assumptions, slug
from readiness.quality.entry import reading_assumption, resolve_as_of, table_name

SPARK_DETECT_ROWS = 50_000  # rows profiled to find an empty target and protected attributes on Spark


def assess_from_params(params: EthicsParams, *, today: date | None = None) -> EthicsReport:
    """Run the ethics stage as the notebook does.

    Parameters
    ----------
    params : EthicsParams
        The notebook's parameters (an empty target, protected attributes, use case and title are
        detected or made from the data).
    today : date, optional
        The date an empty ``as_of`` stands for when ages are counted from dates of birth.

    Returns
    -------
    EthicsReport
        With ``assumed`` listing every choice made for the analyst.
    """
    as_of, as_of_assumed = resolve_as_of(params.as_of, today=today)
    table, assumed = table_name(params.table, params.data_path)
    target = None if is_none_word(params.target) else params.target
    detect = [name for name, given in (("target", params.target), ("protected", params.protected),
                                       ("key", params.key)) if not given]
    options = dict(table=table, protected=params.protected, target=target, positive_label=params.positive_label,
                   prediction_column=params.prediction_column, predictions_path=params.predictions_path,
                   key=params.key, domain=params.domain, reference_groups=params.reference_groups,
                   text_columns=params.text_columns, checklist_path=params.checklist_path,
                   decision_effect=params.decision_effect, min_group_size=params.min_group_size,
                   seed=params.seed, as_of=as_of)
    if params.engine == "spark":
        report = _assess_spark(params, options, detect)
    else:
        from readiness.tables import load_table, resolve_input_path

        loaded = load_table(resolve_input_path(params.data_path), sheet=params.sheet or None, name=table)
        assumed += reading_assumption(loaded)
        report = assess_ethics(loaded, use_case=params.use_case or "use_case", other_tables=load_tables(params.tables),
                               detect=detect, **options)
    assumed += _name_use_case(report, params)
    if any("dates of birth" in note for note in report.notes):
        assumed += as_of_assumed
    return note_assumptions(report, assumed)


def _name_use_case(report: EthicsReport, params: EthicsParams) -> list[Assumption]:
    """The use case id and title made from the target when not given."""
    target = next((a.value for a in report.assumed if a.parameter == "target"), None) or params.target
    if params.use_case:
        report.result.metrics["title"] = params.title or params.use_case
        return []
    use_case = slug(target, fallback="use_case") if target and not is_none_word(target) else "use_case"
    report.result.subject = use_case
    report.result.metrics["title"] = params.title or (f"Predict {target}" if target else use_case)
    return [Assumption("use_case", use_case, "made from the target's name", "-p use_case ID")]


def _assess_spark(params: EthicsParams, options: dict[str, Any], detect: list[str]) -> EthicsReport:
    from readiness.spark import spark_session
    from readiness.spark.groups import full_group_rates
    from readiness.spark.sampling import _to_pandas, model_sample, open_table, sample_tables
    from readiness.spark.session import DEFAULT_MASTER

    spark = spark_session(master=params.spark_master or DEFAULT_MASTER,
                          driver_memory=params.spark_driver_memory or None, conf=params.spark_conf)
    try:
        table = open_table(spark, params.data_path)
        early: list[Assumption] = []
        if "target" in detect or "protected" in detect:
            probe = assess_ethics(_to_pandas(table.limit(SPARK_DETECT_ROWS)), use_case="probe",
                                  detect=[d for d in detect if d != "key"],
                                  **{**options, "predictions_path": None, "checklist_path": None})
            early = [a for a in probe.assumed if a.parameter in ("target", "protected")]
            found = {a.parameter: a.value for a in early}
            if not options["target"] and found.get("target", "none") != "none":
                options["target"] = found["target"]
            options["protected"] = options["protected"] or list(probe.result.metrics.get("protected") or [])
        # the feasibility stage's sample: same column, size and seed, so its predictions match these rows
        data, note = model_sample(table, column=options["target"] or "", seed=params.seed)
        others = sample_tables(spark, params.tables, seed=params.seed)
        rates, full_notes = full_group_rates(table, protected=options["protected"], target=options["target"],
                                             positive_label=options["positive_label"] or None,
                                             reference_groups=options["reference_groups"],
                                             min_group_size=options["min_group_size"], seed=params.seed)
        report = assess_ethics(data, use_case=params.use_case or "use_case", other_tables=others,
                               group_rates=rates, full_rows=note.full_rows,
                               detect=[d for d in detect if d == "key"], **options)
        uncounted = [n for n in full_notes if n not in report.notes]
        report.scope_note = " ".join([note.ethics_text, *uncounted])
        report.group_rates_caption = f"Group sizes and base rates on all {note.full_rows:,} rows, counted by Spark"
        report.assumed = [*early, *report.assumed]
        return report
    finally:
        spark.stop()
