"""Counts on the full data with Spark, and a bounded stratified sample for the models, through Arrow.

The feasibility and ethics stages fit scikit-learn models and bootstrap intervals, which need the
rows in pandas. On a Spark table they get a stratified sample of bounded size instead
(:func:`model_sample`), with a :class:`SampleNote` that the report shows, while the group sizes
and label base rates the report quotes are counted by Spark on every row (:func:`group_counts`).
Only aggregates and the bounded sample reach the driver.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from readiness.ethics.bias import AGE_EDGES, AGE_LABELS, MAX_LEVELS, MIN_GROUP_SIZE, MISSING_GROUP
from readiness.privacy import name_tokens
from readiness.tables.common import STRING_DTYPE

MODEL_SAMPLE_ROWS = 100_000  # about 3 s through Arrow on 2 cores, and enough for every model's learning curve
SCAN_SAMPLE_ROWS = 20_000  # rows of each other table scanned for personal data
MIN_STRATUM_ROWS = 50  # a rare stratum keeps at least this many rows (all of them if it has fewer)
MAX_STRATA = 1_000  # beyond this many distinct values a column is no stratum: the sample is uniform
MAX_DISTINCT = 10_000  # an attribute with more distinct values is not grouped
STRATUM = "__readiness_stratum__"
NULL_STRATUM = "\u0000missing"  # sampleBy drops null keys: null strata get this stand-in first
YES_WORDS = ("true", "1", "yes")
COUNT_COLUMNS = ["attribute", "group", "rows", "share", "positives", "base_rate", "reference", "small",
                 "disparate_impact", "statistical_parity_difference"]


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _f() -> Any:
    import pyspark.sql.functions as F

    return F


@dataclass(frozen=True)
class SampleNote:
    """How the rows the models saw were drawn from a Spark table; :attr:`text` says it in the report."""

    full_rows: int
    sample_rows: int
    max_rows: int
    column: str
    strata: int
    stratified: bool
    seed: int

    @property
    def is_full(self) -> bool:
        """True when every row of the table was used."""
        return self.sample_rows == self.full_rows

    @property
    def text(self) -> str:
        """One paragraph for the report, in the analyst's words."""
        if self.is_full:
            return (f"Spark read the table; its {self.full_rows:,} rows fit within the limit of {self.max_rows:,} "
                    "rows for the models, so every row was brought to pandas through Arrow and used.")
        share = 100 * self.sample_rows / max(self.full_rows, 1)
        how = (f"a stratified sample by '{self.column}' ({self.strata} groups, each in proportion to its size, "
               f"rare ones with at least {MIN_STRATUM_ROWS} rows)" if self.stratified else
               "a uniform random sample" + (f" ('{self.column}' has too many distinct values to stratify by)"
                                            if self.column else ""))
        return (f"The models and intervals in this report ran on {how} of {self.sample_rows:,} of the table's "
                f"{self.full_rows:,} rows ({share:.2g} %), drawn by Spark with seed {self.seed} and brought to "
                "pandas through Arrow. Group sizes and base rates marked 'all rows' were counted by Spark on "
                "every row.")

    def as_dict(self) -> dict[str, Any]:
        """JSON-able fields plus the text."""
        return {**asdict(self), "text": self.text}


def _fill_stratum(sdf: Any, column: str) -> Any:
    F = _f()
    return sdf.withColumn(STRATUM, F.coalesce(F.col(f"`{column}`").cast("string"), F.lit(NULL_STRATUM)))


def _strata(with_stratum: Any) -> dict[str, int] | None:
    """Rows per stratum, or None when there are more than :data:`MAX_STRATA`."""
    rows = with_stratum.groupBy(STRATUM).count().limit(MAX_STRATA + 1).collect()
    return None if len(rows) > MAX_STRATA else {r[STRATUM]: int(r["count"]) for r in rows}


def _budget(max_rows: int) -> float:
    # Bernoulli sampling overshoots its expectation by about sqrt(n): aim three of those lower
    return max(1.0, max_rows - 3 * math.sqrt(max_rows))


def stratum_fractions(counts: Mapping[str, int], *, max_rows: int) -> dict[str, float]:
    """Sampling fraction per stratum: proportional, rare strata lifted, expected total within ``max_rows``.

    Examples
    --------
    >>> stratum_fractions({"a": 10_000, "b": 20}, max_rows=1_000)["b"]
    1.0
    """
    total = sum(counts.values())
    if total <= max_rows:
        return dict.fromkeys(counts, 1.0)
    budget = _budget(max_rows)
    floor = min(MIN_STRATUM_ROWS, budget / max(len(counts), 1))

    def expected(f: float) -> float:
        return sum(min(c, max(floor, f * c)) for c in counts.values())

    low, high = 0.0, 1.0
    for _ in range(60):  # the expected size grows with f: bisect for the largest that fits
        mid = (low + high) / 2
        low, high = (mid, high) if expected(mid) <= budget else (low, mid)
    return {k: min(1.0, max(floor, low * c) / c) for k, c in counts.items() if c > 0}


def _to_pandas(sdf: Any) -> pd.DataFrame:
    from pyspark.sql import types as T

    sdf.sparkSession.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    frame = sdf.toPandas()
    for field in sdf.schema.fields:
        if isinstance(field.dataType, T.StringType):  # text as the pandas loader gives it
            frame[field.name] = frame[field.name].astype(STRING_DTYPE)
    return frame


def _trim(frame: pd.DataFrame, max_rows: int, seed: int) -> pd.DataFrame:
    if len(frame) <= max_rows:
        return frame.reset_index(drop=True)
    keep = np.sort(np.random.default_rng(seed).choice(len(frame), size=max_rows, replace=False))
    return frame.iloc[keep].reset_index(drop=True)


def _draw(sdf: Any, *, column: str, max_rows: int, seed: int) -> tuple[pd.DataFrame, SampleNote]:
    if max_rows < 1:
        raise ValueError(f"max_rows must be a positive number of rows, got {max_rows}")
    with_stratum = _fill_stratum(sdf, column) if column in sdf.columns else None
    counts = _strata(with_stratum) if with_stratum is not None else None
    full = sum(counts.values()) if counts is not None else sdf.count()
    if full <= max_rows:
        sampled = sdf
    elif counts is None:
        sampled = sdf.sample(withReplacement=False, fraction=min(1.0, _budget(max_rows) / full), seed=seed)
    else:
        fractions = stratum_fractions(counts, max_rows=max_rows)
        sampled = with_stratum.sampleBy(STRATUM, fractions=fractions, seed=seed).drop(STRATUM)
    frame = _trim(_to_pandas(sampled), max_rows, seed)
    note = SampleNote(full_rows=int(full), sample_rows=len(frame), max_rows=max_rows,
                      column=column if with_stratum is not None else "",
                      strata=len(counts or {}), stratified=counts is not None, seed=seed)
    return frame, note


def stratified_sample(sdf: Any, *, column: str, max_rows: int, seed: int) -> pd.DataFrame:
    """At most ``max_rows`` rows of a Spark DataFrame, stratified by ``column``, as pandas through Arrow.

    Each value of ``column`` (missing values included, as their own stratum) keeps about its
    share of the rows; a rare value keeps at least :data:`MIN_STRATUM_ROWS` rows, or all of
    them. A column with more than :data:`MAX_STRATA` distinct values gives a uniform sample.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        The full table.
    column : str
        The column to stratify by, usually the target.
    max_rows : int
        The most rows returned; a table that fits is returned whole.
    seed : int
        The same seed on the same data gives the same rows, in the table's order.

    Returns
    -------
    pandas.DataFrame
        Text columns as ``string[pyarrow]``, like :func:`readiness.tables.load_table`.

    Examples
    --------
    >>> stratified_sample(sdf, column="churned", max_rows=50_000, seed=42)  # doctest: +SKIP
    """
    return _draw(sdf, column=column, max_rows=max_rows, seed=seed)[0]


def model_sample(sdf: Any, *, column: str, max_rows: int = MODEL_SAMPLE_ROWS,
                 seed: int = 42) -> tuple[pd.DataFrame, SampleNote]:
    """:func:`stratified_sample` and the :class:`SampleNote` that tells the report how it was drawn."""
    return _draw(sdf, column=column, max_rows=max_rows, seed=seed)


def sample_tables(spark: Any, tables: Mapping[str, str], *, max_rows: int = SCAN_SAMPLE_ROWS,
                  seed: int = 42) -> dict[str, pd.DataFrame]:
    """A uniform sample of at most ``max_rows`` rows of each table (name -> path or URL), for a personal-data scan."""
    out = {}
    for name, path in tables.items():
        sdf = open_table(spark, path)
        rows = sdf.count()
        sampled = sdf if rows <= max_rows else sdf.sample(fraction=_budget(max_rows) / rows, seed=seed)
        out[name] = _trim(_to_pandas(sampled), max_rows, seed)
    return out


# ---------------------------------------------------------------- counts on every row


def open_table(spark: Any, data_path: str) -> Any:
    """:func:`readiness.spark.read_table` of a notebook's ``data_path``: a URL as written, a local path
    resolved like the pandas engine's (so the notebooks' sample paths work from any folder)."""
    from readiness.spark.reading import read_table
    from readiness.tables import resolve_input_path

    text = str(data_path)
    local = "://" not in text or text.startswith("file://")
    return read_table(spark, resolve_input_path(text) if local else text)


def label_counts(sdf: Any, *, target: str) -> pd.DataFrame:
    """Rows and share of each value of ``target`` on every row (empty for a target with too many values)."""
    if target not in sdf.columns:
        return pd.DataFrame(columns=["group", "rows", "share"])
    counts, _ = group_counts(sdf, attributes=[target])
    return counts[["group", "rows", "share"]].rename(columns={"group": target})


def _positive(sdf: Any, target: str, positive_label: str | None) -> tuple[Any, Any] | None:
    """(labelled, positive) Spark conditions, or None when no positive label is given or evident."""
    from pyspark.sql import types as T

    F = _f()
    raw = F.col(f"`{target}`")
    text = F.lower(F.trim(raw.cast("string")))
    labelled = raw.isNotNull() & (text != "")
    wanted = None if positive_label is None else str(positive_label).strip().lower()
    if not wanted:
        values = [r[0] for r in sdf.select(text.alias("v")).where(labelled).distinct().limit(3).collect()]
        if len(values) != 2 or not set(values) & set(YES_WORDS):
            return None
        wanted = next(v for v in YES_WORDS if v in values)
    numeric = isinstance(sdf.schema[target].dataType, T.NumericType)
    try:
        positive = raw.cast("double") == float(wanted) if numeric else text == wanted
    except ValueError:
        positive = text == wanted
    return labelled, positive


def _grouped(sdf: Any, attributes: Sequence[str], conditions: tuple[Any, Any] | None) -> pd.DataFrame:
    """One Spark job: rows and positives per (attribute, raw value), attributes with too many values cut short."""
    from pyspark.sql import Window

    F = _f()
    pairs = F.array(*[F.struct(F.lit(a).alias("attribute"), F.trim(F.col(f"`{a}`").cast("string")).alias("value"))
                      for a in attributes])
    labelled = F.lit(True) if conditions is None else conditions[0]
    positive = F.lit(0) if conditions is None else F.when(conditions[1], 1).otherwise(0)
    exploded = (sdf.where(labelled).select(F.explode(pairs).alias("p"), positive.alias("y"))
                .select("p.attribute", "p.value", "y"))
    counts = exploded.groupBy("attribute", "value").agg(F.count(F.lit(1)).alias("rows"), F.sum("y").alias("positives"))
    by_attribute = Window.partitionBy("attribute")
    ranked = (counts.withColumn("distinct", F.count(F.lit(1)).over(by_attribute))
              .withColumn("rank", F.row_number().over(by_attribute.orderBy(F.desc("rows"), "value"))))
    kept = ranked.where((F.col("distinct") <= MAX_DISTINCT) | (F.col("rank") == 1)).drop("rank")
    return pd.DataFrame([r.asDict() for r in kept.collect()], columns=["attribute", "value", "rows", "positives",
                                                                      "distinct"])


def _band(values: pd.DataFrame, attribute: str) -> tuple[pd.Series, str | None]:
    """Group labels of one attribute's distinct values; numbers with many values are banded as the ethics stage does."""
    text = values["value"].where(values["value"].fillna("") != "", None)
    numbers = pd.to_numeric(text, errors="coerce")
    numeric = text.notna().any() and numbers[text.notna()].notna().all()
    if numeric and numbers.nunique() > MAX_LEVELS:
        if "age" in name_tokens(attribute):
            cut = pd.cut(numbers, bins=list(AGE_EDGES), labels=list(AGE_LABELS), right=False)
            labels = cut.astype(object)
        else:
            order = np.argsort(numbers.fillna(np.inf).to_numpy(), kind="stable")
            weights = np.cumsum(values["rows"].to_numpy()[order]) / values["rows"].sum()
            sorted_numbers = numbers.to_numpy()[order]
            edges = np.unique([sorted_numbers[min(np.searchsorted(weights, q), len(order) - 1)]
                               for q in (0.0, 0.25, 0.5, 0.75, 1.0)])
            cut = pd.cut(numbers, bins=edges, include_lowest=True, duplicates="drop")
            labels = cut.map(lambda c: f"{_number_text(c.left)}-{_number_text(c.right)}").astype(object)
        how = "age bands" if "age" in name_tokens(attribute) else "quartile bands"
        return labels.where(labels.notna(), MISSING_GROUP), f"'{attribute}' is numeric, so it was cut into {how}."
    if numeric:
        return numbers.map(lambda v: _number_text(v) if pd.notna(v) else MISSING_GROUP), None
    return text.fillna(MISSING_GROUP).astype(object), None


def _rates(frame: pd.DataFrame, attribute: str, *, reference: str | None, has_target: bool,
           min_group_size: int) -> pd.DataFrame:
    total = frame["rows"].sum()
    frame = frame.assign(share=frame["rows"] / total,
                         base_rate=frame["positives"] / frame["rows"] if has_target else np.nan)
    known = frame[frame["group"] != MISSING_GROUP].sort_values(["rows", "group"], ascending=[False, True])
    ref = str(reference) if reference not in (None, "") else (known["group"].iloc[0] if len(known) else None)
    ref_rate = frame.loc[frame["group"] == ref, "base_rate"]
    ref_rate = float(ref_rate.iloc[0]) if len(ref_rate) and has_target else np.nan
    frame = frame.assign(
        attribute=attribute, reference=frame["group"] == ref, small=frame["rows"] < min_group_size,
        disparate_impact=frame["base_rate"] / ref_rate if ref_rate and ref_rate > 0 else np.nan,
        statistical_parity_difference=frame["base_rate"] - ref_rate,
        positives=frame["positives"] if has_target else np.nan)
    order = frame["group"].eq(MISSING_GROUP).astype(int) * 10**15 - frame["rows"]
    return frame.iloc[np.argsort(order.to_numpy(), kind="stable")][COUNT_COLUMNS]


def group_counts(sdf: Any, *, attributes: Sequence[str], target: str | None = None,
                 positive_label: str | None = None, reference_groups: Mapping[str, str] | None = None,
                 min_group_size: int = MIN_GROUP_SIZE) -> tuple[pd.DataFrame, list[str]]:
    """Each group's size and label base rate, counted by Spark on every row of the table.

    Groups follow the ethics stage: missing values form ``(missing)``, numbers with more than
    :data:`~readiness.ethics.bias.MAX_LEVELS` values are cut into age bands or quartiles.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        The full table.
    attributes : sequence of str
        Columns to group by, one at a time (protected attributes, or the target itself).
    target, positive_label : str, optional
        The label and its positive value (a yes-like value when there are two values and none is
        given). With a target, rows without a label are left out, as the ethics stage does.
    reference_groups : mapping, optional
        Attribute -> reference group; the largest known group by default.
    min_group_size : int
        Groups with fewer rows are marked ``small``.

    Returns
    -------
    (pandas.DataFrame, list of str)
        Columns :data:`COUNT_COLUMNS`, largest group first, missing last; and notes on banded or
        skipped attributes.

    Examples
    --------
    >>> counts, notes = group_counts(sdf, attributes=["gender"], target="no_show")  # doctest: +SKIP
    """
    attributes = [a for a in attributes if a]
    if not attributes:
        return pd.DataFrame(columns=COUNT_COLUMNS), []
    conditions = _positive(sdf, target, positive_label) if target else None
    grouped, notes, parts = _grouped(sdf, attributes, conditions), [], []
    for attribute in attributes:
        values = grouped[grouped["attribute"] == attribute].reset_index(drop=True)
        if values.empty:
            continue
        if int(values["distinct"].iloc[0]) > MAX_DISTINCT:
            notes.append(f"'{attribute}' has more than {MAX_DISTINCT:,} distinct values, so it was not grouped.")
            continue
        labels, how = _band(values, attribute)
        notes += [how] if how else []
        frame = values.assign(group=labels.astype(str)).groupby("group", as_index=False)[["rows", "positives"]].sum()
        parts.append(_rates(frame, attribute, reference=(reference_groups or {}).get(attribute),
                            has_target=conditions is not None, min_group_size=min_group_size))
    counts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COUNT_COLUMNS)
    return counts.astype({"rows": "int64"}), notes


__all__ = ["COUNT_COLUMNS", "MODEL_SAMPLE_ROWS", "SampleNote", "group_counts", "label_counts", "model_sample",
           "open_table", "sample_tables", "stratified_sample", "stratum_fractions"]
