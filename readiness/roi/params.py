"""The ROI notebook's parameters: names, types, defaults and help in one model."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from readiness.params import HELP, NotebookParams


class RoiParams(NotebookParams):
    """Parameters of ``notebooks/04_roi.ipynb``; the use cases come from an engagement file unless given."""

    notebook = "04_roi.ipynb"
    stage = "roi"

    data_path: str = Field("sample_data/harbour_physio/engagement.yaml",
                           description="an engagement YAML whose use cases are valued when use_cases is empty")
    use_cases: list[dict[str, Any]] = Field([], description="one dict per use case: id, title, benefit or value, "
                                                            "costs, optional p_success; empty means those of "
                                                            "data_path")
    feasibility_dir: str = Field("", description="folder holding the feasibility results <use_case>.json; empty "
                                                 "when there is none")
    horizon_years: int = Field(3, description="years of benefits and running costs counted")
    discount_rate: float = Field(0.08, description="yearly discount rate, 0.08 for 8 percent; year 0 is not "
                                                   "discounted")
    currency: str = Field("EUR", description="shown with every amount")
    draws: int = Field(10000, description="Monte Carlo draws per use case")
    seed: int = Field(42, description="drives every random draw")
    client: str = Field("", description=HELP["client"])
    results_dir: str = Field(".", description="where roi.json is written")
