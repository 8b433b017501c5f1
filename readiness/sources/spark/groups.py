"""Group sizes and positives on every row of a Spark table: :meth:`SparkSource.group_counts`.

One Spark query, one pass over the table, counts the rows of each combination of raw values, for
each attribute alone and for each pair of them, together with the target's raw value. Only these
counts reach the driver. There the pandas engine's own rules type each attribute and the target
(from their distinct values and the rows holding each), band numbers (age bands, quartiles of the
whole column) and name the groups (:mod:`readiness.profiling.groups`), so the counts equal
:meth:`readiness.sources.pandas.PandasSource.group_counts` on the whole table. A pair whose raw values combine in more
than :data:`MAX_COMBINATIONS` ways is counted again, by its groups, in a second pass; an attribute
with that many values on its own is left out, with a note.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from readiness.errors import DataError
from readiness.profiling import groups as grouping
from readiness.profiling import infer
from readiness.sources.base import GroupCounts
from readiness.sources.spark._sql import functions as _f
from readiness.sources.spark._sql import kinds as _kinds
from readiness.sources.spark._sql import raw as _raw

MAX_COMBINATIONS = 50_000  # distinct (value, label) combinations of one attribute or pair brought to the driver
SLOT, FIRST, SECOND, LABEL, ROWS = "s", "a", "b", "t", "n"


def _require(sdf: Any, names: Sequence[str], param: str) -> None:
    for name in names:
        if name not in sdf.columns:
            close = difflib.get_close_matches(str(name), sdf.columns, n=3, cutoff=0.5)
            hint = f"the closest are: {', '.join(close)}; " if close else ""
            raise DataError(f"`{param}` names column '{name}', which is not in the table; {hint}"
                            f"columns are: {', '.join(sdf.columns[:30])}.")


def _combinations(sdf: Any, slots: list[tuple[str, str | None]], target: str | None,
                  kinds: dict[str, str]) -> pd.DataFrame:
    """One Spark job: rows per (slot, raw value, raw second value, raw label); a slot with too many
    combinations comes back as a single row whose ``k`` says how many it has."""
    F = _f()
    none = F.lit(None).cast("string")
    structs = [F.struct(F.lit(i).alias(SLOT), _raw(a, kinds[a]).alias(FIRST),
                        (_raw(b, kinds[b]) if b else none).alias(SECOND)) for i, (a, b) in enumerate(slots)]
    label = _raw(target, kinds[target]) if target else none
    exploded = sdf.select(F.explode(F.array(*structs)).alias("x"), label.alias(LABEL))
    counts = (exploded.groupBy(F.col(f"x.{SLOT}").alias(SLOT), F.col(f"x.{FIRST}").alias(FIRST),
                               F.col(f"x.{SECOND}").alias(SECOND), LABEL).agg(F.count(F.lit(1)).alias(ROWS)))
    return _bounded(counts)


def _bounded(counts: Any) -> pd.DataFrame:
    """The counts at the driver, through Arrow; a slot with more than MAX_COMBINATIONS rows sends one row only."""
    from pyspark.sql import Window

    F = _f()
    per_slot = Window.partitionBy(SLOT)
    ranked = (counts.withColumn("k", F.count(F.lit(1)).over(per_slot))
              .withColumn("r", F.row_number().over(per_slot.orderBy(F.desc(ROWS)))))
    kept = ranked.where((F.col("k") <= MAX_COMBINATIONS) | (F.col("r") == 1)).drop("r")
    counts.sparkSession.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    return kept.toPandas()


def _labelled_pairs(sdf: Any, pairs: dict[int, tuple[str, str]], labels: dict[str, dict], target: str | None,
                    kinds: dict[str, str]) -> pd.DataFrame:
    """A second Spark job, for pairs whose raw values combine too often: each attribute's group labels,
    known from the first job, are joined on (broadcast) and the pairs of labels counted instead."""
    F = _f()
    names = sorted({x for pair in pairs.values() for x in pair})
    rows = sdf.select(*[_raw(x, kinds[x]).alias(f"_r{i}") for i, x in enumerate(names)],
                      (_raw(target, kinds[target]) if target else F.lit(None).cast("string")).alias(LABEL))
    for i, x in enumerate(names):
        mapping = sdf.sparkSession.createDataFrame(
            pd.DataFrame({f"_k{i}": list(labels[x]), f"_g{i}": list(labels[x].values())}),
            f"_k{i} string, _g{i} string")
        rows = rows.join(F.broadcast(mapping), F.col(f"_r{i}").eqNullSafe(F.col(f"_k{i}")), "left")
    label = {x: F.col(f"_g{i}") for i, x in enumerate(names)}
    structs = [F.struct(F.lit(s).alias(SLOT), label[a].alias(FIRST), label[b].alias(SECOND))
               for s, (a, b) in pairs.items()]
    exploded = rows.select(F.explode(F.array(*structs)).alias("x"), LABEL)
    return _bounded(exploded.groupBy(F.col(f"x.{SLOT}").alias(SLOT), F.col(f"x.{FIRST}").alias(FIRST),
                                     F.col(f"x.{SECOND}").alias(SECOND), LABEL).agg(F.count(F.lit(1)).alias(ROWS)))


def _integral(dtype: Any) -> bool:
    from pyspark.sql import types as T

    return isinstance(dtype, T.IntegralType)


def _as_loaded(values: pd.Series, kind: str) -> pd.Series:
    """Raw values as the pandas loader holds them: text, numbers, dates (booleans as their text)."""
    present = values.where(values.notna(), None)
    if kind == "integer":  # whole numbers stay int64 unless a value is missing, as Arrow hands them to pandas
        return pd.Series([np.nan if v is None else int(v) for v in present],
                         dtype="float64" if present.isna().any() else "int64")
    if kind == "number":
        return pd.Series([np.nan if v is None else float(v) for v in present], dtype="float64")
    if kind == "date":
        return pd.Series(pd.to_datetime(present, format="%Y-%m-%dT%H:%M:%S.%f"))
    if kind == "bool":
        present = present.map({"true": "True", "false": "False"}, na_action="ignore")
    return pd.Series(present.to_numpy(dtype=object), dtype=infer.ARROW_STRING)


def _sample_codes(counts: np.ndarray) -> np.ndarray:
    """Codes of at most SAMPLE_SIZE rows holding the values in proportion to ``counts`` (all when they fit)."""
    total = int(counts.sum())
    if total > infer.SAMPLE_SIZE:
        share = counts * infer.SAMPLE_SIZE / total
        whole = np.floor(share).astype(np.int64)
        extra = np.argsort(-(share - whole), kind="stable")[:infer.SAMPLE_SIZE - int(whole.sum())]
        whole[extra] += 1
        counts = whole
    return np.repeat(np.arange(len(counts)), counts)


def typed_values(values: pd.Series, rows: np.ndarray, *, name: str, decimal: str = ".") -> pd.Series:
    """The pandas engine's typed value of each distinct raw value of a column.

    The column's type is inferred by :func:`readiness.profiling.infer.infer_semantic` as if each
    value were repeated ``rows`` times (a table of at most ``SAMPLE_SIZE`` rows exactly as the
    pandas engine types it, a larger one from a proportional sample of its values); each value
    is then converted by the pandas engine's own parsers.
    """
    enc = infer.encode_column(values.reset_index(drop=True))
    codes = enc.row_codes
    clean = np.bincount(codes[codes >= 0], weights=rows[codes >= 0], minlength=len(enc.values)).astype(np.int64)
    weighted = replace(enc, counts=clean, row_codes=_sample_codes(clean))
    semantic = infer.infer_semantic(weighted, name, decimal=decimal)
    return infer.analyse_column(enc, name=name, series=values.reset_index(drop=True), semantic=semantic,
                                decimal=decimal).typed


def _marginal(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame.groupby(column, dropna=False, sort=False, as_index=False)[ROWS].sum()


def _labels(frame: pd.DataFrame, name: str, kind: str, decimal: str) -> tuple[dict, str | None]:
    """Raw value -> group label of one attribute, from its rows on every row of the table."""
    values = _marginal(frame, FIRST)
    typed = typed_values(_as_loaded(values[FIRST], kind), values[ROWS].to_numpy(), name=name, decimal=decimal)
    labels, how = grouping.prepare_protected(typed, name=name, weights=values[ROWS].to_numpy())
    return dict(zip(values[FIRST].where(values[FIRST].notna(), None), labels, strict=True)), how


def _outcomes(frame: pd.DataFrame, target: str, kind: str, positive_label: str | None,
              decimal: str) -> dict | None:
    """Raw label -> 1.0, 0.0 or NaN as :func:`readiness.profiling.groups.binary_labels` reads the typed target."""
    values = _marginal(frame, LABEL)
    typed = typed_values(_as_loaded(values[LABEL], kind), values[ROWS].to_numpy(), name=target, decimal=decimal)
    y = grouping.binary_labels(typed, positive_label, column=target)
    return None if y is None else dict(zip(values[LABEL].where(values[LABEL].notna(), None), y, strict=True))


def _tally(frame: pd.DataFrame, groups: pd.Series, outcomes: dict | None, attribute: str) -> pd.DataFrame:
    rows = frame[ROWS].to_numpy(dtype=np.int64)
    if outcomes is None:
        parts = pd.DataFrame({"group": groups.to_numpy(), "rows": rows, "positives": np.nan})
    else:
        y = frame[LABEL].map(lambda v: outcomes[None if pd.isna(v) else v]).to_numpy(dtype=float)
        known = ~np.isnan(y)
        parts = pd.DataFrame({"group": groups.to_numpy()[known], "rows": rows[known],
                              "positives": rows[known] * y[known]})
    out = parts.groupby("group", sort=True, as_index=False).agg(rows=("rows", "sum"), positives=("positives", "sum"))
    if outcomes is None:
        out["positives"] = np.nan
    return out.assign(attribute=attribute)[["attribute", "group", "rows", "positives"]]


def _by_slot(found: pd.DataFrame) -> dict[int, pd.DataFrame]:
    return {int(slot): part for slot, part in found.groupby(SLOT)}


def _too_many_notes(slots: list[tuple[str, str | None]], too_many: set[int]) -> list[str]:
    return [f"'{' & '.join(x for x in slots[i] if x)}' has more than {MAX_COMBINATIONS:,} combinations of values "
            "and labels, so its groups were not counted." for i in sorted(too_many)]


def count_groups(sdf: Any, *, attributes: Sequence[str], target: str | None = None,
                 positive_label: str | None = None, pairs: bool = True, decimal: str = ".") -> GroupCounts:
    """Rows and positives of each group of each attribute (and pair), counted by Spark on every row.

    Groups are those of :func:`readiness.profiling.groups.prepare_protected` on the typed column:
    missing values form ``(missing)``, numbers with many values are cut into age bands or into
    quartiles of the whole column; pairs are labelled ``'F & 18-24'``.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        The full table.
    attributes : sequence of str
        Columns to group by (protected attributes, or the target itself).
    target, positive_label : str, optional
        The label and its positive value (a yes-like value of a two-valued target when not given);
        with a binary target, rows without a label are left out, as the ethics stage does.
    pairs : bool
        Count each pair of attributes as well.
    decimal : str
        The decimal mark of numbers stored as text.

    Returns
    -------
    GroupCounts

    Raises
    ------
    DataError
        A named column is not in the table.
    ConfigError
        ``positive_label`` never occurs in the target.

    Examples
    --------
    >>> count_groups(sdf, attributes=["gender", "age"], target="churned", positive_label="yes")  # doctest: +SKIP
    """
    attributes = list(dict.fromkeys(a for a in attributes if a))
    _require(sdf, attributes, "protected")
    _require(sdf, [target] if target else [], "target")
    slots: list[tuple[str, str | None]] = [(a, None) for a in attributes]
    if pairs:
        slots += [(a, b) for i, a in enumerate(attributes) for b in attributes[i + 1:]]
    empty = pd.DataFrame(columns=["attribute", "group", "rows", "positives"])
    if not attributes:
        return GroupCounts(empty, False, [])
    kinds = _kinds(sdf)
    kinds.update({f.name: "integer" for f in sdf.schema.fields if _integral(f.dataType)})  # raw: their digits
    by_slot = _by_slot(_combinations(sdf, slots, target, kinds))
    too_many = {i for i, part in by_slot.items() if int(part["k"].iloc[0]) > MAX_COMBINATIONS}
    whole = next((part for i, part in sorted(by_slot.items()) if i < len(attributes) and i not in too_many), None)
    if whole is None:  # an empty table, or every attribute too varied
        return GroupCounts(empty, False, [], _too_many_notes(slots, too_many))
    outcomes = _outcomes(whole, target, kinds[target], positive_label, decimal) if target else None
    labels, names, notes = {}, [], []  # names: attributes with a known value on some row, as pandas keeps them
    for i, attribute in enumerate(attributes):
        if i in too_many:
            names.append(attribute)
            continue
        labels[attribute], how = _labels(by_slot[i], attribute, kinds[attribute], decimal)
        notes += [how] if how else []
        if any(g != grouping.MISSING_GROUP for g in labels[attribute].values()):
            names.append(attribute)
    counted = set(names) & set(labels)
    wanted = {i: (a, b) for i, (a, b) in enumerate(slots) if b and {a, b} <= counted}
    again = {i: pair for i, pair in wanted.items() if i in too_many}
    if again:  # the pairs' group labels combine far less often than their raw values
        relabelled = _by_slot(_labelled_pairs(sdf, again, labels, target, kinds))
        by_slot.update(relabelled)
        too_many -= {i for i, part in relabelled.items() if int(part["k"].iloc[0]) <= MAX_COMBINATIONS}
    tables = []
    for i, (first, second) in enumerate(slots):
        if i in too_many or first not in labels or (second and i not in wanted):
            continue
        part = by_slot[i]
        if i in again:
            groups = part[FIRST] + " & " + part[SECOND]
        else:
            groups = part[FIRST].map(lambda v, m=labels[first]: m[None if pd.isna(v) else v])
            if second:
                groups += " & " + part[SECOND].map(lambda v, m=labels[second]: m[None if pd.isna(v) else v])
        tables.append(_tally(part, groups, outcomes, f"{first} & {second}" if second else first))
    notes += _too_many_notes(slots, {i for i in too_many if i < len(attributes) or i in wanted})
    names += [f"{a} & {b}" for i, a in enumerate(names) for b in names[i + 1:]] if pairs else []
    counts = pd.concat(tables, ignore_index=True) if tables else empty
    return GroupCounts(counts, outcomes is not None, names, notes)


__all__ = ["MAX_COMBINATIONS", "count_groups", "typed_values"]
