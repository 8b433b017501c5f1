"""A reference's keys as both sources compare them: trimmed text, whole numbers without '.0'."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness.errors import ConfigError


def key_text(series: pd.Series) -> pa.Array:
    """Non-null values as trimmed text; whole floats lose their '.0' so 12.0 matches '12'."""
    series = series.dropna()
    if pd.api.types.is_float_dtype(series.dtype) and (series == np.floor(series)).all():
        series = series.astype("int64")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        series = series.dt.strftime("%Y-%m-%d")
    if series.dtype == "string[pyarrow]":
        text = pa.chunked_array(series.array.__arrow_array__()).combine_chunks().cast(pa.string())
    else:
        text = pa.array(series.astype(str).tolist(), pa.string())
    text = pc.utf8_trim_whitespace(text)
    return text.filter(pc.not_equal(text, ""))


def listed_keys(keys: pd.Series) -> list:
    """Distinct non-empty keys as sorted text, for a Great Expectations value set."""
    text = keys.dropna().astype(str).str.strip()
    return sorted(set(text[text != ""]))


def require_parent_column(column: str, spec: Mapping[str, Any], columns: list[str], where: str) -> None:
    """ConfigError, with the closest name, when a reference's parent table lacks the column it names."""
    if spec["column"] in columns:
        return
    close = difflib.get_close_matches(str(spec["column"]), columns, n=1, cutoff=0.5)
    hint = f"the closest column is '{close[0]}'; " if close else ""
    raise ConfigError(f"{where}: `references.{column}.column` names '{spec['column']}', which is not in "
                      f"{spec['path']}; {hint}columns are: {', '.join(columns[:30])}.")
