"""A bounded stratified sample of a Spark table for the models, through Arrow.

The feasibility and ethics stages fit scikit-learn models and bootstrap intervals, which need the
rows in pandas. On a Spark table they get a stratified sample of bounded size instead
(:func:`model_sample`), with a :class:`~readiness.sources.base.ScopeNote` that the report shows;
the counts the reports quote are counted by Spark on every row (:mod:`readiness.sources.spark.groups`,
:mod:`readiness.sources.spark.series`). Only aggregates and the bounded sample reach the driver.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from readiness.sources.base import ScopeNote
from readiness.tables.common import STRING_DTYPE

MODEL_SAMPLE_ROWS = 100_000  # about 3 s through Arrow on 2 cores, and enough for every model's learning curve
SCAN_SAMPLE_ROWS = 20_000  # rows of each other table scanned for personal data
MIN_STRATUM_ROWS = 50  # a rare stratum keeps at least this many rows (all of them if it has fewer)
MAX_STRATA = 1_000  # beyond this many distinct values a column is no stratum: the sample is uniform
STRATUM = "__readiness_stratum__"
NULL_STRATUM = "\u0000missing"  # sampleBy drops null keys: null strata get this stand-in first


def _f() -> Any:
    import pyspark.sql.functions as F

    return F


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


def to_pandas(sdf: Any) -> pd.DataFrame:
    """A Spark DataFrame in pandas through Arrow, text as the pandas loader gives it (``string[pyarrow]``)."""
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


def _draw(sdf: Any, *, column: str, max_rows: int, seed: int) -> tuple[pd.DataFrame, ScopeNote]:
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
    frame = _trim(to_pandas(sampled), max_rows, seed)
    note = ScopeNote(engine="Spark", full_rows=int(full), sample_rows=len(frame), max_rows=max_rows,
                     column=column if with_stratum is not None else "",
                     strata=len(counts or {}), stratified=counts is not None, seed=seed,
                     min_stratum_rows=MIN_STRATUM_ROWS, scan_rows=SCAN_SAMPLE_ROWS)
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
                 seed: int = 42) -> tuple[pd.DataFrame, ScopeNote]:
    """:func:`stratified_sample` and the :class:`ScopeNote` that tells the report how it was drawn."""
    return _draw(sdf, column=column, max_rows=max_rows, seed=seed)


def sample_tables(spark: Any, tables: Mapping[str, str], *, max_rows: int = SCAN_SAMPLE_ROWS,
                  seed: int = 42) -> dict[str, pd.DataFrame]:
    """A uniform sample of at most ``max_rows`` rows of each table (name -> path or URL), for a personal-data scan."""
    out = {}
    for name, path in tables.items():
        sdf = open_table(spark, path)
        rows = sdf.count()
        sampled = sdf if rows <= max_rows else sdf.sample(fraction=_budget(max_rows) / rows, seed=seed)
        out[name] = _trim(to_pandas(sampled), max_rows, seed)
    return out


# ---------------------------------------------------------------- counts on every row


def open_table(spark: Any, data_path: str) -> Any:
    """:func:`readiness.sources.spark.read_table` of a notebook's ``data_path``: a URL as written, a local path
    resolved like the pandas engine's (so the notebooks' sample paths work from any folder)."""
    from readiness.sources.spark.reading import read_table
    from readiness.tables import resolve_input_path

    text = str(data_path)
    local = "://" not in text or text.startswith("file://")
    return read_table(spark, resolve_input_path(text) if local else text)


__all__ = ["MODEL_SAMPLE_ROWS", "model_sample", "open_table", "sample_tables", "stratified_sample",
           "stratum_fractions"]
