"""The summary notebook's parameters: names, types, defaults and help in one model."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from readiness.params import NotebookParams


class SummaryParams(NotebookParams):
    """Parameters of ``notebooks/05_summary.ipynb``; empty ones are read from the run folder's ``run.json``."""

    notebook = "05_summary.ipynb"
    stage = "summary"

    reports_dir: str = Field("reports/harbour-physio-group",
                             description="the run folder holding quality/, feasibility/, ethics/ and roi.json")
    survey_path: str = Field("", description="the questionnaire answers YAML; empty means the run's, as run.json "
                                             "records it")
    questionnaire_overrides: dict[str, Any] = Field({}, description="weights, floors or cut-offs to change, same "
                                                                    "keys as the questionnaire file")
    expected: dict[str, Any] = Field({}, description="stage -> subjects the run planned, so that a missing result is "
                                                     "named; empty means those run.json records")
    client: str = Field("", description="the client's name in the report; empty means the run's")
    as_of: str = Field("", description="the date the assessment is judged against; empty means the run's, else "
                                       "today")
    currency: str = Field("EUR", description="used when roi.json does not name its currency")
    results_dir: str = Field(".", description="where summary.json is written")
