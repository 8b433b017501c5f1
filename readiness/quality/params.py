"""The data-quality notebook's parameters: names, types, defaults and help in one model."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from readiness.params import HELP, EngineName, NotebookParams


class QualityParams(NotebookParams):
    """Parameters of ``notebooks/01_data_quality.ipynb``; empty names are detected from the data."""

    notebook = "01_data_quality.ipynb"
    stage = "quality"

    data_path: str = Field("sample_data/harbour_physio/customers.csv",
                           description="the table's file (csv, tsv, txt, xlsx, parquet)")
    table: str = Field("", description="the table's name in the report and file names; empty means the file's name")
    key: str = Field("", description='the column that identifies a row; empty means detect it, "none" that there is '
                                     "none")
    date_columns: list[str] = Field([], description="columns to read as dates; dates are also detected from values")
    references: dict[str, dict[str, Any]] = Field({}, description='column -> {"path": parent file, "column": parent '
                                                                   "key} whose values must exist")
    rules: list[dict[str, Any]] = Field([], description='extra checks, e.g. {"column": "duration_min", "expect": '
                                                        '"between", "min": 10, "max": 180}')
    as_of: str = Field("", description=HELP["as_of"])
    pii_columns: list[str] = Field([], description="personal columns, always masked; personal data is also "
                                                   "detected by name and value")
    freshness_days: int = Field(90, description="the newest record may be at most this many days older than as_of")
    gx_project: bool = Field(True, description="write the table's checks into the Great Expectations project "
                                               "<results_dir>/gx, which the client re-runs on later extracts")
    sheet: str = Field("", description=HELP["sheet"])
    engine: EngineName = Field("pandas", description=HELP["engine"])
    spark_master: str = Field("", description=HELP["spark_master"])
    spark_driver_memory: str = Field("", description=HELP["spark_driver_memory"])
    spark_conf: dict[str, Any] = Field({}, description=HELP["spark_conf"])
    client: str = Field("", description=HELP["client"])
    results_dir: str = Field(".", description="where <table>.json, <table>.gx-suite.json and the gx/ project are "
                                              "written")
