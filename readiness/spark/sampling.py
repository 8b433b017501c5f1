"""Counts on the full data with Spark, and a bounded stratified sample for the models, through Arrow.

The feasibility and ethics stages fit scikit-learn models and bootstrap intervals, which need the
rows in pandas. On a Spark table they get a stratified sample of bounded size instead
(:func:`model_sample`), with a :class:`SampleNote` that the report shows, while the label counts,
group sizes, base rates and disparities the reports quote are counted by Spark on every row
(:func:`label_counts`, :func:`readiness.spark.groups.full_group_rates`). Only aggregates and the
bounded sample reach the driver.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from readiness.ethics.bias import MISSING_GROUP
from readiness.spark.groups import count_groups, full_group_rates
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
    def _drawn(self) -> str:
        """How the sample was drawn: 'a stratified sample by ... of N of the table's M rows (x %), drawn ...'."""
        share = 100 * self.sample_rows / max(self.full_rows, 1)
        how = (f"a stratified sample by '{self.column}' ({self.strata} groups, each in proportion to its size, "
               f"rare ones with at least {MIN_STRATUM_ROWS} rows)" if self.stratified else
               "a uniform random sample" + (f" ('{self.column}' has too many distinct values to stratify by)"
                                            if self.column else ""))
        return (f"{how} of {self.sample_rows:,} of the table's {self.full_rows:,} rows ({share:.2g} %), drawn by "
                f"Spark with seed {self.seed} and brought to pandas through Arrow")

    @property
    def text(self) -> str:
        """One paragraph for the feasibility report, in the analyst's words."""
        if self.is_full:
            return (f"Spark read the table; its {self.full_rows:,} rows fit within the limit of {self.max_rows:,} "
                    "rows for the models, so every row was brought to pandas through Arrow and used.")
        return (f"The models and intervals in this report ran on {self._drawn}. Tables captioned 'on all "
                f"{self.full_rows:,} rows' were counted by Spark on every row.")

    @property
    def ethics_text(self) -> str:
        """One paragraph for the ethics report: which results counted every row, which used the sample."""
        every = (f"Group sizes, base rates and disparities, with their intervals, were counted by Spark on all "
                 f"{self.full_rows:,} rows of the table")
        others = f"other tables are scanned for personal data on at most {SCAN_SAMPLE_ROWS:,} rows each"
        if self.is_full:
            return (f"{every}. They fit within the limit of {self.max_rows:,} rows for the models, so every row was "
                    "also brought to pandas through Arrow for proxies, missing values by group, model-level "
                    f"fairness and the personal-data scan; {others}.")
        return (f"{every}. Proxies, missing values by group, model-level fairness and the personal-data scan of "
                f"this table ran on {self._drawn}; {others}.")

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


def label_counts(sdf: Any, *, target: str, decimal: str = ".") -> pd.DataFrame:
    """Rows and share of each value of ``target`` on every row (empty for a target with too many values).

    Values are grouped as the ethics stage groups a protected attribute: missing values form
    ``(missing)``, numbers with many values are cut into quartiles.
    """
    if target not in sdf.columns:
        return pd.DataFrame(columns=["group", "rows", "share"]).rename(columns={"group": target})
    counts = count_groups(sdf, attributes=[target], pairs=False, decimal=decimal).counts
    order = counts["group"].eq(MISSING_GROUP).astype(int) * 10**15 - counts["rows"]
    counts = counts.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    return pd.DataFrame({target: counts["group"], "rows": counts["rows"].astype("int64"),
                         "share": counts["rows"] / max(int(counts["rows"].sum()), 1)})


__all__ = ["MODEL_SAMPLE_ROWS", "SampleNote", "full_group_rates", "label_counts", "model_sample", "open_table",
           "sample_tables", "stratified_sample", "stratum_fractions"]
