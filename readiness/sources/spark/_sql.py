"""Spark column expressions shared by the profile, the typed frame and the checks.

``raw`` turns a column into text as the pandas loader would see it, ``trim`` strips the
whitespace pyarrow strips, ``kinds`` classes the schema's types. ``pyspark`` is imported lazily.
"""

from __future__ import annotations

from typing import Any

# The characters pyarrow's utf8_trim_whitespace strips (Unicode White_Space and the four
# information separators), so a Spark trim keeps exactly what the pandas engine keeps.
WHITESPACE = "".join(map(chr, [*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                              0x2028, 0x2029, 0x202F, 0x205F, 0x3000]))


def functions() -> Any:
    """``pyspark.sql.functions``, imported on first use."""
    import pyspark.sql.functions as F

    return F


def trim(column: Any) -> Any:
    """``column`` without leading and trailing whitespace, as pyarrow's utf8_trim_whitespace (a set, not a regex)."""
    F = functions()
    return F.btrim(column, F.lit(WHITESPACE))


def kinds(sdf: Any) -> dict[str, str]:
    """Column -> 'text', 'number', 'bool' or 'date' (a timestamp) from the Spark schema.

    A Parquet date column is 'text', as YYYY-MM-DD: the pandas loader reads it as text too.
    """
    from pyspark.sql import types as T

    out = {}
    for field in sdf.schema.fields:
        t = field.dataType
        if isinstance(t, T.BooleanType):
            out[field.name] = "bool"
        elif isinstance(t, T.NumericType):
            out[field.name] = "number"
        elif isinstance(t, T.TimestampType | T.TimestampNTZType):
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
    if kind == "bool":  # as Python writes it, like the pandas engine's values
        return F.when(c, "True").when(~c, "False")
    return c.cast("string")
