"""The progress notebook's parameters: names, types, defaults and help in one model."""

from __future__ import annotations

from pydantic import Field

from readiness.params import NotebookParams


class ProgressParams(NotebookParams):
    """Parameters of ``notebooks/07_progress.ipynb``: two report folders of one client, earlier and later."""

    notebook = "07_progress.ipynb"
    stage = "progress"

    baseline_dir: str = Field("", description="the earlier run's report folder (written by readiness run); needed")
    reports_dir: str = Field("reports/harbour-physio-group", description="the later run's report folder, compared "
                                                                         "with the baseline")
    material_points: float = Field(1.0, description="a 0-100 score (readiness, data quality) must move at least "
                                                    "this much to count as a change")
    roi_share: float = Field(0.05, description="an NPV must move at least this share of its larger value, or "
                                               "P(NPV > 0) this many points / 100, to count as moved")
    results_dir: str = Field(".", description="where progress.json is written")
