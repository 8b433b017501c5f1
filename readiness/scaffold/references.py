"""References between a client's extracts, found by value inclusion.

A column refers to another table's key when at least 99 % of its filled values are values of that
key. Chance inclusion (small integers, short codes) is kept out by what a reference also needs:
at least 20 distinct values, a type that fits the key (text ids with text ids, whole numbers with
whole numbers), and evidence beyond the values: a name like the key's or the parent table's, or an
id-like name, or (for text) the same value shape as the key (``C00001`` and ``C02765``). Number
columns whose name is not id-like are measures, never references. Values are compared as trimmed
text, whole floats without ``.0`` (``17850.0`` is ``17850``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness.privacy import name_tokens
from readiness.profiling.columns import shapes, weighted_counts
from readiness.profiling.infer import is_id_like

REFERENCE_MIN_SHARE = 0.99
REFERENCE_MIN_DISTINCT = 20
_WHOLE_FLOAT = re.compile(r"^([+-]?\d+)\.0*$")


@dataclass(frozen=True)
class ColumnValues:
    """The filled values of one column as trimmed text, each with its number of rows.

    Attributes
    ----------
    column : str
    counts : Series
        Rows per value; the index holds the values as trimmed text (whole floats without ``.0``).
    whole : bool
        Every value is a whole number.
    shape : str
        The most common value shape (digits as ``9``, letters as ``a``: ``C00001`` is ``a99999``).
    number : bool
        The profile read the column as numbers.
    """

    column: str
    counts: pd.Series
    whole: bool
    shape: str
    number: bool = False

    @property
    def rows(self) -> int:
        """Rows with a value."""
        return int(self.counts.sum())

    @property
    def distinct(self) -> int:
        """Distinct values."""
        return len(self.counts)


def value_text(value: Any) -> str:
    """A value as it is compared across tables: trimmed text, whole floats without ``.0``.

    Examples
    --------
    >>> value_text(17850.0), value_text(" C001 "), value_text("42.0"), value_text(2.5)
    ('17850', 'C001', '42', '2.5')
    """
    if isinstance(value, float | np.floating):
        return str(int(value)) if math.isfinite(value) and float(value).is_integer() else repr(float(value))
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return str(int(value))
    text = str(value).strip()
    whole = _WHOLE_FLOAT.match(text)
    return whole.group(1) if whole else text


def values_text(values: pd.Index) -> pd.Index:
    """:func:`value_text` of many values at once (distinct values of a column, as counted)."""
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 2.0**53)
        text = np.array([repr(float(v)) for v in numbers[~whole]], dtype=object)
        out = np.empty(len(numbers), dtype=object)
        out[whole] = numbers[whole].astype(np.int64).astype(str)
        out[~whole] = text
        return pd.Index(out, dtype=object)
    if pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return pd.Index(values.astype(np.int64).astype(str), dtype=object)
    if pd.api.types.is_string_dtype(values.dtype):
        try:
            text = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # an object column of mixed values
            return pd.Index([value_text(v) for v in values], dtype=object)
        text = pc.replace_substring_regex(pc.utf8_trim_whitespace(text), _WHOLE_FLOAT.pattern, r"\1")
        return pd.Index(text.to_numpy(zero_copy_only=False), dtype=object)
    return pd.Index([value_text(v) for v in values], dtype=object)


def column_values(typed: pd.Series, *, column: str, number: bool = False) -> ColumnValues:
    """The filled values of a typed column (as :func:`readiness.quality.typed_frame` gives it), counted."""
    counts = typed.dropna().value_counts(sort=False)
    counts = pd.Series(counts.to_numpy(dtype=np.int64), index=values_text(counts.index))
    counts = counts[counts.index != ""].groupby(level=0, sort=True).sum()
    text = pd.Index(counts.index, dtype=object)
    whole = bool(len(text)) and bool(text.str.fullmatch(r"[+-]?\d+").all())
    shape = ""
    if len(text):
        counted = weighted_counts(shapes(pa.array(list(text), type=pa.string())), counts.to_numpy())
        shape = next(iter(counted), "")
    return ColumnValues(column=column, counts=counts, whole=whole, shape=shape, number=number)


@dataclass(frozen=True)
class Reference:
    """A column of ``table`` whose values are keys of ``parent`` (``parent_key``)."""

    table: str
    column: str
    parent: str
    parent_key: str
    rows: int
    missing: int

    @property
    def share(self) -> float:
        """Share of the column's filled values found among the parent's keys (0-1)."""
        return 1.0 - self.missing / self.rows if self.rows else 0.0

    @property
    def target(self) -> str:
        """``parent.parent_key``, as the engagement writes it."""
        return f"{self.parent}.{self.parent_key}"

    @property
    def evidence(self) -> str:
        """In words, e.g. ``99.8% of 59,913 values are customers keys (60 not found)``."""
        if not self.missing:
            return f"all {self.rows:,} values are {self.parent} keys"
        share = math.floor(self.share * 1000) / 10  # floored: 99.96% is not shown as 100.0%
        return f"{share:.1f}% of {self.rows:,} values are {self.parent} keys ({self.missing:,} not found)"


class ReferenceSource(Protocol):
    """What :func:`find_references` reads of a table (a :class:`~readiness.scaffold.sketch.TableSketch`)."""

    name: str
    key: str | None
    key_values: ColumnValues | None
    candidates: dict[str, ColumnValues]


def _compact(name: str) -> str:
    return "".join(name_tokens(name))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def names_table(column: str, table: str) -> bool:
    """``customer_id`` names ``customers``; ``CustomerID`` names ``customer``; ``site`` names no table."""
    tokens = name_tokens(column)
    table_words = [_singular(t) for t in name_tokens(table)]
    return bool(tokens) and bool(table_words) and (
        _singular(tokens[0]) == table_words[-1] or _compact(column).startswith("".join(table_words)))


def _named_after(column: str, parent: str, parent_key: str) -> bool:
    """The column's name ties it to the parent: its key's name, the parent table, or ``*_customer_id``."""
    key_tokens = name_tokens(parent_key)
    tokens = name_tokens(column)
    return (_compact(column) == _compact(parent_key) or names_table(column, parent)
            or (len(key_tokens) > 1 and tokens[-len(key_tokens):] == key_tokens))


def _plausible(child: ColumnValues, parent: str, key: ColumnValues, *, is_key: bool) -> bool:
    """Everything but the values: type, distinct values, and evidence beyond chance."""
    if child.whole != key.whole or child.distinct < REFERENCE_MIN_DISTINCT:
        return False
    named = _named_after(child.column, parent, key.column)
    if is_key:  # a table's own key refers to another only as its extension (customer_id -> customers)
        return names_table(child.column, parent)
    id_like = is_id_like(child.column)
    if child.number and not (id_like or named):
        return False  # a measure (visits, quantity), whatever its values
    if child.whole:  # small integers are everywhere: the name must tie them to this key
        return named or (id_like and child.shape == key.shape)
    return named or id_like or child.shape == key.shape


def _included(child: ColumnValues, key_index: pd.Index) -> int:
    return int(child.counts[child.counts.index.isin(key_index)].sum())


def find_references(tables: Sequence[ReferenceSource]) -> dict[str, dict[str, Reference]]:
    """Every reference between ``tables``: ``{table: {column: Reference}}``, in table and column order.

    Parameters
    ----------
    tables : sequence of TableSketch
        Each with its detected key's values and its candidate columns' values.

    Returns
    -------
    dict
        One entry per table (empty when it refers to nothing). When a column's values are keys
        of several tables, the parent table its name names wins (``customer_id``: ``customers``),
        then the key of the same name, then the higher share, then the earlier table.

    Examples
    --------
    >>> from readiness.scaffold.sketch import sketch_frame
    >>> s = pd.StringDtype("pyarrow")
    >>> ids = [f"C{i:03d}" for i in range(40)]
    >>> customers = sketch_frame(pd.DataFrame({"customer_id": pd.Series(ids, dtype=s)}), name="customers")
    >>> visits = sketch_frame(pd.DataFrame({"visit_id": pd.Series([f"V{i}" for i in range(80)], dtype=s),
    ...                                     "customer_id": pd.Series(ids * 2, dtype=s)}), name="visits")
    >>> find_references([customers, visits])["visits"]["customer_id"].evidence
    'all 80 values are customers keys'
    """
    parents = [(t.name, t.key_values, pd.Index(t.key_values.counts.index))
               for t in tables if t.key is not None and t.key_values is not None]
    found: dict[str, dict[str, Reference]] = {}
    for table in tables:
        columns: list[tuple[ColumnValues, bool]] = [(v, False) for v in table.candidates.values()]
        if table.key_values is not None:
            columns.insert(0, (table.key_values, True))
        refs = {}
        for child, is_key in columns:
            best = _best_parent(table.name, child, parents, is_key=is_key)
            if best is not None:
                refs[child.column] = best
        order = {c: i for i, c in enumerate([table.key or "", *table.candidates])}
        found[table.name] = dict(sorted(refs.items(), key=lambda kv: order.get(kv[0], len(order))))
    return found


def _best_parent(table: str, child: ColumnValues, parents: list[tuple[str, ColumnValues, pd.Index]], *,
                 is_key: bool) -> Reference | None:
    best: tuple[tuple, Reference] | None = None
    for position, (parent, key, key_index) in enumerate(parents):
        if parent == table and is_key:
            continue
        if not _plausible(child, parent, key, is_key=is_key):
            continue
        included = _included(child, key_index)
        if included < REFERENCE_MIN_SHARE * child.rows:
            continue
        ref = Reference(table, child.column, parent, key.column, child.rows, child.rows - included)
        rank = (names_table(child.column, parent), _compact(child.column) == _compact(key.column), included,
                -position)
        if best is None or rank > best[0]:
            best = (rank, ref)
    return None if best is None else best[1]


__all__ = ["REFERENCE_MIN_DISTINCT", "REFERENCE_MIN_SHARE", "ColumnValues", "Reference", "column_values",
           "find_references", "names_table", "value_text", "values_text"]
