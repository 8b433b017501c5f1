"""Translate an engagement into stage notebooks and their direct parameters.

Each stage registers a planner (engagement, report root) -> jobs. The runner knows nothing of
stages: a new stage adds a notebook and one entry to :data:`STAGES`. The data-quality,
feasibility and ethics jobs also get their engine (``engine``, ``spark_master``,
``spark_driver_memory``, ``spark_conf``): a table's own, or its use case's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.engagement import Engagement, UseCase, is_spark, spark_parameters, use_case_engine
from readiness.ethics.params import EthicsParams
from readiness.feasibility.params import FeasibilityParams
from readiness.notebooks import NOTEBOOKS_DIR, NotebookJob
from readiness.params import NotebookParams
from readiness.pilot.params import PilotParams
from readiness.quality.params import QualityParams
from readiness.roi.params import RoiParams
from readiness.scorecard.params import SummaryParams


@dataclass(frozen=True)
class Stage:
    """A stage: its parameter model (which names its notebook), its title in reports, its wave, how to plan its jobs."""

    params: type[NotebookParams]
    title: str
    wave: int
    planner: Callable[[Engagement, Path], list[dict[str, Any]]]
    notebook: str = ""  # the notebook's file in notebooks/ (its model's by default), or a path

    def __post_init__(self) -> None:
        if not self.notebook:
            object.__setattr__(self, "notebook", self.params.notebook)


def _common(engagement: Engagement, results_dir: Path) -> dict[str, Any]:
    return {"client": engagement.client, "results_dir": str(results_dir)}


def _params(model: type[NotebookParams], where: str, **given: Any) -> dict[str, Any]:
    """``given`` validated by the stage's parameter model, as the JSON papermill injects."""
    return model.from_mapping(given, where=where).notebook_parameters()


def _sheet(sheet: str | int | None) -> str:
    return "" if sheet is None else str(sheet)


def _quality(engagement: Engagement, root: Path) -> list[dict[str, Any]]:
    jobs = []
    for name, spec in engagement.tables.items():
        given = {**engagement.table_parameters(name), **_common(engagement, root / "quality"),
                 **spark_parameters(engagement, spec.engine)}
        given["sheet"] = _sheet(given.get("sheet"))
        jobs.append({"subject": name, "parameters": _params(QualityParams, f"tables.{name}", **given)})
    return jobs


def _use_case_data(engagement: Engagement, case: UseCase) -> dict[str, Any]:
    table = engagement.tables[case.table]
    return {"data_path": table.location, "sheet": _sheet(table.sheet),
            **spark_parameters(engagement, use_case_engine(engagement, case.id))}


def _spark_reads(engagement: Engagement, name: str) -> bool:
    spec = engagement.tables[name]
    return spec.sheet is None and spec.path.suffix.lower() not in (".xlsx", ".xls")


def _other_tables(engagement: Engagement, own_tables: set[str], engine: str) -> dict[str, str]:
    """Tables no use case reads, for the personal-data scan: a pandas job never gets a Spark table to load."""
    names = [name for name in engagement.tables if name not in own_tables]
    if engine == "spark":
        return {name: engagement.tables[name].location for name in names if _spark_reads(engagement, name)}
    return {name: engagement.tables[name].location for name in names if not is_spark(engagement.tables[name])}


def _positive(case: UseCase) -> str:
    return "" if case.extra.get("positive") is None else str(case.extra["positive"])


def _feasibility(engagement: Engagement, root: Path) -> list[dict[str, Any]]:
    jobs = []
    for i, case in enumerate(engagement.use_cases):
        extra = case.extra
        given = {
            **_use_case_data(engagement, case),
            "use_case": case.id,
            "title": case.title,
            "target": case.target,
            "positive_label": _positive(case),
            "kind": extra.get("kind", "auto"),
            "features": extra.get("features", "auto"),
            "exclude": list(extra.get("exclude", [])),
            "time_column": extra.get("time_column") or "",
            "group_column": extra.get("group_column") or "",
            "text_column": extra.get("text_column") or "",
            "value": dict(extra.get("value", {})),
            "as_of": engagement.as_of.isoformat(),
            "seed": engagement.seed,
            **_common(engagement, root / "feasibility"),
        }
        if "time_budget_s" in extra:
            given["time_budget_s"] = extra["time_budget_s"]
        jobs.append({"subject": case.id, "parameters": _params(FeasibilityParams, f"use_cases[{i}]", **given)})
    return jobs


def _ethics(engagement: Engagement, root: Path) -> list[dict[str, Any]]:
    # each table's personal-data scan runs once: in the run of a use case on that table, and
    # tables that no use case reads are scanned in the first use case's run
    own_tables = {case.table for case in engagement.use_cases}
    jobs = []
    for number, case in enumerate(engagement.use_cases):
        extra = case.extra
        table = engagement.tables[case.table]
        others = _other_tables(engagement, own_tables, use_case_engine(engagement, case.id)) if number == 0 else {}
        text_columns = extra.get("text_columns", [extra["text_column"]] if extra.get("text_column") else [])
        given = {
            **_use_case_data(engagement, case),
            "table": case.table,
            "key": table.key or "",
            "use_case": case.id,
            "title": case.title,
            "protected": list(extra.get("protected", [])),
            "target": case.target,
            "positive_label": _positive(case),
            "prediction_column": extra.get("prediction_column") or "",
            # written by the feasibility stage one wave earlier; emptied if that stage wrote none
            "predictions_path": str(root / "feasibility" / f"{case.id}.predictions.parquet"),
            "domain": extra.get("domain") or "",
            "reference_groups": dict(extra.get("reference_groups", {})),
            "decision_effect": extra.get("decision_effect") or "",
            "text_columns": list(text_columns),
            "checklist_path": "" if engagement.checklist is None else str(engagement.checklist),
            "tables": others,
            "as_of": engagement.as_of.isoformat(),
            "seed": engagement.seed,
            **_common(engagement, root / "ethics"),
        }
        if "min_group_size" in extra:
            given["min_group_size"] = extra["min_group_size"]
        jobs.append({"subject": case.id, "parameters": _params(EthicsParams, f"use_cases[{number}]", **given),
                     "optional_inputs": ("predictions_path",), "reads": (f"feasibility/{case.id}",)})
    return jobs


def _roi(engagement: Engagement, root: Path) -> list[dict[str, Any]]:
    cases = [{"id": c.id, "title": c.title, **c.extra} for c in engagement.use_cases]
    if not cases:
        return []
    params = _params(RoiParams, "roi", data_path="", use_cases=cases, feasibility_dir=str(root / "feasibility"),
                     horizon_years=engagement.roi.horizon_years, discount_rate=engagement.roi.discount_rate,
                     currency=engagement.currency, draws=engagement.roi.draws, seed=engagement.seed,
                     **_common(engagement, root))
    return [{"subject": "portfolio", "rel_base": "roi", "label": "use-case portfolio", "parameters": params,
             "reads": ("feasibility/",)}]


def _pilot(engagement: Engagement, root: Path) -> list[dict[str, Any]]:
    """One review per use case whose engagement entry names a pilot log; none otherwise."""
    jobs = []
    for i, case in enumerate(engagement.use_cases):
        pilot = case.pilot
        if pilot is None:
            continue
        extra, table = case.extra, engagement.tables[case.table]
        value = dict(extra.get("value") or {})
        adoption = (extra.get("benefit") or {}).get("adoption") if isinstance(extra.get("benefit"), dict) else None
        if adoption is not None and "adoption" not in value:
            value["adoption"] = adoption  # the ROI stage's annual benefit counts adoption
        groups = pilot.group_columns if pilot.group_columns is not None else list(extra.get("protected", []))
        given = {
            "data_path": str(pilot.log), "sheet": _sheet(pilot.sheet), "use_case": case.id, "title": case.title,
            # written one and two waves earlier; emptied if that stage wrote none
            "feasibility_result": str(root / "feasibility" / f"{case.id}.json"), "roi_result": str(root / "roi.json"),
            # the assessed extract is the drift baseline; a table only Spark reads is not loaded here
            "baseline_path": "" if is_spark(table) or table.is_url else table.location,
            "id_column": pilot.id_column or "", "date_column": pilot.date_column or "",
            "score_column": pilot.score_column or "", "decision_column": pilot.decision_column or "",
            "outcome_column": pilot.outcome_column or "", "positive_label": _positive(case),
            "features": list(pilot.features), "group_columns": list(groups), "value": value,
            "currency": engagement.currency, "seed": engagement.seed, **_common(engagement, root / "pilot"),
        }
        jobs.append({"subject": case.id, "parameters": _params(PilotParams, f"use_cases[{i}].pilot", **given),
                     "optional_inputs": ("feasibility_result", "roi_result"),
                     "reads": (f"feasibility/{case.id}", "roi")})
    return jobs


def _summary(engagement: Engagement, root: Path) -> list[dict[str, Any]]:
    cases = [c.id for c in engagement.use_cases]
    planned = {"quality": list(engagement.tables), "feasibility": cases, "ethics": cases,
               "pilot": [c.id for c in engagement.use_cases if c.pilot is not None]}
    expected = {stage: planned.get(stage, ["portfolio"] if cases else []) for stage in STAGES if stage != "summary"}
    params = _params(SummaryParams, "summary", reports_dir=str(root),
                     survey_path="" if engagement.survey is None else str(engagement.survey),
                     as_of=engagement.as_of.isoformat(), currency=engagement.currency, expected=expected,
                     **_common(engagement, root))
    return [{"subject": "readiness", "rel_base": "summary", "label": "", "parameters": params}]


STAGES: dict[str, Stage] = {
    "quality": Stage(QualityParams, "Data quality", 0, _quality),
    "feasibility": Stage(FeasibilityParams, "Feasibility", 0, _feasibility),
    "ethics": Stage(EthicsParams, "Ethics and bias", 1, _ethics),
    "roi": Stage(RoiParams, "Return on investment", 1, _roi),
    "summary": Stage(SummaryParams, "Readiness summary", 2, _summary),
    # reads the feasibility result (wave 0) and roi.json (wave 1); planned only for use cases with a pilot log
    "pilot": Stage(PilotParams, "Pilot review", 2, _pilot),
}


def _title(stage_title: str, label: str) -> str:
    return f"{stage_title}: {label}" if label else stage_title


def plan_jobs(engagement: Engagement, *, results_root: Path) -> list[NotebookJob]:
    """Every notebook an engagement needs, in wave order, with its direct JSON-able parameters."""
    jobs = []
    for stage_name, stage in STAGES.items():
        notebook = NOTEBOOKS_DIR / stage.notebook
        for planned in stage.planner(engagement, results_root):
            subject = planned["subject"]
            rel_base = planned.get("rel_base", f"{stage_name}/{subject}")
            jobs.append(
                NotebookJob(
                    stage=stage_name,
                    subject=subject,
                    notebook=notebook,
                    parameters=planned["parameters"],
                    rel_base=rel_base,
                    title=_title(stage.title, planned.get("label", subject)),
                    wave=stage.wave,
                    optional_inputs=planned.get("optional_inputs", ()),
                    reads=planned.get("reads"),
                )
            )
    return sorted(jobs, key=lambda job: job.wave)
