"""Column profile of one table: semantic types, nulls in all their disguises, formats, ranges.

Each column is factorised once; null tokens, numbers, dates and shapes are worked out on its
distinct values and spread back over the rows with the codes, so a million-row column with a
few thousand distinct values costs a few thousand parses. Semantic types are inferred from an
evenly spaced sample of at most :data:`SAMPLE_SIZE` non-null values; every count is computed
on the full column.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness.memory import release_freed_memory
from readiness.privacy import mask_value, personal_kind_from_name, safe_text
from readiness.profiling import infer
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES, Encoded, analyse_column, encode_column

SEMANTIC_TYPES = (
    "identifier", "number", "number_as_text", "category", "date", "date_as_text", "free_text",
    "email", "phone", "boolean", "constant", "empty",
)
SAMPLE_SIZE = infer.SAMPLE_SIZE


@dataclass
class ColumnProfile:
    """What one column holds. Counts are over the full column; shares are 0-1.

    ``missing`` counts empty fields ('' or NA), ``blank`` whitespace-only values and
    ``null_tokens`` text such as 'N/A'; ``null_total`` is their sum. ``top_values`` pass
    :func:`readiness.privacy.safe_text` (personal columns are masked whole) and personal ranges
    are masked; ``off_format`` is the number of non-null cells outside the column's dominant shape
    or date format (None when the column is not format-checked). ``sentinel_value`` is a code for
    "none" (-1, 999 ...) found on ``sentinel_rows`` rows and left out of the number figures;
    ``spreadsheet_damage`` the evidence of :func:`readiness.profiling.infer.spreadsheet_damage`;
    ``negative_marker`` what the negative rows of a count column share in another column.
    """

    name: str
    semantic_type: str
    dtype: str
    rows: int
    missing: int = 0
    blank: int = 0
    null_tokens: dict[str, int] = field(default_factory=dict)
    null_total: int = 0
    null_share: float = 0.0
    distinct: int = 0
    distinct_ratio: float = 0.0
    unique_ratio: float = 0.0
    min: Any = None
    max: Any = None
    mean: float | None = None
    quantiles: dict[str, Any] = field(default_factory=dict)
    top_values: list[tuple[str, int]] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)
    dominant_format_share: float | None = None
    date_formats: dict[str, int] = field(default_factory=dict)
    non_numeric: int = 0
    non_plain_numbers: int = 0
    outliers: int = 0
    non_positive: int = 0
    zeros: int = 0
    whole_numbers: bool | None = None
    unparseable_dates: int = 0
    future_dates: int = 0
    latest_date: Any = None
    invalid_emails: int = 0
    invalid_phones: int = 0
    off_format: int | None = None
    personal_kind: str | None = None
    text_source: bool = True
    sentinel_value: float | None = None
    sentinel_rows: int = 0
    spreadsheet_damage: dict[str, Any] | None = None
    negative_marker: dict[str, Any] | None = None

    @property
    def non_null(self) -> int:
        """Cells that hold a value (not empty, blank or a null token)."""
        return self.rows - self.null_total


@dataclass
class TableProfile:
    """Profile of a whole table: one :class:`ColumnProfile` per column plus row-level counts.

    ``duplicate_rows`` are rows identical in every column to an earlier row;
    ``duplicate_key_rows`` the extra rows of a key value seen before; ``null_key_rows`` rows
    without a key; ``near_duplicate_rows`` rows equal to an earlier row once text is
    lower-cased and whitespace-normalised (the key ignored) that are not exact duplicates;
    ``redundant_rows`` the union of those three kinds of surplus rows.
    """

    rows: int
    columns: dict[str, ColumnProfile]
    duplicate_rows: int = 0
    duplicate_key_rows: int = 0
    null_key_rows: int = 0
    near_duplicate_rows: int = 0
    redundant_rows: int = 0
    key: str | None = None
    as_of: date | None = None

    @property
    def semantic_types(self) -> dict[str, str]:
        """Column name -> semantic type."""
        return {name: c.semantic_type for name, c in self.columns.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row per column for a report, in the analyst's words; personal values already masked.

        ``missing`` counts empty cells, blanks and null tokens; ``placeholders`` says which
        disguised nulls were found; ``range`` is min to max of numbers and dates.
        """
        rows = []
        for c in self.columns.values():
            tokens = dict(c.null_tokens)
            if c.blank:
                tokens = {"blank": c.blank, **tokens}
            rows.append({
                "column": c.name,
                "type": c.semantic_type.replace("_", " "),
                "personal": c.personal_kind or "",
                "missing": c.null_share,
                "placeholders": ", ".join(f"{k} ×{v:,}" for k, v in tokens.items()),
                "distinct": c.distinct,
                "unique": c.unique_ratio,
                "range": "" if c.min is None else safe_text(f"{_display(c.min)} – {_display(c.max)}"),
                "mean": None if c.mean is None else round(c.mean, 2),
                "most common": "; ".join(f"{_short(safe_text(v))} ({n:,})" for v, n in c.top_values[:3]),
                "main format": _main_format(c),
            })
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (use :func:`readiness.results.to_jsonable` on the result)."""
        data = asdict(self)
        data["columns"] = [asdict(c) for c in self.columns.values()]
        return data


def _short(value: Any, width: int = 24) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _main_format(c: ColumnProfile) -> str:
    """The dominant shape or date format with its share, e.g. ``YYYY-MM-DD (97%)``."""
    formats = c.date_formats or c.formats
    if not formats:
        return ""
    name = next(iter(formats))
    share = c.dominant_format_share
    return _short(name) if share is None else f"{_short(name)} ({share:.0%})"


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, datetime) and value.time() == time.min:
        return value.date().isoformat()  # a date column: no midnight clock time
    return str(value)


def parse_as_of(as_of: date | datetime | str | None) -> date | None:
    """``as_of`` as a date (ISO strings accepted); raises ValueError when it is not a date."""
    if as_of is None or (isinstance(as_of, date) and not isinstance(as_of, datetime)):
        return as_of
    if isinstance(as_of, datetime):
        return as_of.date()
    return date.fromisoformat(str(as_of).strip()[:10])


def profile_table(
    frame: pd.DataFrame,
    *,
    key: str | None = None,
    date_columns: tuple[str, ...] | list[str] = (),
    pii_columns: tuple[str, ...] | list[str] = (),
    decimal: str = ".",
    as_of: date | str | None = None,
) -> TableProfile:
    """Profile every column of ``frame`` and count duplicate, near-duplicate and key rows.

    Parameters
    ----------
    frame : DataFrame
        As loaded: text columns verbatim (``string[pyarrow]``), typed columns as they came.
    key : str, optional
        The column that should identify a row.
    date_columns : sequence of str
        Columns to treat as dates whatever their values look like.
    pii_columns : sequence of str
        Columns known to hold personal data (masked in every output).
    decimal : {".", ","}
        The file's decimal mark.
    as_of : date or ISO str, optional
        Dates after the end of this day count as future dates.

    Returns
    -------
    TableProfile

    Examples
    --------
    >>> s = pd.StringDtype("pyarrow")
    >>> frame = pd.DataFrame({"x": pd.Series(["5", " ", "7.5"], dtype=s)})
    >>> profile_table(frame).columns["x"].semantic_type
    'number_as_text'
    """
    return profile_and_type(frame, key=key, date_columns=date_columns, pii_columns=pii_columns,
                            decimal=decimal, as_of=as_of, with_typed=False)[0]


def typed_frame(frame: pd.DataFrame, profile: TableProfile, *, decimal: str = ".") -> pd.DataFrame:
    """``frame`` with every column converted to its profiled type.

    Numbers (also numbers stored as text) become float64 with NaN where unparseable, dates
    datetime64[ns] (each value read with its own layout) with NaT where unparseable; null
    tokens and blanks become NA; other text is trimmed and stays ``string[pyarrow]``.
    """
    out = {}
    for name in frame.columns:
        col = profile.columns[name]
        enc = encode_column(frame[name])
        out[name] = analyse_column(enc, name=name, series=frame[name], semantic=col.semantic_type,
                                   decimal=decimal).typed
    return pd.DataFrame(out, index=frame.index, copy=False)


KeyChooser = Callable[["TableProfile"], "str | None"]
KEY_CANDIDATE_SHARE = 0.95  # filled and distinct share a column needs before it may be chosen as the key


def profile_and_type(
    frame: pd.DataFrame,
    *,
    key: str | None = None,
    date_columns: tuple[str, ...] | list[str] = (),
    pii_columns: tuple[str, ...] | list[str] = (),
    decimal: str = ".",
    as_of: date | str | None = None,
    with_typed: bool = True,
    choose_key: KeyChooser | None = None,
) -> tuple[TableProfile, pd.DataFrame | None]:
    """:func:`profile_table` and :func:`typed_frame` in one pass over the data.

    With ``choose_key`` and no ``key``, the key is chosen from the finished profile (e.g. by
    :func:`readiness.profiling.detect.detect_key`) in the same pass: the codes of columns filled and
    distinct on at least 95 % of rows are kept until the choice is made, so the duplicate-key and
    near-duplicate counts are those an explicit ``key`` gives.
    """
    as_of_date = parse_as_of(as_of)
    as_of_end = None if as_of_date is None else np.datetime64(datetime.combine(as_of_date, time.max), "ns")
    rows = len(frame)
    exact, near = _RowHash(rows), _RowHash(rows)
    held: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # key candidates: (row codes, near-duplicate codes)
    columns: dict[str, ColumnProfile] = {}
    typed: dict[str, Any] = {}
    negatives: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # count column -> (negative rows, other counted rows)
    may_choose = choose_key is not None and key is None

    def one_column(name: str) -> _ColumnPass:
        series = frame[name]
        enc = encode_column(series)
        forced = "date" if name in date_columns else ("key" if name == key else None)
        result = analyse_column(enc, name=name, forced=forced, decimal=decimal, as_of_end=as_of_end,
                                series=series)
        hold = name == key or (may_choose and _may_be_key(enc, rows))
        return _ColumnPass(enc.raw_codes, enc.row_codes if hold else None, infer.normalised_codes(enc),
                           _negative_counts(name, result),
                           _column_profile(name, series, enc, result, pii=name in pii_columns),
                           result.typed if with_typed else None)

    # the columns are worked out in threads (pyarrow and NumPy release the GIL), their rows hashed in order
    workers = column_workers()
    for name, done in zip(frame.columns, in_order(one_column, list(frame.columns), workers=workers), strict=True):
        if done.negatives is not None:
            negatives[name] = done.negatives
        exact.add(done.raw_codes)
        if done.held is not None:
            held[name] = (done.held, done.near_codes)
        else:
            near.add(done.near_codes)
        columns[name] = done.profile
        if with_typed:
            typed[name] = done.typed
        del done
    if workers > 1:
        release_freed_memory()  # what the threads freed stays in their heaps otherwise
    profile = TableProfile(rows=rows, columns=columns, key=key, as_of=as_of_date)
    if choose_key and key is None:
        key = choose_key(profile)
        if key is not None:  # the chosen column is typed as a key, as if it had been given
            _retype_key(frame, key, profile, typed, pii=key in pii_columns, decimal=decimal, as_of_end=as_of_end)
    for name, (_, near_codes) in held.items():
        if name != key:
            near.add(near_codes)
    key_dup = np.zeros(rows, dtype=bool)
    if key in held:
        codes = held[key][0]
        key_dup = pd.Series(codes).duplicated().to_numpy() & (codes >= 0)
    _mark_negatives(frame, columns, negatives)
    exact_dup = exact.duplicated()
    near_dup = np.zeros(rows, dtype=bool)
    if len(frame.columns) > 1 and near_duplicates_matter(columns, key=key, rows=rows):
        near_dup = near.duplicated() & ~exact_dup
    profile.duplicate_rows = int(exact_dup.sum())
    profile.duplicate_key_rows = int(key_dup.sum())
    profile.null_key_rows = columns[key].null_total if key in columns else 0
    profile.near_duplicate_rows = int(near_dup.sum())
    profile.redundant_rows = int((exact_dup | key_dup | near_dup).sum())
    profile.key = key
    return profile, (pd.DataFrame(typed, index=frame.index, copy=False) if with_typed else None)


@dataclass
class _ColumnPass:
    """What :func:`profile_and_type` keeps of one column once it has been worked out."""

    raw_codes: np.ndarray
    held: np.ndarray | None  # row codes of a key (candidate), kept until the key is known
    near_codes: np.ndarray
    negatives: tuple[np.ndarray, np.ndarray] | None
    profile: ColumnProfile
    typed: Any


def column_workers() -> int:
    """Threads for the per-column work: the cores this process may use, as the run shares them.

    ``readiness run`` sets ``OMP_NUM_THREADS`` to each parallel notebook's share of the cores, so
    two notebooks on two cores work one column at a time each; a notebook alone uses both.
    """
    share = os.environ.get("OMP_NUM_THREADS", "")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(int(share) if share.isdigit() else cores, cores, 4))


def in_order(fn: Callable[[Any], Any], items: list[Any], *, workers: int) -> Iterator[Any]:
    """``fn`` of each item, up to ``workers`` at a time in threads, yielded in the items' order.

    At most ``workers`` results wait to be taken, so memory holds a few columns' work, not all.
    """
    if workers <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future] = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _may_be_key(enc: Encoded, rows: int) -> bool:
    filled = int(enc.counts.sum())
    return bool(rows) and filled >= KEY_CANDIDATE_SHARE * rows and len(enc.counts) >= KEY_CANDIDATE_SHARE * filled


def _retype_key(frame: pd.DataFrame, key: str, profile: TableProfile, typed: dict[str, Any], *, pii: bool,
                decimal: str, as_of_end: np.datetime64 | None) -> None:
    series = frame[key]
    enc = encode_column(series)
    result = analyse_column(enc, name=key, forced="key", decimal=decimal, as_of_end=as_of_end, series=series)
    profile.columns[key] = _column_profile(key, series, enc, result, pii=pii)
    if key in typed:
        typed[key] = result.typed


class _RowHash:
    """A running 64-bit hash of each row's codes, column by column (splitmix64 mixing)."""

    _M1, _M2, _P = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, rows: int) -> None:
        self.value = np.zeros(rows, dtype=np.uint64)

    def add(self, codes: np.ndarray) -> None:
        x = self.value * self._P + (codes.astype(np.int64) + 1).astype(np.uint64)
        x ^= x >> np.uint64(30)
        x *= self._M1
        x ^= x >> np.uint64(27)
        x *= self._M2
        x ^= x >> np.uint64(31)
        self.value = x

    def duplicated(self) -> np.ndarray:
        return pd.Series(self.value).duplicated().to_numpy()


def _column_profile(
    name: str, series: pd.Series, enc: Encoded, res: infer.Analysis, *, pii: bool
) -> ColumnProfile:
    non_null = int(enc.counts.sum())
    null_total = len(series) - non_null
    kind = personal_kind_of(name, res.semantic, pii=pii, hint=res.personal_hint)
    col = ColumnProfile(
        name=name,
        semantic_type=res.semantic,
        dtype=str(series.dtype),
        rows=len(series),
        missing=enc.missing,
        blank=enc.blank,
        null_tokens=enc.tokens,
        null_total=null_total,
        null_share=null_total / len(series) if len(series) else 0.0,
        distinct=len(enc.counts),
        distinct_ratio=len(enc.counts) / non_null if non_null else 0.0,
        unique_ratio=int((enc.counts == 1).sum()) / non_null if non_null else 0.0,
        personal_kind=kind,
        text_source=enc.text,
    )
    for attr, value in res.stats.items():
        setattr(col, attr, value)
    col.top_values = _top_values(enc, res.semantic, kind)
    if kind is not None:
        col.min, col.max = (mask_value(v, kind) if v is not None else None for v in (col.min, col.max))
        col.mean, col.quantiles, col.latest_date = None, {}, None
    return col


def personal_kind_of(name: str, semantic: str, *, pii: bool, hint: str | None = None) -> str | None:
    """The kind of personal data a column holds: by its values (e-mail, phone), by a name hint its
    values agree with (``hint``, from :func:`readiness.profiling.infer.agreed_name_hint`), or, for a
    column the analyst named personal, by its name alone (``other`` when the name says nothing)."""
    by_value = semantic if semantic in ("email", "phone") else None
    if pii:
        return personal_kind_from_name(name) or by_value or "other"
    if by_value:
        return by_value
    if hint and semantic not in ("boolean", "constant", "empty"):
        return hint
    return None


def shown_value(value: Any, kind: str | None) -> str:
    """A data value as a report may show it: masked whole in a personal column, else through
    :func:`readiness.privacy.safe_text` (which masks any personal value inside it)."""
    return mask_value(value, kind) if kind else safe_text(value)


def _top_values(enc: Encoded, semantic: str, kind: str | None) -> list[tuple[str, int]]:
    if semantic in ("identifier", "free_text", "empty") or not len(enc.counts):
        return []
    top = np.lexsort((np.arange(len(enc.counts)), -enc.counts))[:5]
    values = enc.value_list(top)
    return [(shown_value(v, kind), int(enc.counts[i])) for v, i in zip(values, top, strict=True)]


def near_duplicates_matter(columns: dict[str, ColumnProfile], *, key: str | None, rows: int) -> bool:
    """Whether rows equal up to case and spacing can be the same record entered twice.

    Only when the rows carry something that tells one person or event from another: a personal
    column, free text, a date, or a column other than the key and other than a number with
    distinct values on at least half the rows. Rows of low-cardinality attributes alone (a
    plan, a contract, a payment method) are equal by nature, not by mistake.
    """
    for name, col in columns.items():
        if name == key:
            continue
        if col.personal_kind or col.semantic_type in ("free_text", "email", "phone", *DATE_TYPES):
            return True
        if col.semantic_type not in NUMBER_TYPES and rows and col.distinct >= NEAR_DISTINCT_SHARE * rows:
            return True
    return False


NEAR_DISTINCT_SHARE = 0.5


# --- what the negative rows of a count column share ---------------------------------------------------

MARKER_MIN_SHARE = 0.5  # a marker is on at least half the negative rows ...
MARKER_MAX_ELSEWHERE = 0.01  # ... and on at most 1 % of the other rows
MARKER_TYPES = ("category", "identifier")
_PREFIX = r"^(?P<prefix>[A-Za-z]+)[0-9]"  # C536379 -> C


def _negative_counts(name: str, result: infer.Analysis) -> tuple[np.ndarray, np.ndarray] | None:
    """For a count column (``Quantity``) with negative values: its negative rows and its other rows with a number."""
    if result.semantic not in NUMBER_TYPES or not infer.is_count_column(name):
        return None
    numbers = result.typed.to_numpy(dtype=np.float64, na_value=np.nan)
    counted = np.isfinite(numbers)
    if result.stats.get("sentinel_value") is not None:
        counted &= numbers != result.stats["sentinel_value"]
    negative = counted & (numbers < 0)
    return (negative, counted & ~negative) if negative.any() else None


def marker_tallies(column: str, values: Any, negative_rows: np.ndarray,
                   other_rows: np.ndarray) -> list[tuple[str, str, str, int, int]]:
    """``(column, kind, marker, negative rows, other rows)`` for each marker of a column's distinct values.

    ``values`` are the distinct cleaned values (pyarrow strings); ``negative_rows`` and
    ``other_rows`` count, for each, the negative rows and the other counted rows holding it. A
    marker is a whole value (``value``) or the letters that start a code (``prefix``: C of C536379).
    """
    held = np.flatnonzero(negative_rows)
    out = [(column, "value", v, int(negative_rows[i]), int(other_rows[i]))
           for v, i in zip(values.take(pa.array(held, type=pa.int64())).to_pylist(), held, strict=True)]
    parts = pc.struct_field(pc.extract_regex(values, _PREFIX), [0])
    prefixes = pa.table({"p": parts, "n": pa.array(negative_rows, pa.int64()), "o": pa.array(other_rows, pa.int64())})
    grouped = prefixes.filter(pc.is_valid(parts)).group_by("p").aggregate([("n", "sum"), ("o", "sum")]).to_pydict()
    out += [(column, "prefix", p, int(n), int(o))
            for p, n, o in zip(grouped["p"], grouped["n_sum"], grouped["o_sum"], strict=True) if n]
    return out


def choose_marker(tallies: list[tuple[str, str, str, int, int]], *, negatives: int, others: int,
                  order: list[str]) -> dict[str, Any] | None:
    """The marker that singles out the negative rows: on at least half of them and on at most 1 % of the
    other rows; the one on most negative rows wins (then fewer other rows, column order, prefix first).
    The marker is kept as :func:`readiness.privacy.safe_text` shows it."""
    ok = [t for t in tallies if t[3] >= MARKER_MIN_SHARE * negatives and t[4] <= MARKER_MAX_ELSEWHERE * others]
    if not ok:
        return None
    column, kind, marker, rows, _ = min(ok, key=lambda t: (-t[3], t[4], order.index(t[0]), t[1] != "prefix", t[2]))
    return {"column": column, "kind": kind, "marker": safe_text(marker), "rows": rows}


def marker_columns(columns: dict[str, ColumnProfile], count_column: str) -> list[str]:
    """The text columns whose values may mark a count column's negative rows (no personal data)."""
    return [n for n, c in columns.items() if n != count_column and c.text_source and not c.personal_kind
            and c.semantic_type in MARKER_TYPES]


def _mark_negatives(frame: pd.DataFrame, columns: dict[str, ColumnProfile],
                    negatives: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    encoded: dict[str, Encoded] = {}
    for name, (negative, other) in negatives.items():
        tallies = []
        for text in marker_columns(columns, name):
            enc = encoded.setdefault(text, encode_column(frame[text]))
            size = len(enc.counts)
            in_negative = np.bincount(enc.row_codes[negative & (enc.row_codes >= 0)], minlength=size)
            in_other = np.bincount(enc.row_codes[other & (enc.row_codes >= 0)], minlength=size)
            tallies += marker_tallies(text, enc.values, in_negative, in_other)
        columns[name].negative_marker = choose_marker(tallies, negatives=int(negative.sum()), others=int(other.sum()),
                                                      order=list(columns))
