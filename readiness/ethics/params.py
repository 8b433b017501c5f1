"""The ethics notebook's parameters: names, types, defaults and help in one model."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from readiness.params import HELP, EngineName, NotebookParams


class EthicsParams(NotebookParams):
    """Parameters of ``notebooks/03_ethics.ipynb``; an empty target and protected attributes are detected."""

    notebook = "03_ethics.ipynb"
    stage = "ethics"

    data_path: str = Field("sample_data/harbour_physio/appointments.csv",
                           description="the use case's table: csv, tsv, txt, xlsx or parquet")
    table: str = Field("", description="the table's name in messages; empty means the file's name")
    use_case: str = Field("", description="the use case id in the report and file names; empty means made from "
                                          "the target")
    title: str = Field("", description="the use case in words; empty means Predict <target>")
    protected: list[str] = Field([], description="protected attribute columns; empty means detect sex, age, race, "
                                                 "nationality, religion, disability, marital status, pregnancy")
    target: str = Field("", description='the label column; empty means detect a yes/no outcome column, "none" for '
                                        "no label")
    positive_label: str = Field("", description="the label value that counts as positive; empty picks a yes-like "
                                                "value, else the rarer one")
    prediction_column: str = Field("", description="a column of the table holding the model decisions; empty for none")
    predictions_path: str = Field("", description="the feasibility predictions parquet with row_id, y_true, score, "
                                                  "decision; empty for none")
    key: str = Field("", description="the column the predictions' row_id refers to; empty means detect it as the "
                                     "feasibility stage does")
    domain: str = Field("", description="EU AI Act domain, one of those in readiness/data/ai_act.yaml; empty means "
                                        "unknown")
    reference_groups: dict[str, str] = Field({}, description='attribute -> reference group, e.g. {"age_band": '
                                                             '"45-64"}; the largest group by default')
    text_columns: list[str] = Field([], description="extra columns to search as free text for personal data")
    checklist_path: str = Field("", description="the ethics checklist answers YAML; empty means none answered yet")
    tables: dict[str, Any] = Field({}, description="other tables by name -> file: scanned for personal data and "
                                                   "proxies")
    decision_effect: str = Field("", description="punitive or assistive; empty takes the domain's default")
    min_group_size: int = Field(30, description="groups with fewer rows are shown but marked small")
    as_of: str = Field("", description="the date ages are counted at for a date of birth; empty means today")
    seed: int = Field(42, description="drives every random choice: bootstrap and folds")
    sheet: str = Field("", description=HELP["sheet"])
    engine: EngineName = Field("pandas", description=HELP["engine"])
    spark_master: str = Field("", description=HELP["spark_master"])
    spark_driver_memory: str = Field("", description=HELP["spark_driver_memory"])
    spark_conf: dict[str, Any] = Field({}, description=HELP["spark_conf"])
    client: str = Field("", description=HELP["client"])
    results_dir: str = Field(".", description="where <use_case>.json is written")
