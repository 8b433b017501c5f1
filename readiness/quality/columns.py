"""Vectorised parsing of one column's distinct text values: null tokens, numbers, dates, shapes.

Everything here works on a ``pyarrow`` array of distinct values (no nulls) so that a column of a
million rows with a few thousand distinct values is parsed a few thousand times, not a million.
The profile then spreads the results back over the rows with the row codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness.privacy import EMAIL_PATTERN, PHONE_MAX_DIGITS, PHONE_MIN_DIGITS, PHONE_PATTERN

NULL_TOKENS = ("na", "n/a", "null", "?", "-", "unknown", "none", "nan")
BOOLEAN_VALUES = frozenset({"0", "1", "yes", "no", "y", "n", "true", "false", "t", "f"})

_CURRENCY = r"[€$£¥%\s]|EUR|GBP|USD"
_PLAIN = {
    ".": r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$",
    ",": r"^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$",
}
_THOUSANDS = {
    ".": (r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$", ","),
    ",": (r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$", "."),
}


@dataclass(frozen=True)
class DateFormat:
    """A date layout: display ``name``, RE2 ``regex`` for the whole value, parser ``fmt``."""

    name: str
    regex: str
    fmt: str
    iso: bool = False


DATE_FORMATS: tuple[DateFormat, ...] = (
    DateFormat("YYYY-MM-DD", r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d", iso=True),
    DateFormat(
        "YYYY-MM-DDTHH:MM:SS",
        r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
        "ISO8601",
        iso=True,
    ),
    DateFormat("YYYY/MM/DD", r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),
    DateFormat("DD/MM/YYYY", r"^\d{1,2}/\d{1,2}/\d{4}$", "%d/%m/%Y"),
    DateFormat("MM/DD/YYYY", r"^\d{1,2}/\d{1,2}/\d{4}$", "%m/%d/%Y"),
    DateFormat("DD/MM/YYYY HH:MM", r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}$", "%d/%m/%Y %H:%M"),
    DateFormat("DD/MM/YYYY HH:MM:SS", r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}$", "%d/%m/%Y %H:%M:%S"),
    DateFormat("DD-MM-YYYY", r"^\d{1,2}-\d{1,2}-\d{4}$", "%d-%m-%Y"),
    DateFormat("DD.MM.YYYY", r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y"),
    DateFormat("DD Mon YYYY", r"^\d{1,2} [A-Za-z]{3} \d{4}$", "%d %b %Y"),
    DateFormat("DD Month YYYY", r"^\d{1,2} [A-Za-z]{4,9} \d{4}$", "%d %B %Y"),
    DateFormat("Mon DD, YYYY", r"^[A-Za-z]{3} \d{1,2}, \d{4}$", "%b %d, %Y"),
)
DATE_FORMAT_BY_NAME = {f.name: f for f in DATE_FORMATS}
_DAY_FIRST, _MONTH_FIRST = DATE_FORMAT_BY_NAME["DD/MM/YYYY"], DATE_FORMAT_BY_NAME["MM/DD/YYYY"]


def as_bool(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean pyarrow result as a numpy array, nulls counted as False."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def matches(values: pa.Array, pattern: str) -> np.ndarray:
    """Which values match an RE2 ``pattern`` (anchor it to test the whole value)."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    return as_bool(pc.match_substring_regex(values, pattern))


def null_token_mask(stripped: pa.Array) -> np.ndarray:
    """Which (already trimmed) values are a null token such as 'N/A' or 'unknown'."""
    return as_bool(pc.is_in(pc.utf8_lower(stripped), value_set=pa.array(NULL_TOKENS)))


def parse_numbers(values: pa.Array, *, decimal: str = ".") -> tuple[np.ndarray, np.ndarray]:
    """Parse trimmed text as numbers.

    Returns
    -------
    numbers : ndarray of float64
        NaN where the value is not a number even after removing currency signs, '%' and
        thousands separators.
    plain : ndarray of bool
        True where the value is a plain number as written (optional sign, digits, the file's
        decimal mark, optional exponent).
    """
    numbers = np.full(len(values), np.nan)
    plain = matches(values, _PLAIN[decimal])
    numbers[plain] = _to_float(values.filter(pa.array(plain)), decimal)
    rest = np.flatnonzero(~plain)
    if len(rest):
        numbers[rest] = _parse_lenient(values.take(pa.array(rest)), decimal)
    return numbers, plain


def _to_float(values: pa.Array, decimal: str) -> np.ndarray:
    if decimal == ",":
        values = pc.replace_substring(values, ",", ".")
    return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)


def _parse_lenient(values: pa.Array, decimal: str) -> np.ndarray:
    text = pc.replace_substring_regex(values, _CURRENCY, "")
    pattern, separator = _THOUSANDS[decimal]
    grouped = pc.match_substring_regex(text, pattern)
    text = pc.if_else(grouped, pc.replace_substring(text, separator, ""), text)
    ok = matches(text, _PLAIN[decimal])
    out = np.full(len(values), np.nan)
    out[ok] = _to_float(text.filter(pa.array(ok)), decimal)
    return out


def assign_date_formats(values: pa.Array, *, month_first: bool | None = None) -> np.ndarray:
    """Index into :data:`DATE_FORMATS` of the layout each value has, -1 for none.

    Slash dates (``03/04/2024``) are read day first (Irish/UK usage) unless no value has a day
    above 12 in first place while some has one in second place, or ``month_first`` says so.
    """
    index = np.full(len(values), -1, dtype=np.int8)
    for i, fmt in enumerate(DATE_FORMATS):
        if fmt is _MONTH_FIRST:
            continue
        todo = np.flatnonzero(index < 0)
        if not len(todo):
            break
        hit = todo[matches(values.take(pa.array(todo)), fmt.regex)]
        index[hit] = i
    slash = np.flatnonzero(index == DATE_FORMATS.index(_DAY_FIRST))
    if len(slash) and (month_first if month_first is not None else _looks_month_first(values, slash)):
        index[slash] = DATE_FORMATS.index(_MONTH_FIRST)
    return index


def _looks_month_first(values: pa.Array, rows: np.ndarray) -> bool:
    parts = pc.split_pattern(values.take(pa.array(rows)), "/")
    first = pc.cast(pc.list_element(parts, 0), pa.int32()).to_numpy()
    second = pc.cast(pc.list_element(parts, 1), pa.int32()).to_numpy()
    return bool((second > 12).any() and not (first > 12).any())


def parse_dates(values: pa.Array, format_index: np.ndarray) -> np.ndarray:
    """Parse each value with its own layout; NaT where it has none or is not a real date."""
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    for i in np.unique(format_index[format_index >= 0]):
        rows = np.flatnonzero(format_index == i)
        text = pd.Series(values.take(pa.array(rows)).to_numpy(zero_copy_only=False), dtype=object)
        fmt = DATE_FORMATS[i].fmt
        if fmt == "ISO8601":
            parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=True).dt.tz_localize(None)
        else:
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        out[rows] = parsed.to_numpy(dtype="datetime64[ns]")
    return out


def email_mask(values: pa.Array) -> np.ndarray:
    """Which trimmed values are exactly one well-formed e-mail address."""
    return matches(values, f"^{EMAIL_PATTERN}$")


def phone_mask(values: pa.Array) -> np.ndarray:
    """Which trimmed values are exactly one phone number with 9 to 15 digits."""
    shaped = matches(values, f"^{PHONE_PATTERN}$")
    digits = values
    for separator in (" ", "-", "(", ")", ".", "+"):
        digits = pc.replace_substring(digits, separator, "")
    counted = matches(digits, rf"^\d{{{PHONE_MIN_DIGITS},{PHONE_MAX_DIGITS}}}$")
    return shaped & counted


_ASCII_SHAPE = np.arange(256, dtype=np.uint8)
_ASCII_SHAPE[ord("0"):ord("9") + 1] = ord("9")
_ASCII_SHAPE[ord("A"):ord("Z") + 1] = ord("a")
_ASCII_SHAPE[ord("a"):ord("z") + 1] = ord("a")


def shapes(values: pa.Array) -> pa.Array:
    """Each value's shape: digits become 9, letters a, others stay (``D02 X285`` -> ``a99 a999``)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_string(values.type) and pc.all(pc.string_is_ascii(values)).as_py() is not False:
        # ASCII text (nearly every export): one table lookup over the bytes instead of a regex per character
        validity, offsets, data = values.buffers()
        if data is None:
            return values
        mapped = pa.py_buffer(_ASCII_SHAPE[np.frombuffer(data, dtype=np.uint8)].tobytes())
        return pa.StringArray.from_buffers(len(values), offsets, mapped, validity, values.null_count, values.offset)
    return pc.replace_substring_regex(pc.replace_substring_regex(values, r"[0-9]", "9"), r"\pL", "a")


def shape_regex(shape: str) -> str:
    """An RE2 pattern that matches exactly the values of ``shape``."""
    parts = []
    for run in re.finditer(r"9+|a+|[^9a]+", shape):
        text = run.group(0)
        if text[0] == "9":
            parts.append(f"[0-9]{{{len(text)}}}")
        elif text[0] == "a":
            parts.append(rf"\pL{{{len(text)}}}")
        else:
            parts.append(re.escape(text))
    return "^" + "".join(parts) + "$"


def weighted_counts(keys: pa.Array, weights: np.ndarray) -> dict[str, int]:
    """Sum of ``weights`` per distinct key, largest first (ties by key)."""
    if len(keys) == 0:
        return {}
    table = pa.table({"k": keys, "w": pa.array(weights.astype(np.int64))})
    grouped = table.group_by("k").aggregate([("w", "sum")]).to_pydict()
    pairs = sorted(zip(grouped["k"], grouped["w_sum"], strict=True), key=lambda kv: (-kv[1], kv[0]))
    return {k: int(v) for k, v in pairs}
