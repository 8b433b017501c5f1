"""Great Expectations, run on either engine: a suite validated in one call, its results as plain rows.

The data-quality stage builds a suite (:func:`readiness.quality.expectations.build_suite`); a
table source validates it where the rows live: :func:`validate_frame` on a pandas frame,
:func:`validate_spark` on a Spark DataFrame through GX's Spark data source. Either way each result
is reduced to counts, an aggregate observed value and a short error message (:func:`result_row`),
never a raw cell value. ``great_expectations`` takes several seconds to import, so it is
imported inside the functions that need it, never at module level.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pandas as pd

from readiness.imports import leave_out_iri_grammar
from readiness.quality.run_checks import lazy_copies  # the runner in the client's project validates the same way

RESULT_COLUMNS = [
    "expectation", "column", "origin", "description", "success", "unexpected_count", "unexpected_percent",
    "observed", "error",
]

# Expectations whose observed value is an aggregate (a count, a max date), safe to show.
AGGREGATE_EXPECTATIONS = (
    "expect_table_row_count_to_be_between",
    "expect_column_max_to_be_between",
    "expect_column_min_to_be_between",
)
POSITION = "readiness_position"  # each expectation carries its suite position in meta


def prefetch() -> threading.Thread | None:
    """Start importing Great Expectations in a background thread; None when it is imported already.

    The import takes seconds of mostly Python work; started before a table is read and profiled it
    overlaps with that work (pandas releases the GIL in its parsers and kernels), and :func:`quiet`
    later finds it done or waits for the rest. It emits no warnings; its logging is held at
    CRITICAL while it runs, as under :func:`quiet`.
    """
    if "great_expectations" in sys.modules:
        return None
    leave_out_iri_grammar()

    def run() -> None:
        logger = logging.getLogger("great_expectations")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        try:
            import great_expectations  # noqa: F401
        except Exception:  # noqa: S110  (the import that needs it raises the same error where it is seen)
            pass
        finally:
            logger.setLevel(level)

    thread = threading.Thread(target=run, name="import-great-expectations", daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence Great Expectations' logging and warnings so a notebook shows only our tables."""
    leave_out_iri_grammar()
    root = logging.getLogger("great_expectations")
    saved = {root: root.level}
    root.setLevel(logging.CRITICAL)  # covers the import, whose loggers inherit this level
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations  # noqa: F401

            # A few GX modules set their own logger level, so the parent's does not reach them.
            for name in list(logging.root.manager.loggerDict):
                logger = logging.getLogger(name)
                if name.startswith("great_expectations.") and logger.level != logging.NOTSET:
                    saved[logger] = logger.level
                    logger.setLevel(logging.CRITICAL)
            yield
    finally:
        for logger, level in saved.items():
            logger.setLevel(level)


def _run(frame: Any, name: str, expectations: dict[int, dict], *, engine: str = "pandas") -> dict[int, Any]:
    """Validate in one GX call, on a pandas or a Spark frame; results keyed by each expectation's suite position.

    A Spark data source is created with ``persist=False``, so GX does not cache the frame.
    """
    with quiet():
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        if engine == "spark":
            source = context.data_sources.add_spark(name="readiness_spark", persist=False)
        else:
            source = context.data_sources.add_or_update_pandas(name="readiness")
        asset = source.add_dataframe_asset(name=name)
        # GX returns results grouped its own way, so each carries its suite position in meta.
        gx_suite = gx.ExpectationSuite(name=name, expectations=_tagged(expectations))
        with _no_fingerprint(), lazy_copies():  # both calls load the batch (validate loads it again)
            batch = asset.add_batch_definition_whole_dataframe("whole_table").get_batch(
                batch_parameters={"dataframe": frame})
            outcome = batch.validate(gx_suite, result_format="BASIC")
    return {r.expectation_config.meta[POSITION]: r for r in outcome.results}


@contextlib.contextmanager
def _no_fingerprint() -> Iterator[None]:
    """Skip GX's fingerprint of a pandas batch, which hashes every cell of the frame.

    GX stores the fingerprint only as a batch marker (``pandas_data_fingerprint``), for frames
    under ``HASH_THRESHOLD`` bytes; the results we keep are counts, never markers. On 1,000,000
    rows of text the hash took about a third of the validation.
    """
    from great_expectations.execution_engine import pandas_execution_engine as engine

    saved = engine.HASH_THRESHOLD
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = saved


def result_row(expectation: dict, result: Any) -> dict:
    meta = expectation.get("meta", {})
    row = {"expectation": expectation["type"], "column": expectation["kwargs"].get("column"),
           "origin": meta.get("origin"), "description": meta.get("description"), "success": False,
           "unexpected_count": None, "unexpected_percent": None, "observed": None, "error": None}
    if result is None:
        # ExpectationSuite drops (and only logs) configurations it cannot parse.
        row["error"] = "Great Expectations rejected this expectation's configuration"
        return row
    row["error"] = error_message(result.exception_info)
    if row["error"] is not None:
        return row
    details = result.result or {}
    row["success"] = bool(result.success)
    if details.get("unexpected_count") is not None:
        row["unexpected_count"] = int(details["unexpected_count"])
        row["unexpected_percent"] = float(details.get("unexpected_percent") or 0.0)
    row["observed"] = _observed(expectation["type"], details)
    return row


def _observed(kind: str, details: dict) -> str | None:
    if kind == "expect_table_columns_to_match_set":
        mismatch = (details.get("details") or {}).get("mismatched") or {}
        parts = [f"{label}: {', '.join(map(str, mismatch[label]))}"
                 for label in ("missing", "unexpected") if mismatch.get(label)]
        text = "; ".join(parts) if parts else f"{len(details.get('observed_value') or [])} columns"
        return text if len(text) <= 120 else text[:117] + "..."
    if kind in AGGREGATE_EXPECTATIONS and details.get("observed_value") is not None:
        return str(details["observed_value"])
    return None


def error_message(info: Any) -> str | None:
    """The first exception message GX recorded, with quoted text removed (it can hold cell values)."""
    if not isinstance(info, dict):
        return None
    # Either one flat record, or one record per metric that failed to compute.
    records = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for record in records:
        if record.get("raised_exception"):
            message = str(record.get("exception_message") or "unknown error").splitlines()[0]
            message = re.sub(r"'[^']*'|\"[^\"]*\"", "'...'", message)
            return message if len(message) <= 200 else message[:197] + "..."
    return None


def _rows(expectations: list[dict], results: dict[int, Any]) -> pd.DataFrame:
    rows = [result_row(expectation, results.get(i)) for i, expectation in enumerate(expectations)]
    # object columns keep None as None instead of turning counts into floats with NaN
    return pd.DataFrame(rows, columns=RESULT_COLUMNS, dtype=object).astype({"success": bool})


def validate_frame(typed: pd.DataFrame, suite: dict) -> pd.DataFrame:
    """Every expectation of ``suite`` run on a typed pandas frame in one Great Expectations call.

    ``typed`` itself is not modified (GX's fingerprint of the frame, a hash of every cell, is
    skipped: :func:`_no_fingerprint`). Returns one row per expectation, in suite order
    (:data:`RESULT_COLUMNS`).
    """
    expectations = suite["expectations"]
    if not expectations:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    flags, long_sets = _long_sets_as_flags(typed, expectations)
    results = _run(typed, suite["name"], {i: e for i, e in enumerate(expectations) if i not in long_sets})
    if long_sets:
        results.update(_run(flags, suite["name"], long_sets))
    return _rows(expectations, results)


LONG_SET = 1_000  # a value set longer than this is checked through a membership flag (_long_sets_as_flags)


def _long_sets_as_flags(frame: pd.DataFrame, expectations: list[dict]) -> tuple[pd.DataFrame, dict[int, dict]]:
    """Long value sets checked as flag columns, so Great Expectations validates them in milliseconds.

    GX serialises an expectation's configuration dozens of times while validating it, element by
    element (pydantic v1): a reference check against 60,000 parent keys took 10 s on 65,000
    invoices. Each ``expect_column_values_to_be_in_set`` with more than :data:`LONG_SET` values
    becomes a check, validated by GX in a second batch, of a column that is True where the value
    is in the set (``Series.isin``, the test GX itself applies), null where the value is null,
    False elsewhere, against the set ``[True]``: the same rows fail, the same non-null rows are
    counted. Returns that batch's frame and its expectations by suite position; the suite saved
    for the client keeps its sets, and ``frame`` is not modified.
    """
    flags, checked = {}, {}
    for i, expectation in enumerate(expectations):
        if not _long_set(expectation, frame.columns):
            continue
        column = frame[expectation["kwargs"]["column"]]
        flag = column.isin(expectation["kwargs"]["value_set"]).astype(object)
        flag[column.isna().to_numpy()] = None
        flags[f"in_set_{i}"] = flag
        checked[i] = _as_flag_check(expectation, i)
    return pd.DataFrame(flags, index=frame.index), checked


def _long_set(expectation: dict, columns: Any) -> bool:
    """An in-set check of a column of ``columns`` against more than :data:`LONG_SET` values."""
    values = expectation["kwargs"].get("value_set")
    return (expectation["type"] == "expect_column_values_to_be_in_set" and isinstance(values, list)
            and len(values) > LONG_SET and expectation["kwargs"].get("column") in columns)


def _as_flag_check(expectation: dict, position: int) -> dict:
    """The in-set check of the flag column ``in_set_<position>`` against ``[True]``, its other options kept."""
    return {**expectation, "kwargs": {**expectation["kwargs"], "column": f"in_set_{position}", "value_set": [True]}}


def _tagged(expectations: dict[int, dict]) -> list[dict]:
    return [{**expectation, "meta": {**expectation.get("meta", {}), POSITION: i}}
            for i, expectation in expectations.items()]


def validate_spark(typed: Any, suite: dict, *, placeholder: str) -> pd.DataFrame:
    """:func:`validate_frame` on a typed Spark DataFrame, through GX's Spark data source.

    The data source is created with ``persist=False``, so GX does not cache the frame for the life
    of the session; columns no expectation reads become a one-byte ``placeholder`` column; long
    value sets are checked through a flag column, as on pandas (:func:`_long_sets_as_flags`).
    Counts and success equal the pandas engine's; column-type names in errors are Spark's.
    """
    expectations = suite["expectations"]
    if not expectations:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    import pyspark.sql.functions as F

    used = {e["kwargs"].get("column") for e in expectations}
    frame = typed.select(*[F.col(f"`{n}`") if n in used else F.lit(0).cast(placeholder).alias(n)
                           for n in typed.columns])
    in_sets = {i: e for i, e in enumerate(expectations) if _long_set(e, typed.columns)}
    flagged = _spark_in_set_flags(typed, in_sets)
    long_sets = {i: _as_flag_check(e, i) for i, e in in_sets.items()}
    try:
        results = _run(frame, suite["name"], {i: e for i, e in enumerate(expectations) if i not in long_sets},
                       engine="spark")
        if long_sets:
            results.update(_run(flagged, suite["name"], long_sets, engine="spark"))
    finally:
        frame.unpersist()  # a no-op unless something cached it
        flagged.unpersist()
    return _rows(expectations, results)


def _spark_in_set_flags(typed: Any, long_sets: dict[int, dict]) -> Any:
    """The flag column ``in_set_<position>`` of each long in-set check, for :func:`validate_spark`.

    GX's own test on Spark is ``Column.isin(value_set)`` on the non-null values. Built as it is,
    that makes one literal per value through py4j, a few milliseconds each: 45 s for the 60,000
    appointment ids an invoice refers to, and a query plan holding every value. Instead the set is
    sent once as a one-column DataFrame of the column's type and joined on (broadcast, a left join
    on distinct values, so every row stays once): True where a value matched, False where none
    did, null where the column is null. As on pandas, a value of another kind than the column's
    (a number in a text column's set) matches nothing; ``isin`` would cast the column to it and
    fail on the first value that is not a number. Columns neither text nor numbers keep ``isin``.
    """
    import pyspark.sql.functions as F
    from pyspark.sql import types as T

    types = {field.name: field.dataType for field in typed.schema.fields}
    frame = typed.select(*[F.col(f"`{e['kwargs']['column']}`").alias(f"k{i}") for i, e in long_sets.items()])
    flags = []
    for i, expectation in long_sets.items():
        key, values = F.col(f"k{i}"), expectation["kwargs"]["value_set"]
        dtype = types[expectation["kwargs"]["column"]]
        kept = _values_of_kind(values, dtype)
        if kept is None:
            found = key.isin(values)
        else:
            nan = kept.isna()  # NaN would reach Spark as null, which no key equals: matched on its own
            keys = typed.sparkSession.createDataFrame(kept[~nan].to_frame(f"v{i}"),
                                                      T.StructType([T.StructField(f"v{i}", dtype)]))
            frame = frame.join(F.broadcast(keys.withColumn(f"hit{i}", F.lit(True))), key == F.col(f"v{i}"), "left")
            found = F.coalesce(F.col(f"hit{i}"), F.lit(False))
            if nan.any():
                found = found | F.isnan(key)
        flags.append(F.when(key.isNull(), F.lit(None)).otherwise(found).alias(f"in_set_{i}"))
    return frame.select(*flags)


def _values_of_kind(values: list, dtype: Any) -> pd.Series | None:
    """The distinct values a column of ``dtype`` can equal: text for text, numbers for numbers.

    -0.0 is kept as 0.0 and NaN once, as Spark's join keys take them, so no row matches twice.
    None for a column of another type.
    """
    from pyspark.sql import types as T

    if isinstance(dtype, T.StringType):
        return pd.Series([v for v in values if isinstance(v, str)], dtype=object).drop_duplicates()
    if isinstance(dtype, T.DoubleType):
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        return (pd.Series(numbers, dtype=float) + 0.0).drop_duplicates()
    return None
