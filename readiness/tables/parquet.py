"""Loading Parquet files.

Dictionary-encoded text becomes plain text and decimals become floats, a stored pandas index
is kept as columns, and nested or binary values are shown as their text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from readiness.tables.common import (
    STRING_DTYPE,
    LoadedTable,
    _apply_column_names,
    _arrow_to_pandas,
    _corrupt,
    _require_rows,
)


def _load_parquet(path: Path, label: str, size: int) -> LoadedTable:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _corrupt(label, "a Parquet file", exc) from exc
    _require_rows(table.num_rows, label)
    frame = _arrow_to_pandas(_plain_arrow_types(table))
    if not isinstance(frame.index, pd.RangeIndex):  # a stored pandas index is data: keep it as columns
        frame = frame.reset_index()
    findings = _apply_column_names(frame, list(frame.columns), label)
    for column in frame.columns:
        if frame[column].dtype == object:  # nested or binary values: shown as their text
            frame[column] = frame[column].astype(STRING_DTYPE)
    return LoadedTable(frame, path, "parquet", None, None, ".", None, size, findings)


def _plain_arrow_types(table: pa.Table) -> pa.Table:
    """Dictionary-encoded text becomes plain text and decimals become floats, for the profile."""
    fields = []
    for f in table.schema:
        if pa.types.is_dictionary(f.type) and pa.types.is_string(f.type.value_type):
            fields.append(f.with_type(pa.string()))
        elif pa.types.is_dictionary(f.type) and pa.types.is_large_string(f.type.value_type):
            fields.append(f.with_type(pa.large_string()))
        elif pa.types.is_decimal(f.type):
            fields.append(f.with_type(pa.float64()))
        else:
            fields.append(f)
    schema = pa.schema(fields)
    return table if schema.equals(table.schema) else table.cast(schema)
