"""Parsing distinct values on the executors with the pandas engine's own parsers.

:func:`parse_batches` is handed to ``mapInArrow`` over the ``(c, v, n)`` table of cleaned
distinct values of the columns that need a parse, and returns ``(c, n)`` with the parses; each
column index is parsed the way its semantic type needs, so a figure on Spark is the same
figure the pandas engine gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from readiness.privacy import personal_kind_from_name
from readiness.quality import columns as cols
from readiness.quality.infer import DATE_TYPES, NUMBER_TYPES, is_code_like

SCHEMA = ("c int, n long, num double, plain boolean, fmt int, d timestamp, dm timestamp, "
          "f12 boolean, s12 boolean, email_ok boolean, phone_ok boolean, shape string")
_DAY_FIRST = cols.DATE_FORMATS.index(cols.DATE_FORMAT_BY_NAME["DD/MM/YYYY"])
_MONTH_FIRST = cols.DATE_FORMATS.index(cols.DATE_FORMAT_BY_NAME["MM/DD/YYYY"])


def needs(name: str, semantic: str, text: bool) -> dict[str, bool]:
    """Which parses a column needs, by the same rules as :func:`readiness.quality.infer.analyse_column`."""
    hint = personal_kind_from_name(name)
    checked = text and semantic not in ("boolean", "constant", "empty")
    return {
        "number": semantic in NUMBER_TYPES,
        "date": semantic in DATE_TYPES,
        "shape": text and (semantic in ("phone", "identifier") or (semantic == "category" and is_code_like(name))),
        "email": checked and (semantic == "email" or hint == "email"),
        "phone": checked and (semantic == "phone" or hint == "phone"),
    }


def _ts(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[us]"), type=pa.timestamp("us"), from_pandas=True)


def _parse_one(values: pa.Array, want: dict[str, bool], decimal: str, text: bool) -> dict[str, pa.Array]:
    size = len(values)
    out: dict[str, pa.Array] = {}
    if want["number"]:
        num, plain = cols.parse_numbers(values, decimal=decimal) if text else (
            pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False), np.ones(size, dtype=bool))
        out["num"], out["plain"] = pa.array(num, from_pandas=False), pa.array(plain)
    if want["date"]:
        if text:
            index = cols.assign_date_formats(values, month_first=False)
            slash = index == _DAY_FIRST
            day_first = cols.parse_dates(values, index)
            month_first = cols.parse_dates(values, np.where(slash, _MONTH_FIRST, -1))
            first, second = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
            if slash.any():
                parts = pc.split_pattern(values.filter(pa.array(slash)), "/")
                first[slash] = pc.cast(pc.list_element(parts, 0), pa.int32()).to_numpy() > 12
                second[slash] = pc.cast(pc.list_element(parts, 1), pa.int32()).to_numpy() > 12
            out.update(fmt=pa.array(index.astype(np.int32)), d=_ts(day_first), dm=_ts(month_first),
                       f12=pa.array(first), s12=pa.array(second))
        else:
            parsed = np.array(values.to_pylist(), dtype="datetime64[us]")
            out.update(fmt=pa.array(np.full(size, -2, dtype=np.int32)), d=_ts(parsed))
    if want["shape"]:
        out["shape"] = cols.shapes(values)
    if want["email"]:
        out["email_ok"] = pa.array(cols.email_mask(values))
    if want["phone"]:
        out["phone_ok"] = pa.array(cols.phone_mask(values))
    return out


def parse_batches(plan: dict[int, tuple[dict[str, bool], str, bool]]) -> Any:
    """The ``mapInArrow`` function for ``plan``: column index -> (needs, decimal, is text)."""
    schema = [f.split(" ") for f in SCHEMA.split(", ")]
    types = {"int": pa.int32(), "string": pa.string(), "long": pa.int64(), "double": pa.float64(),
             "boolean": pa.bool_(), "timestamp": pa.timestamp("us")}

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            table = pa.Table.from_batches([batch])
            for c in pc.unique(table["c"]).to_pylist():
                part = table.filter(pc.equal(table["c"], c))
                want, decimal, text = plan[c]
                values = part["v"].combine_chunks()
                parsed = _parse_one(values, want, decimal, text)
                arrays = []
                for name, kind in schema:
                    if name in ("c", "n"):
                        arrays.append(part[name].combine_chunks().cast(types[kind]))
                    else:
                        arrays.append(parsed.get(name, pa.nulls(len(part), types[kind])).cast(types[kind]))
                yield pa.RecordBatch.from_arrays(arrays, names=[n for n, _ in schema])

    return run
