"""The ethics notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` opens the use case's table with the engine the parameters name; when
the models see only a sample of it, group sizes, base rates and disparities are counted on every
row. It fills an empty target, use case, title and protected attributes from the data, and records
every choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from readiness.ethics.assess import EthicsReport, assess_ethics
from readiness.ethics.every_row import group_rates_on_every_row
from readiness.ethics.params import EthicsParams
from readiness.params import Assumption, is_none_word, note_assumptions, resolve_as_of, slug, table_name
from readiness.sources import open_source
from readiness.sources.base import ScopeNote

DETECT_ROWS = 50_000  # rows profiled to find an empty target and protected attributes before sampling


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
    with open_source(params.data_path, name=table, engine=params.engine, sheet=params.sheet,
                     options=params.model_dump()) as source:
        assumed += source.reading()[0]
        early = _detect_early(source, options, detect)
        # the feasibility stage's rows: same column, size and seed, so its predictions match these rows
        data, note = source.model_frame(stratify_by=options["target"] or "", seed=params.seed)
        others = source.other_tables(params.tables, seed=params.seed)
        if note is None:
            report = assess_ethics(data, use_case=params.use_case or "use_case", other_tables=others, detect=detect,
                                   **options)
        else:
            report = _on_a_sample(source, data, note, others, params, options, detect)
        report.assumed = [*early, *report.assumed]
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


def _detect_early(source: Any, options: dict[str, Any], detect: list[str]) -> list[Assumption]:
    """The target and protected attributes found on the first rows, when the models will see a sample
    (so the sample is stratified by the target and the groups are counted on every row)."""
    probe = source.probe(DETECT_ROWS) if "target" in detect or "protected" in detect else None
    if probe is None:
        return []
    found = assess_ethics(probe, use_case="probe", detect=[d for d in detect if d != "key"],
                          **{**options, "predictions_path": None, "checklist_path": None})
    early = [a for a in found.assumed if a.parameter in ("target", "protected")]
    values = {a.parameter: a.value for a in early}
    if not options["target"] and values.get("target", "none") != "none":
        options["target"] = values["target"]
    options["protected"] = options["protected"] or list(found.result.metrics.get("protected") or [])
    return early


def _on_a_sample(source: Any, data: Any, note: ScopeNote, others: dict[str, Any], params: EthicsParams,
                 options: dict[str, Any], detect: list[str]) -> EthicsReport:
    """Proxies, missingness, model fairness and the scan on the sample; group rates on every row."""
    rates, full_notes = group_rates_on_every_row(source, protected=options["protected"], target=options["target"],
                                                 positive_label=options["positive_label"] or None,
                                                 reference_groups=options["reference_groups"],
                                                 min_group_size=options["min_group_size"], seed=params.seed)
    report = assess_ethics(data, use_case=params.use_case or "use_case", other_tables=others, group_rates=rates,
                           full_rows=note.full_rows, detect=[d for d in detect if d == "key"], **options)
    uncounted = [n for n in full_notes if n not in report.notes]
    report.scope_note = " ".join([note.ethics_text, *uncounted])
    report.group_rates_caption = (f"Group sizes and base rates on all {note.full_rows:,} rows, counted by "
                                  f"{source.engine}")
    return report
