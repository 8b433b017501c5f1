"""The progress notebook in one call: parameters in, the comparison out, with what was assumed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from readiness.errors import ConfigError
from readiness.metrics import ProgressMetrics
from readiness.params import Assumption, note_assumptions
from readiness.progress.assess import compare_runs
from readiness.progress.params import ProgressParams
from readiness.progress.report import ProgressReport
from readiness.resources import resolve_input_path
from readiness.results import StageResult

RESULT_FILE = "progress.json"


def assess_from_params(params: ProgressParams) -> ProgressReport:
    """Compare the two runs the parameters name, as the notebook does.

    Raises
    ------
    ConfigError
        ``baseline_dir`` is empty, a folder is not a report folder, or the runs are of different clients.
    """
    if not params.baseline_dir:
        raise ConfigError("progress parameter `baseline_dir` is empty; give -p baseline_dir with the earlier run's "
                          "report folder (or run `readiness compare BEFORE AFTER`)")
    later = resolve_input_path(params.reports_dir)
    report = compare_runs(resolve_input_path(params.baseline_dir), later, material_points=params.material_points,
                          roi_share=params.roi_share)
    for side in ("before", "after"):  # where the runs are, from the later run's folder: valid wherever it moves
        given = Path(report.result.metrics[side]["path"])
        report.result.metrics[side]["path"] = os.path.relpath(given.resolve(), later.resolve())
    assumed = []
    if params.material_points == ProgressParams.model_fields["material_points"].default:
        assumed.append(Assumption("material_points", f"{params.material_points:g} point",
                                  "survey answers and data-quality counts carry no sampling noise, so a 0-100 score "
                                  "moving less than a point is rounding", "-p material_points 2"))
    if params.roi_share == ProgressParams.model_fields["roi_share"].default:
        assumed.append(Assumption("roi_share", f"{params.roi_share:.0%}", "an NPV moving less than 5 % of its size "
                                  "is within what a small input change does", "-p roi_share 0.1"))
    return note_assumptions(report, assumed)


def save_progress(report: ProgressReport, results_dir: str | Path) -> Path:
    """Write ``progress.json`` (the progress stage's result) into ``results_dir`` and return its path."""
    return report.result.save(Path(results_dir) / RESULT_FILE)


def index_progress(path: str | Path, *, href: str = "progress.html") -> dict[str, Any]:
    """What the index page shows of a progress result (``render.write_index(..., progress=...)``).

    Returns
    -------
    dict
        ``href``, ``verdict``, ``score``, ``headline``, ``since`` (the baseline's date), the
        counts ``resolved``, ``new``, ``still_open`` and ``not_matched``, and the readiness index
        ``index_before`` / ``index_after``.
    """
    result = StageResult.load(path)
    m = result.metrics_as(ProgressMetrics)
    return {"href": href, "verdict": result.shown_verdict, "score": result.score, "headline": m.headline or "",
            "since": m.before.as_of or "", "resolved": m.counts.get("resolved", 0), "new": m.counts.get("new", 0),
            "still_open": m.counts.get("still_open", 0), "not_matched": len(m.unmatched),
            "index_before": m.readiness_index.get("before"), "index_after": m.readiness_index.get("after")}
