"""The Great Expectations suite validated through GX's Spark data source, in one call.

The suite is the one :func:`readiness.quality.expectations.build_suite` builds for the pandas
engine, and each result becomes the same plain row (:func:`readiness.quality._gx_run._result_row`):
counts, an aggregate observed value and a short error, never a raw cell value. The data source
is created with ``persist=False``, so GX does not cache the frame for the life of the session.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from readiness.quality._gx_run import _POSITION, _quiet, _result_row
from readiness.quality.expectations import RESULT_COLUMNS
from readiness.spark._sql import functions as _f
from readiness.spark._typed import PLACEHOLDER


def _columns_needed(typed: Any, expectations: list[dict]) -> Any:
    """Columns no expectation reads become a one-byte placeholder (names, order and rows kept)."""
    F = _f()
    used = {e["kwargs"].get("column") for e in expectations}
    return typed.select(*[F.col(f"`{n}`") if n in used else F.lit(0).cast(PLACEHOLDER).alias(n)
                          for n in typed.columns])


def _run_gx(sdf: Any, suite: dict) -> dict[int, Any]:
    """Validate in one call; results keyed by the expectation's position in ``suite``."""
    with _quiet():
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = context.data_sources.add_spark(name="readiness_spark", persist=False)
        asset = source.add_dataframe_asset(name=suite["name"])
        batch = asset.add_batch_definition_whole_dataframe("whole_table").get_batch(
            batch_parameters={"dataframe": sdf})
        tagged = [{**expectation, "meta": {**expectation.get("meta", {}), _POSITION: i}}
                  for i, expectation in enumerate(suite["expectations"])]
        gx_suite = gx.ExpectationSuite(name=suite["name"], expectations=tagged)
        outcome = batch.validate(gx_suite, result_format="BASIC")
    return {r.expectation_config.meta[_POSITION]: r for r in outcome.results}


def validate_suite_spark(typed: Any, suite: dict) -> pd.DataFrame:
    """:func:`readiness.quality.expectations.validate_suite` on a typed Spark DataFrame.

    Parameters
    ----------
    typed : pyspark.sql.DataFrame
        From :func:`readiness.spark.typed_frame_spark`.
    suite : dict
        A suite from :func:`readiness.quality.expectations.build_suite`.

    Returns
    -------
    pandas.DataFrame
        One row per expectation, in suite order, with the columns of the pandas engine's
        results (``expectation`` ... ``observed``, ``error``). Counts and success equal the
        pandas engine's; column-type names in errors are Spark's.
    """
    expectations = suite["expectations"]
    if not expectations:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    frame = _columns_needed(typed, expectations)
    try:
        results = _run_gx(frame, suite)
    finally:
        frame.unpersist()  # a no-op unless something cached it
    rows = [_result_row(expectation, results.get(i)) for i, expectation in enumerate(expectations)]
    return pd.DataFrame(rows, columns=RESULT_COLUMNS, dtype=object).astype({"success": bool})
