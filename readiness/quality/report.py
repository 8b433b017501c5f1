"""What the data-quality notebook shows about one table (:class:`QualityReport`), and how it is saved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.params import Assumption, note_assumptions
from readiness.profiling.profile import TableProfile
from readiness.quality.gx_project import ClientChecks, write_project
from readiness.quality.scores import QualityScores
from readiness.results import StageResult, to_jsonable

EXPECTATION_COLUMNS = [
    "expectation", "column", "origin", "description", "success", "unexpected_count", "unexpected_percent",
    "observed",
]


@dataclass
class QualityReport:
    """Everything the data-quality notebook shows about one table."""

    result: StageResult
    profile: TableProfile
    scores: QualityScores
    expectations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXPECTATION_COLUMNS))
    suite: dict[str, Any] = field(default_factory=dict)
    assumed: list[Assumption] = field(default_factory=list)
    client_checks: ClientChecks | None = None  # written into the client's Great Expectations project

    def add_assumptions(self, assumed: list[Assumption]) -> None:
        """Record choices made for the analyst, in the report and in the result's ``metrics["assumed"]``."""
        note_assumptions(self, assumed)

    def expectations_frame(self) -> pd.DataFrame:
        """Great Expectations results for display; ``unexpected %`` is a 0-1 share."""
        ex = self.expectations
        if ex.empty:
            return pd.DataFrame(columns=["check", "column", "origin", "result", "unexpected", "unexpected %"])
        return pd.DataFrame({
            "check": ex["description"].fillna(ex["expectation"]),
            "column": ex["column"].fillna(""),
            "origin": ex["origin"],
            "result": ex["success"].map({True: "pass", False: "fail"}).fillna("fail"),
            "unexpected": pd.to_numeric(ex["unexpected_count"], errors="coerce"),
            "unexpected %": pd.to_numeric(ex["unexpected_percent"], errors="coerce") / 100,
        })

    @property
    def headline(self) -> str:
        """One sentence on what the verdict means for the client."""
        errors = self.result.count_by_severity()["error"]
        score = f"overall quality {self.scores.overall:.1f} / 100"
        blocking = f"{errors} blocking issue{'s' if errors != 1 else ''}"
        return {
            "ready": f"The table can be used as it is: {score} and no blocking issue.",
            "needs_work": f"The table can be used after fixes: {score}, {blocking}.",
        }.get(self.result.verdict, f"The table is not fit for use yet: {score}, {blocking}.")

    @property
    def checks_note(self) -> str:
        """Where the client's checks of this table went and how to re-run them; empty when none were written."""
        checks = self.client_checks
        if checks is None:
            return ""
        defects = sum(1 for e in checks.expectations if e["meta"].get("finding"))
        return (f"The table's {len(checks.expectations)} checks, as Great Expectations' own {checks.reader} reader "
                f"reads {checks.file}, are in the Great Expectations project gx/ beside this report: {defects} fail "
                "exactly when a finding above is reported (a duplicate key, a reference to a missing record, a "
                "future date, a second date format, a malformed e-mail or phone, a mixed code shape), the others "
                "guard what this extract looks like (filled shares, category values, ranges). Re-run them on a "
                "later extract with: python quality/gx/run_checks.py --data FOLDER (from the run's folder); "
                "Great Expectations builds its Data Docs there.")

    @property
    def cards(self) -> dict[str, float | int]:
        """Headline figures for a row of metric cards."""
        counts = self.result.count_by_severity()
        return {
            "Rows": self.profile.rows,
            "Columns": len(self.profile.columns),
            "Quality score": round(self.scores.overall, 1),
            "Missing cells": self.result.metrics.get("null_cells", 0),
            "Errors": counts["error"],
            "Warnings": counts["warning"],
        }


def save_report(report: QualityReport, results_dir: str | Path) -> dict[str, Path]:
    """Write ``<table>.json`` (the stage result), ``<table>.gx-suite.json`` (when a suite was built) and the
    table's checks into the Great Expectations project ``gx/`` (when the report has them).

    Returns
    -------
    dict
        ``{"result": path, "suite": path, "gx_project": path}`` (each of the last two only when written).
    """
    folder = Path(results_dir)
    subject = report.result.subject
    saved = {"result": report.result.save(folder / f"{subject}.json")}
    if report.suite:
        path = folder / f"{subject}.gx-suite.json"
        path.write_text(json.dumps(to_jsonable(report.suite), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        saved["suite"] = path
    if report.client_checks is not None:
        saved["gx_project"] = write_project(folder, report.client_checks)
    return saved
