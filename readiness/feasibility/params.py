"""The feasibility notebook's parameters: names, types, defaults and help in one model."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from readiness.params import HELP, EngineName, NotebookParams


class FeasibilityParams(NotebookParams):
    """Parameters of ``notebooks/02_feasibility.ipynb``; an empty target is detected from the data."""

    notebook = "02_feasibility.ipynb"
    stage = "feasibility"

    data_path: str = Field("sample_data/harbour_physio/appointments.csv",
                           description="the table's file: csv, tsv, txt, xlsx or parquet")
    use_case: str = Field("", description="the use case id in the report and file names; empty means made from "
                                          "the target")
    title: str = Field("", description="the use case in words; empty means Predict <target>")
    target: str = Field("", description="the column to predict; empty means detect a yes/no outcome column; for a "
                                        "forecast, rows are counted per period")
    positive_label: str = Field("", description="the positive class of a yes/no target; empty picks a yes-like "
                                                "value, else the rarer class")
    kind: Literal["auto", "classification", "regression", "forecast", "text_classification"] = Field(
        "auto", description="classification, regression, forecast, text_classification or auto")
    features: list[str] = Field([], description="columns to use; empty or auto means every usable column")
    exclude: list[str] = Field([], description="columns never to use")
    time_column: str = Field("", description="when each outcome happens, so folds follow time; empty for none "
                                             "(the report lists candidates)")
    group_column: str = Field("", description="rows of one group stay in one fold, e.g. a customer; empty for none "
                                              "(the report lists candidates)")
    text_column: str = Field("", description="the free-text column of a text classification")
    value: dict[str, Any] = Field({}, description="value of each outcome, e.g. {\"true_positive\": 38, "
                                                  "\"false_positive\": -2, \"decisions_per_year\": 42000}")
    as_of: str = Field("", description="extract date YYYY-MM-DD: forecasts leave out later rows; empty means today")
    seed: int = Field(42, description=HELP["seed"])
    time_budget_s: int = Field(30, description="seconds for the whole assessment; large tables are sampled to fit")
    sheet: str = Field("", description=HELP["sheet"])
    engine: EngineName = Field("pandas", description=HELP["engine"])
    spark_master: str = Field("", description=HELP["spark_master"])
    spark_driver_memory: str = Field("", description=HELP["spark_driver_memory"])
    spark_conf: dict[str, Any] = Field({}, description=HELP["spark_conf"])
    client: str = Field("", description=HELP["client"])
    results_dir: str = Field(".", description="where <use_case>.json and <use_case>.predictions.parquet are written")
