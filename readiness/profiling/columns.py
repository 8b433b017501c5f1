"""Vectorised parsing of one column's distinct text values: null tokens, numbers, dates, shapes.

Everything here works on a ``pyarrow`` array of distinct values (no nulls) so that a column of a
million rows with a few thousand distinct values is parsed a few thousand times, not a million.
The profile then spreads the results back over the rows with the row codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    """A date layout: display ``name``, RE2 ``regex`` for the whole value, parser ``fmt``.

    ``month_first`` layouts share their regex with a day-first twin (:data:`MONTH_FIRST_TWIN`):
    which of the two a column uses is decided once for the whole column.
    """

    name: str
    regex: str
    fmt: str
    iso: bool = False
    month_first: bool = False


_CLOCK, _CLOCK_S = r" \d{1,2}:\d{2}", r" \d{1,2}:\d{2}:\d{2}"
_SLASH_START = r"^\d{1,2}/\d{1,2}/\d"
# (the layout's name after DD/MM/, its year and clock regex, its year and clock in the parser's format)
_SLASH_LAYOUTS = (
    ("YYYY", r"\d{4}", "%Y"),
    ("YYYY HH:MM", r"\d{4}" + _CLOCK, "%Y %H:%M"),
    ("YYYY HH:MM:SS", r"\d{4}" + _CLOCK_S, "%Y %H:%M:%S"),
    ("YY", r"\d{2}", "%y"),
    ("YY HH:MM", r"\d{2}" + _CLOCK, "%y %H:%M"),
    ("YY HH:MM:SS", r"\d{2}" + _CLOCK_S, "%y %H:%M:%S"),
)


def _slash_formats() -> tuple[DateFormat, ...]:
    """Every slash layout twice: day first (Irish/UK usage), then month first (US usage)."""
    out = []
    for name, regex, fmt in _SLASH_LAYOUTS:
        out.append(DateFormat(f"DD/MM/{name}", rf"^\d{{1,2}}/\d{{1,2}}/{regex}$", f"%d/%m/{fmt}"))
        out.append(DateFormat(f"MM/DD/{name}", rf"^\d{{1,2}}/\d{{1,2}}/{regex}$", f"%m/%d/{fmt}", month_first=True))
    return tuple(out)


DATE_FORMATS: tuple[DateFormat, ...] = (
    DateFormat("YYYY-MM-DD", r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d", iso=True),
    DateFormat(
        "YYYY-MM-DDTHH:MM:SS",
        r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
        "ISO8601",
        iso=True,
    ),
    DateFormat("YYYY/MM/DD", r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),
    *_slash_formats(),
    DateFormat("DD-MM-YYYY", r"^\d{1,2}-\d{1,2}-\d{4}$", "%d-%m-%Y"),
    DateFormat("DD.MM.YYYY", r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y"),
    DateFormat("DD Mon YYYY", r"^\d{1,2} [A-Za-z]{3} \d{4}$", "%d %b %Y"),
    DateFormat("DD Month YYYY", r"^\d{1,2} [A-Za-z]{4,9} \d{4}$", "%d %B %Y"),
    DateFormat("Mon DD, YYYY", r"^[A-Za-z]{3} \d{1,2}, \d{4}$", "%b %d, %Y"),
)
DATE_FORMAT_BY_NAME = {f.name: f for f in DATE_FORMATS}
# index of each day-first slash layout -> index of its month-first twin (the next one in DATE_FORMATS)
MONTH_FIRST_TWIN = {i: i + 1 for i, f in enumerate(DATE_FORMATS[:-1]) if DATE_FORMATS[i + 1].month_first}
_TWIN_INDEX = np.full(len(DATE_FORMATS) + 1, -1, dtype=np.int8)  # the last slot answers index -1
for _day, _month in MONTH_FIRST_TWIN.items():
    _TWIN_INDEX[_day] = _month


def month_first_twins(index: np.ndarray) -> np.ndarray:
    """For each format index, its month-first twin's index (-1 when it has none)."""
    return _TWIN_INDEX[index]


def is_month_first(format_names: Iterable[str]) -> bool:
    """Whether a column's date formats (names, e.g. a profile's ``date_formats``) read slash dates month first."""
    return any(DATE_FORMAT_BY_NAME[n].month_first for n in format_names if n in DATE_FORMAT_BY_NAME)


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

    Slash dates (``03/04/2024``, ``12/1/10 8:26``) are read in one order for the whole column:
    ``month_first`` when given, else as :func:`slash_order_is_month_first` decides from the values.
    """
    index = np.full(len(values), -1, dtype=np.int8)
    slashed: np.ndarray | None = None  # the slash layouts are tried only on values that start like one
    for i, fmt in enumerate(DATE_FORMATS):
        if fmt.month_first:
            continue
        todo = np.flatnonzero(index < 0)
        if i in MONTH_FIRST_TWIN:
            if slashed is None:
                slashed = np.zeros(len(values), dtype=bool)
                slashed[todo] = matches(values.take(pa.array(todo)), _SLASH_START)
            todo = todo[slashed[todo]]
        if not len(todo):
            if (index >= 0).all():
                break
            continue
        hit = todo[matches(values.take(pa.array(todo)), fmt.regex)]
        index[hit] = i
    slash = np.flatnonzero(month_first_twins(index) >= 0)
    if len(slash) and (month_first if month_first is not None else _looks_month_first(values, slash)):
        index[slash] = month_first_twins(index[slash])
    return index


def slash_parts(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The first and second numbers of slash dates (``12/1/10 8:26`` -> 12, 1)."""
    parts = pc.split_pattern(values, "/")
    first = pc.cast(pc.list_element(parts, 0), pa.int32()).to_numpy(zero_copy_only=False)
    second = pc.cast(pc.list_element(parts, 1), pa.int32()).to_numpy(zero_copy_only=False)
    return first, second


def slash_order_is_month_first(max_first: int, max_second: int, distinct_first: int, distinct_second: int) -> bool:
    """Whether a column's slash dates are month first, from its distinct values' first and second parts.

    Month first when some second part is above 12 and no first part is; day first when some first
    part is above 12; when every value is ambiguous, the part that takes more distinct values is the
    day (an extract of one December: ``12/1/10`` ... ``12/9/10``); day first on a tie (Irish/UK usage).
    """
    if max_first > 12 or max_second > 12:
        return max_second > 12 and max_first <= 12
    return distinct_second > distinct_first


def _looks_month_first(values: pa.Array, rows: np.ndarray) -> bool:
    first, second = slash_parts(values.take(pa.array(rows)))
    return slash_order_is_month_first(int(first.max()), int(second.max()), len(np.unique(first)),
                                      len(np.unique(second)))


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


# --- spreadsheet damage ----------------------------------------------------------------------

DAMAGE_KINDS = ("scientific_notation", "float_suffix", "lost_leading_zeros", "date_serial")
SCIENTIFIC, FLOAT_SUFFIX, LOST_ZEROS, DATE_SERIAL = 1, 2, 3, 4  # per-value codes; 0 is undamaged
SERIAL_MIN, SERIAL_MAX = 20_000, 60_000  # spreadsheet day numbers of 1954-10-03 and 2064-04-08
SCIENTIFIC_MIN_EXPONENT = 11  # a spreadsheet shows a whole number of 12 digits or more as 2.98725E+13
FLOAT_EXACT_MAX = 1e15  # above this a float64 no longer holds every digit of a whole number
PADDED_MIN_LENGTH = 3  # zero-padded codes and ids are at least this long
CODE_MIN_LENGTH, CODE_DOMINANT_SHARE = 4, 0.8  # a digit code with one length (a postcode, a zip)
SERIAL_COLUMN_SHARE = 0.5  # a date-named number column holds serials when at least half its rows are
# Excel writes an explicit '+' (1.5E+13), which a code such as 15E4 lacks
_SCIENTIFIC = r"^-?\d(?:\.(?P<decimals>\d+))?[eE]\+(?P<exponent>\d{1,3})$"


@dataclass(frozen=True)
class DamageScope:
    """The spreadsheet damage a column can show, decided from its name, type and role.

    ``labels``: an id or code (by name, or the key), whose numbers are labels: scientific notation
    and a '.0' suffix are damage at any size. ``padded``: an id, code or postcode whose digits may
    carry leading zeros; ``code``: a code or postcode, whose digit values have one length.
    ``dates``: a date column, or a date-named number column (``date_serials_named``), where day
    numbers such as 45123 stand for dates. ``float_column``: typed floats (not text).
    """

    labels: bool = False
    padded: bool = False
    code: bool = False
    dates: bool = False
    date_serials_named: bool = False
    float_column: bool = False
    numbers: bool = False

    @property
    def any(self) -> bool:
        """Whether any rule applies to the column."""
        return self.labels or self.padded or self.dates or self.float_column or self.numbers


@dataclass(frozen=True)
class DamageReport:
    """Spreadsheet damage found in one column: the commonest ``kind``, its ``rows`` and ``share`` of
    the filled rows, and up to three masked ``examples``."""

    kind: str
    rows: int
    share: float
    examples: list[str]
    longest: int | None = None  # lost leading zeros: the digit length the shorter values fell from

    def evidence(self) -> dict[str, object]:
        """The finding's evidence: ``{"kind", "rows", "share", "examples"}``."""
        return {"kind": self.kind, "rows": self.rows, "share": self.share, "examples": list(self.examples)}


def damage_flags(values: pa.Array | np.ndarray, scope: DamageScope) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct value: damage code (0 none, or SCIENTIFIC, FLOAT_SUFFIX, DATE_SERIAL), digit count
    of an all-digit value (0 otherwise) and whether it starts with 0.

    ``values`` are trimmed text (a pyarrow array) or a column's typed numbers (float64).
    """
    size = len(values)
    code, digits, zero = np.zeros(size, np.int8), np.zeros(size, np.int16), np.zeros(size, bool)
    if not size or not scope.any:
        return code, digits, zero
    if isinstance(values, np.ndarray):
        _number_damage(values.astype(np.float64), scope, code, digits)
        return code, digits, zero
    rows = np.flatnonzero(_starts_with_digit(values))  # every damaged value starts with a digit (or '-')
    if not len(rows):
        return code, digits, zero
    text = values.take(pa.array(rows, type=pa.int64()))
    if scope.labels or scope.numbers:
        parts = pc.extract_regex(text, _SCIENTIFIC)
        found = np.flatnonzero(as_bool(pc.is_valid(parts)))
        if len(found):
            decimals = pc.utf8_length(pc.fill_null(pc.struct_field(parts, [0]), "")).to_numpy(zero_copy_only=False)
            exponent = pc.cast(pc.struct_field(parts, [1]), pa.int32()).to_numpy(zero_copy_only=False)
            whole = found[(exponent[found] >= decimals[found])
                          & (scope.labels | (exponent[found] >= SCIENTIFIC_MIN_EXPONENT))]
            code[rows[whole]] = SCIENTIFIC
    if scope.labels:
        code[rows[matches(text, r"^[0-9]+\.0+$")]] = FLOAT_SUFFIX
    if scope.dates:
        serial = matches(text, r"^[0-9]{5}(?:\.[0-9]+)?$")
        if serial.any():
            numbers = np.full(len(rows), np.nan)
            numbers[serial] = pc.cast(text.filter(pa.array(serial)), pa.float64()).to_numpy(zero_copy_only=False)
            code[rows[(numbers >= SERIAL_MIN) & (numbers <= SERIAL_MAX)]] = DATE_SERIAL
    if scope.padded:
        plain = np.flatnonzero(matches(text, r"^[0-9]+$"))
        digits[rows[plain]] = pc.utf8_length(text.take(pa.array(plain, type=pa.int64()))).to_numpy(
            zero_copy_only=False)
        zero[rows[plain]] = matches(text.take(pa.array(plain, type=pa.int64())), r"^0")
    return code, digits, zero


def _starts_with_digit(values: pa.Array) -> np.ndarray:
    """Which values start with a digit or '-': the first byte of each, read from the buffers."""
    if not pa.types.is_string(values.type) or values.null_count:
        return matches(values, r"^[-0-9]")
    _, offsets, data = values.buffers()
    starts = np.frombuffer(offsets, dtype=np.int32)[values.offset:values.offset + len(values) + 1]
    if data is None:
        return np.zeros(len(values), dtype=bool)
    first = np.frombuffer(data, dtype=np.uint8)[np.minimum(starts[:-1], max(data.size - 1, 0))]
    return (starts[1:] > starts[:-1]) & (((first >= ord("0")) & (first <= ord("9"))) | (first == ord("-")))


def _number_damage(numbers: np.ndarray, scope: DamageScope, code: np.ndarray, digits: np.ndarray) -> None:
    finite = np.isfinite(numbers)
    whole = finite & (numbers == np.floor(np.where(finite, numbers, 0)))
    if scope.float_column:
        code[whole & (np.abs(numbers) >= FLOAT_EXACT_MAX)] = FLOAT_SUFFIX
    if scope.dates:
        code[finite & (numbers >= SERIAL_MIN) & (numbers <= SERIAL_MAX)] = DATE_SERIAL
    if scope.padded:
        small = whole & (numbers >= 0) & (numbers < FLOAT_EXACT_MAX)
        digits[small] = np.floor(np.log10(np.maximum(numbers[small], 1))).astype(np.int16) + 1


def summarise_damage(kind_rows: dict[int, int], length_rows: dict[tuple[int, bool], int], non_null: int,
                     scope: DamageScope) -> tuple[int, int, int | None] | None:
    """The column's damage from counts over its distinct values: ``(code, rows, longest)`` or None.

    ``kind_rows`` maps each damage code to its rows; ``length_rows`` maps ``(digit count, starts
    with 0)`` of all-digit values to their rows. Leading zeros were lost when an id, code or postcode
    holds all-digit values shorter than its commonest digit length and either some value of that
    length starts with 0 (the column is zero-padded) or, in a code or postcode column, that length
    covers at least 80 % of the all-digit rows. Serial numbers count in a date-named number column
    only when they fill at least half of it. The commonest kind wins (ties in :data:`DAMAGE_KINDS` order).
    """
    found = {k: n for k, n in kind_rows.items() if k and n}
    if DATE_SERIAL in found and scope.date_serials_named and found[DATE_SERIAL] < SERIAL_COLUMN_SHARE * non_null:
        del found[DATE_SERIAL]
    longest = _padded_length(length_rows, non_null, scope)
    if longest is not None:
        found[LOST_ZEROS] = sum(n for (length, _), n in length_rows.items() if 0 < length < longest)
    if not found:
        return None
    order = (SCIENTIFIC, FLOAT_SUFFIX, LOST_ZEROS, DATE_SERIAL)
    best = max(order, key=lambda k: (found.get(k, 0), -order.index(k)))
    return best, found[best], longest if best == LOST_ZEROS else None


def _padded_length(length_rows: dict[tuple[int, bool], int], non_null: int, scope: DamageScope) -> int | None:
    if not scope.padded or not length_rows:
        return None
    by_length: dict[int, int] = {}
    for (length, _), n in length_rows.items():
        if length > 0:
            by_length[length] = by_length.get(length, 0) + n
    if not by_length:
        return None
    longest = max(by_length, key=lambda k: (by_length[k], k))
    digit_rows = sum(by_length.values())
    shorter = sum(n for k, n in by_length.items() if k < longest)
    if not shorter or longest < PADDED_MIN_LENGTH or digit_rows < 0.5 * non_null:
        return None
    if length_rows.get((longest, True), 0):
        return longest
    if scope.code and longest >= CODE_MIN_LENGTH and by_length[longest] >= CODE_DOMINANT_SHARE * digit_rows:
        return longest
    return None


def damaged(code: np.ndarray, digits: np.ndarray, kind: int, longest: int | None) -> np.ndarray:
    """Which values show the damage ``kind`` (for lost zeros: all-digit values shorter than ``longest``)."""
    if kind == LOST_ZEROS:
        return (digits > 0) & (digits < (longest or 0))
    return code == kind


def number_text(value: float) -> str:
    """A typed number as an example shows it: whole numbers without exponent (``1234567890123456.0``)."""
    if np.isfinite(value) and value == np.floor(value):
        return f"{value:.1f}" if abs(value) >= FLOAT_EXACT_MAX else str(int(value))
    return f"{value:.15g}"


def mask_damaged(text: str) -> str:
    """An example of spreadsheet damage with every digit but the first hidden; the exponent or '.0'
    suffix that shows the damage is kept (``2.98725E+13`` -> ``2.*****E+13``)."""
    match = re.fullmatch(r"(.*?)([eE][+-]?\d+|\.0+)?", text)
    body, tail = (match.group(1), match.group(2) or "") if match else (text, "")
    return body[:1] + re.sub(r"\d", "*", body[1:]) + tail
