"""A client table read by Apache Spark: the :class:`~readiness.sources.base.TableSource` for tables that outgrow
one machine.

:meth:`SparkSource.open` starts a session (:func:`readiness.sources.spark.spark_session`), reads a
file, a folder of parts or a URL, and stops the session when the source is left;
:meth:`SparkSource.of` wraps a DataFrame someone else's session holds. The profile counts every
row (:func:`readiness.sources.spark.profile_table_spark`); the checks that read rows run on the
typed table, cached while :meth:`SparkSource.rows` lasts; models get a bounded stratified sample
with the note that says how it was drawn; group and daily counts are taken on every row. Only
counts, samples and masked examples reach the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.params import Assumption
from readiness.profiling.detect import KEY_MAX_MISSING, KEY_MIN_DISTINCT, Detected, KeyChoice
from readiness.profiling.infer import is_id_like
from readiness.profiling.profile import TableProfile, profile_table
from readiness.results import Finding
from readiness.sources.base import DailyTotals, GroupCounts, ParentKeys, ScopeNote
from readiness.sources.keys import key_text as key_text_pandas
from readiness.sources.keys import listed_keys, require_parent_column
from readiness.sources.spark.rows import SparkRows, key_text

KEY_SAMPLE_ROWS = 50_000  # rows profiled to rank key candidates, each then checked on every row


class SparkSource:
    """A Spark DataFrame as a table source.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        The table as read by :func:`readiness.sources.spark.read_table` (CSV columns are text, verbatim).
    name : str
        The table's name in messages and reports.
    decimal : {".", ","}
        The decimal mark of numbers written as text (:func:`readiness.sources.spark.decimal_mark`).
    """

    engine = "Spark"

    def __init__(self, sdf: Any, *, name: str, decimal: str = ".", owns_session: bool = False) -> None:
        self.sdf, self.name, self.decimal = sdf, name, decimal
        self.where = f"table '{name}'"
        self._owns_session = owns_session

    @classmethod
    def open(cls, path: str | Path, *, name: str | None = None, master: str = "", driver_memory: str = "",
             conf: Mapping[str, Any] | None = None) -> SparkSource:
        """Start a session (``master``, ``driver_memory``, ``conf`` as the engagement's ``spark:`` says) and read
        ``path`` (a notebook's ``data_path``: a local path resolved as the pandas loader does, or a URL)."""
        from readiness.sources.spark.reading import decimal_mark
        from readiness.sources.spark.sampling import open_table
        from readiness.sources.spark.session import DEFAULT_MASTER, spark_session

        spark = spark_session(master=master or DEFAULT_MASTER, driver_memory=driver_memory or None, conf=conf)
        try:
            return cls(open_table(spark, str(path)), name=name or Path(str(path).rstrip("/")).stem,
                       decimal=decimal_mark(path), owns_session=True)
        except BaseException:
            spark.stop()
            raise

    @classmethod
    def of(cls, sdf: Any, *, name: str, decimal: str = ".") -> SparkSource:
        """A DataFrame whose session the caller keeps."""
        return cls(sdf, name=name, decimal=decimal)

    def __enter__(self) -> SparkSource:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._owns_session:
            self.sdf.sparkSession.stop()

    def columns(self) -> list[str]:
        """The table's column names, in order."""
        return list(self.sdf.columns)

    def reading(self) -> tuple[list[Assumption], list[Finding]]:
        """Nothing: Spark reads the file itself, and its reader notices nothing to report."""
        return [], []

    def profile(self, *, key: str | None = None, date_columns: Sequence[str] = (), pii_columns: Sequence[str] = (),
                as_of: date | None = None, choose_key: KeyChoice | None = None) -> TableProfile:
        """Every count over every row; without ``key``, ``choose_key`` ranks candidates on a sample first."""
        from readiness.sources.spark.profile import profile_table_spark

        if key is None and choose_key is not None:
            key = choose_key.settle(self._key(choose_key))
        return profile_table_spark(self.sdf, key=key, date_columns=list(date_columns), pii_columns=list(pii_columns),
                                   decimal=self.decimal, as_of=as_of)

    def _key(self, choose_key: KeyChoice) -> Detected | None:
        """The first candidate, ranked on a sample's profile, whose filled and distinct counts hold on every row.

        A column near-unique on a sample may repeat on the whole table (two rows per customer look
        unique in a 1 % sample), so every candidate is counted on every row, in one Spark job.
        """
        from pyspark.sql import functions as F

        from readiness.sources.spark.sampling import to_pandas

        sample = profile_table(to_pandas(self.sdf.limit(KEY_SAMPLE_ROWS)), decimal=self.decimal)
        candidates = choose_key.candidates(sample)
        if not candidates:
            return None
        exprs = [F.count("*").alias("rows")]
        for i, c in enumerate(candidates):
            column = F.col(f"`{c.column}`")
            filled = F.when(column.isNotNull() & (F.trim(column.cast("string")) != ""), column)
            exprs += [F.count(filled).alias(f"f{i}"), F.countDistinct(filled).alias(f"d{i}")]
        counts = self.sdf.agg(*exprs).collect()[0].asDict()
        for i, c in enumerate(candidates):
            filled, distinct, rows = counts[f"f{i}"], counts[f"d{i}"], counts["rows"]
            if rows and filled >= (1 - KEY_MAX_MISSING) * rows and distinct >= KEY_MIN_DISTINCT * filled:
                share = "all" if distinct == rows else f"{distinct / filled:.1%}"
                how = "named like an identifier" if is_id_like(c.column) else "the first column"
                return Detected(c.column, f"{how}, with {share} of its values distinct on every row")
        return None

    @contextmanager
    def rows(self, profile: TableProfile, columns: Sequence[str]) -> Iterator[SparkRows]:
        """The typed table (only ``columns`` parsed, the others a placeholder), cached while the context lasts."""
        from pyspark import StorageLevel

        from readiness.sources.spark._typed import typed_frame_spark

        typed = typed_frame_spark(self.sdf, profile, decimal=self.decimal, columns=set(columns))
        typed = typed.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            yield SparkRows(typed)
        finally:
            typed.unpersist()

    def parent_keys(self, spec: Mapping[str, Any], *, column: str, limit: int) -> ParentKeys:
        """The parent's keys as key text on Spark, and at most ``limit + 1`` of them listed at the driver.

        A parent Spark reads (csv, parquet, a folder, a URL) stays on Spark; an Excel parent, a
        small lookup table by nature, is read by the pandas loader and its keys handed to Spark.
        """
        from readiness.sources.spark.reading import read_table, spark_reads

        spark = self.sdf.sparkSession
        if not spark_reads(spec["path"]):
            from readiness.tables import load_table

            parent = load_table(spec["path"], sheet=spec.get("sheet"))
            require_parent_column(column, spec, [str(c) for c in parent.frame.columns], self.where)
            keys = parent.frame[spec["column"]]
            handle = spark.createDataFrame(pd.DataFrame({"v": key_text_pandas(keys).to_pylist()}), "v string")
            return ParentKeys(listed=listed_keys(keys), handle=handle)
        parent = read_table(spark, spec["path"])
        require_parent_column(column, spec, parent.columns, self.where)
        keys = parent.select(f"`{spec['column']}`")
        first = keys.distinct().limit(limit + 1).collect()  # a longer list is left out of the suite
        return ParentKeys(listed=listed_keys(pd.Series([r[0] for r in first], dtype=object)),
                          handle=key_text(keys, keys.columns[0]))

    def local_file(self) -> None:
        """None: a table Spark reads is too large, or too far away, for a pandas reader."""
        return None

    def probe(self, rows: int) -> pd.DataFrame:
        """The first ``rows`` rows in pandas, to detect a target or protected attributes before sampling."""
        from readiness.sources.spark.sampling import to_pandas

        return to_pandas(self.sdf.limit(rows))

    def model_frame(self, *, stratify_by: str, seed: int) -> tuple[pd.DataFrame, ScopeNote]:
        """A stratified sample of at most :data:`readiness.sources.spark.sampling.MODEL_SAMPLE_ROWS` rows."""
        from readiness.sources.spark.sampling import model_sample

        return model_sample(self.sdf, column=stratify_by, seed=seed)

    def other_tables(self, tables: Mapping[str, Any], *, seed: int) -> dict[str, pd.DataFrame]:
        """A uniform sample of each table Spark reads."""
        from readiness.sources.spark.sampling import sample_tables

        return sample_tables(self.sdf.sparkSession, tables, seed=seed)

    def group_counts(self, attributes: Sequence[str], *, target: str | None = None,
                     positive_label: str | None = None, pairs: bool = True) -> GroupCounts:
        """Counted in one pass (a second for pairs of many raw values), labelled at the driver."""
        from readiness.sources.spark.groups import count_groups

        return count_groups(self.sdf, attributes=attributes, target=target, positive_label=positive_label,
                            pairs=pairs, decimal=self.decimal)

    def daily_totals(self, *, typed_by: TableProfile, time_column: str, group_column: str | None,
                     sum_of: str | None, keep_days: Callable[[pd.Series], pd.DatetimeIndex], most_groups: int,
                     missing: str, other: str) -> DailyTotals:
        """Aggregated by Spark in one pass over the typed columns."""
        from readiness.sources.spark.series import daily_totals

        return daily_totals(self.sdf, typed_by=typed_by, decimal=self.decimal, time_column=time_column,
                            group_column=group_column, sum_of=sum_of, keep_days=keep_days, most_groups=most_groups,
                            missing=missing, other=other)
