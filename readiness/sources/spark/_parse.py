"""Parsing distinct values on the executors with the pandas engine's own parsers.

:func:`parse_batches` is handed to ``mapInArrow`` over the ``(c, v, n, p)`` table of cleaned
distinct values of the columns that need a parse, and returns ``(c, n, p)`` with the parses; each
column index is parsed the way its semantic type needs, so a figure on Spark is the same
figure the pandas engine gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from readiness.profiling import columns as cols
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES, is_code_like

SCHEMA = ("c int, n long, p long, num double, plain boolean, fmt int, fm int, d timestamp, dm timestamp, "
          "p1 int, p2 int, email_ok boolean, phone_ok boolean, shape string, dk int, dl int, dz boolean, ex string")
# Day-first slash layouts (each value is assigned one first) and their month-first twins.
DAY_FIRST = sorted(cols.MONTH_FIRST_TWIN)


def needs(name: str, semantic: str, text: bool, *, hint: str | None = None,
          damage: cols.DamageScope | None = None) -> dict[str, bool]:
    """Which parses a column needs, by the same rules as :func:`readiness.profiling.infer.analyse_column`.

    ``hint`` is the personal kind the name suggests when the values agree
    (:func:`readiness.profiling.infer.agreed_name_hint`); ``damage`` what spreadsheet damage to look for.
    """
    checked = text and semantic not in ("boolean", "constant", "empty")
    return {
        "number": semantic in NUMBER_TYPES,
        "date": semantic in DATE_TYPES,
        "shape": text and (semantic in ("phone", "identifier") or (semantic == "category" and is_code_like(name))),
        "email": checked and (semantic == "email" or hint == "email"),
        "phone": checked and (semantic == "phone" or hint == "phone"),
        "damage": damage is not None and damage.any,
    }


def _ts(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[us]"), type=pa.timestamp("us"), from_pandas=True)


def _dates(values: pa.Array, text: bool) -> dict[str, pa.Array]:
    size = len(values)
    if not text:
        parsed = np.array(values.to_pylist(), dtype="datetime64[us]")
        return {"fmt": pa.array(np.full(size, -2, dtype=np.int32)), "d": _ts(parsed)}
    index = cols.assign_date_formats(values, month_first=False)
    twin = cols.month_first_twins(index)
    slash = twin >= 0
    first, second = np.zeros(size, dtype=np.int32), np.zeros(size, dtype=np.int32)
    if slash.any():
        first[slash], second[slash] = cols.slash_parts(values.filter(pa.array(slash)))
    return {"fmt": pa.array(index.astype(np.int32)), "fm": pa.array(twin.astype(np.int32)),
            "d": _ts(cols.parse_dates(values, index)), "dm": _ts(cols.parse_dates(values, twin)),
            "p1": pa.array(first, mask=~slash), "p2": pa.array(second, mask=~slash)}


def _damage(values: pa.Array, scope: cols.DamageScope, text: bool) -> dict[str, pa.Array]:
    """Per value: damage code, digit count, leading zero, and the text an example would show."""
    numbers = None if text else pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    code, digits, zero = cols.damage_flags(values if text else numbers, scope)
    flagged = (code > 0) | (digits > 0)
    shown: list[str | None] = [None] * len(values)
    for i in np.flatnonzero(flagged):
        shown[i] = values[int(i)].as_py() if text else cols.number_text(float(numbers[i]))
    return {"dk": pa.array(code.astype(np.int32)), "dl": pa.array(digits.astype(np.int32)), "dz": pa.array(zero),
            "ex": pa.array(shown, pa.string())}


def _parse_one(values: pa.Array, want: dict[str, bool], decimal: str, text: bool,
               scope: cols.DamageScope) -> dict[str, pa.Array]:
    size = len(values)
    out: dict[str, pa.Array] = {}
    if want["number"]:
        num, plain = cols.parse_numbers(values, decimal=decimal) if text else (
            pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False), np.ones(size, dtype=bool))
        out["num"], out["plain"] = pa.array(num, from_pandas=False), pa.array(plain)
    if want["date"]:
        out.update(_dates(values, text))
    if want["shape"]:
        out["shape"] = cols.shapes(values)
    if want["email"]:
        out["email_ok"] = pa.array(cols.email_mask(values))
    if want["phone"]:
        out["phone_ok"] = pa.array(cols.phone_mask(values))
    if want["damage"]:
        out.update(_damage(values, scope, text))
    return out


def parse_batches(plan: dict[int, tuple[dict[str, bool], str, bool, cols.DamageScope]]) -> Any:
    """The ``mapInArrow`` function for ``plan``: column index -> (needs, decimal, is text, damage scope)."""
    schema = [f.split(" ") for f in SCHEMA.split(", ")]
    types = {"int": pa.int32(), "string": pa.string(), "long": pa.int64(), "double": pa.float64(),
             "boolean": pa.bool_(), "timestamp": pa.timestamp("us")}

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            table = pa.Table.from_batches([batch])
            for c in pc.unique(table["c"]).to_pylist():
                part = table.filter(pc.equal(table["c"], c))
                want, decimal, text, scope = plan[c]
                values = part["v"].combine_chunks()
                parsed = _parse_one(values, want, decimal, text, scope)
                arrays = []
                for name, kind in schema:
                    if name in ("c", "n", "p"):
                        arrays.append(part[name].combine_chunks().cast(types[kind]))
                    else:
                        arrays.append(parsed.get(name, pa.nulls(len(part), types[kind])).cast(types[kind]))
                yield pa.RecordBatch.from_arrays(arrays, names=[n for n, _ in schema])

    return run
