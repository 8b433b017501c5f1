"""The pilot review notebook's parameters: names, types, defaults and help in one model."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from readiness.params import HELP, NotebookParams


class PilotParams(NotebookParams):
    """Parameters of ``notebooks/06_pilot_review.ipynb``: the pilot's decision log and what it is judged against."""

    notebook = "06_pilot_review.ipynb"
    stage = "pilot"

    data_path: str = Field("sample_data/harbour_physio/pilot/no_show_pilot.csv",
                           description="the pilot's decision log, one row per decision: csv, tsv, txt, xlsx or "
                                       "parquet")
    use_case: str = Field("", description="the use case id in the report and file names; empty means the "
                                          "feasibility result's, else made from the log's file name")
    title: str = Field("", description="the use case in words; empty means the feasibility result's title")
    feasibility_result: str = Field("", description="the feasibility stage's <use_case>.json, whose estimate the "
                                                    "realised metrics are compared with; empty for none")
    roi_result: str = Field("", description="the ROI stage's roi.json, whose figures for the use case are shown "
                                            "beside the realised value; empty for none")
    baseline_path: str = Field("", description="the extract the feasibility stage assessed, the baseline for "
                                               "input drift; empty for none (drift is not measured)")
    id_column: str = Field("", description="the column identifying a logged decision (never shown); empty means "
                                           "detect it, \"none\" that there is none")
    date_column: str = Field("", description="when each decision was made; empty means detect a date column "
                                             "(scored_at, decided_at ...), \"none\" for none")
    score_column: str = Field("", description="the model's score, a probability from 0 to 1; empty means detect "
                                              "it (score, probability ...)")
    decision_column: str = Field("", description="the decision taken, yes/no; empty means detect it (decision, "
                                                 "action ...)")
    outcome_column: str = Field("", description="what actually happened, yes/no, empty where not yet known; empty "
                                                "means detect it (actual, outcome, or the use case's target)")
    positive_label: str = Field("", description="the outcome and decision value that counts as positive; empty "
                                                "takes the feasibility result's, else a yes-like value")
    features: list[str] = Field([], description="columns compared with the baseline for drift; empty means the "
                                                "feasibility result's features found in both files, else every "
                                                "shared column")
    group_columns: list[str] = Field([], description="columns whose groups are compared for fairness; empty means "
                                                     "detect protected attributes (sex, age ...)")
    value: dict[str, Any] = Field({}, description="value of each outcome, decisions_per_year and adoption, as the "
                                                  "ROI stage takes them, e.g. {\"true_positive\": 30, "
                                                  "\"false_positive\": -2.5, \"decisions_per_year\": 30000}; empty "
                                                  "for none")
    currency: str = Field("EUR", description="shown with every amount")
    bootstrap: int = Field(1000, description="resamples behind each realised figure's 95% interval")
    min_group_size: int = Field(30, description="groups with fewer decisions are shown but not judged")
    seed: int = Field(42, description="drives every random choice: the bootstrap resamples")
    sheet: str = Field("", description=HELP["sheet"])
    client: str = Field("", description=HELP["client"])
    results_dir: str = Field(".", description="where <use_case>.json is written")
