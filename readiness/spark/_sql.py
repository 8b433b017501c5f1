"""Spark column expressions shared by the profile, the typed frame and the checks.

``raw`` turns a column into text as the pandas loader would see it, ``clean`` applies the
pandas engine's null rules (blank, null tokens) and trimming. ``pyspark`` is imported lazily.
"""

from __future__ import annotations

from typing import Any

from readiness.quality import columns as cols

TRIM = r"(?U)^\s+|\s+$"  # Unicode whitespace, like pyarrow's utf8_trim_whitespace


def functions() -> Any:
    """``pyspark.sql.functions``, imported on first use."""
    import pyspark.sql.functions as F

    return F


def kinds(sdf: Any) -> dict[str, str]:
    """Column -> 'text', 'number', 'bool' or 'date' from the Spark schema."""
    from pyspark.sql import types as T

    out = {}
    for field in sdf.schema.fields:
        t = field.dataType
        if isinstance(t, T.BooleanType):
            out[field.name] = "bool"
        elif isinstance(t, T.NumericType):
            out[field.name] = "number"
        elif isinstance(t, T.DateType | T.TimestampType | T.TimestampNTZType):
            out[field.name] = "date"
        else:
            out[field.name] = "text"
    return out


def raw(name: str, kind: str) -> Any:
    """A column as text for hashing and value counts; NaN counts as missing, as pandas reads it."""
    F = functions()
    c = F.col(f"`{name}`")
    if kind == "number":
        return F.when(F.isnan(c.cast("double")), None).otherwise(c.cast("double").cast("string"))
    if kind == "date":
        return F.date_format(c.cast("timestamp"), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
    return c.cast("string")


def clean(raw: Any, kind: str) -> Any:
    """The cleaned value: trimmed, None for '' / NA, blanks and null tokens (text only)."""
    F = functions()
    if kind != "text":
        return raw
    trimmed = F.regexp_replace(raw, TRIM, "")
    token = F.lower(trimmed).isin(list(cols.NULL_TOKENS))
    return F.when(raw.isNull() | (raw == "") | (trimmed == "") | token, None).otherwise(trimmed)
