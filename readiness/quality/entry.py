"""The data-quality notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` reads the table with the engine the parameters name, fills every
empty parameter from the data (the table's name from the file, the key, date and personal
columns from the profile, ``as_of`` from today) and records each such choice as an
:class:`~readiness.params.Assumption` that the report shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from readiness.params import Assumption, is_none_word, slug
from readiness.profiling.detect import detect_dates, detect_key, detect_personal
from readiness.quality import QualityReport, assess_quality
from readiness.quality.params import QualityParams

KEY_SAMPLE_ROWS = 50_000  # rows the Spark engine profiles to pick a key candidate, verified then on every row


def resolve_as_of(as_of: str, *, today: date | None = None) -> tuple[str, list[Assumption]]:
    """``as_of`` as given, or today's date with the assumption that says so."""
    if as_of:
        return as_of, []
    day = (today or date.today()).isoformat()
    return day, [Assumption("as_of", day, "no extract date was given, so dates are judged against today",
                            "-p as_of YYYY-MM-DD, the date the extract was taken")]


def table_name(params_table: str, path: str | Path) -> tuple[str, list[Assumption]]:
    """The table's name as given, or made from the file's name."""
    if params_table:
        return params_table, []
    name = slug(Path(str(path).rstrip("/")).stem)
    return name, [Assumption("table", name, "made from the file's name", "-p table NAME")]


def reading_assumption(loaded: Any) -> list[Assumption]:
    """How a text file was read (encoding, delimiter, decimal mark), as sniffed by the loader."""
    if getattr(loaded, "format", None) != "csv":
        return []
    delimiter = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(loaded.delimiter, repr(loaded.delimiter))
    decimal = "comma" if loaded.decimal == "," else "point"
    return [Assumption("data_path", f"{loaded.encoding}, {delimiter}-delimited, decimal {decimal}",
                       "sniffed from the file's first lines", "save the file in UTF-8 with one delimiter if this is "
                       "wrong")]


def column_assumptions(report: QualityReport, params: QualityParams) -> list[Assumption]:
    """Date and personal columns the profile found beyond those given."""
    out = []
    dates = [c for c in detect_dates(report.profile) if c not in params.date_columns]
    if dates:
        out.append(Assumption("date_columns", ", ".join(dates), "their values read as dates",
                              '-y "date_columns: [COLUMN, ...]" to name others'))
    personal = {c: k for c, k in detect_personal(report.profile).items() if c not in params.pii_columns}
    if personal:
        shown = ", ".join(f"{c} ({k.replace('_', ' ')})" for c, k in personal.items())
        out.append(Assumption("pii_columns", shown, "found by column name and checked against the values; masked "
                              "in every output", '-y "pii_columns: [COLUMN, ...]" to add others'))
    elif not params.pii_columns:
        out.append(Assumption("pii_columns", "none found", "no column is named or shaped like personal data",
                              '-y "pii_columns: [COLUMN, ...]" to name them'))
    return out


def assess_from_params(params: QualityParams, *, today: date | None = None,
                       timings: dict[str, float] | None = None) -> QualityReport:
    """Run the data-quality stage as the notebook does.

    Parameters
    ----------
    params : QualityParams
        The notebook's parameters (empty names are detected).
    today : date, optional
        The date an empty ``as_of`` stands for (today by default).
    timings : dict, optional
        Spark engine only: filled with seconds per phase.

    Returns
    -------
    QualityReport
        With ``assumed`` listing every choice made for the analyst.
    """
    as_of, assumed = resolve_as_of(params.as_of, today=today)
    table, more = table_name(params.table, params.data_path)
    assumed += more
    key = None if not params.key or is_none_word(params.key) else params.key
    options = dict(table=table, key=key, date_columns=params.date_columns, references=params.references,
                   rules=params.rules, as_of=as_of, pii_columns=params.pii_columns,
                   freshness_days=params.freshness_days)
    if params.engine == "spark":
        report, more = _assess_spark(params, options, timings=timings)
        assumed += more
    else:
        from readiness.tables import load_table, resolve_input_path

        loaded = load_table(resolve_input_path(params.data_path), sheet=params.sheet or None, name=table)
        assumed += reading_assumption(loaded)
        report = assess_quality(loaded, detect_key=not params.key, **options)
    report.add_assumptions(assumed + column_assumptions(report, params))
    return report


def _assess_spark(params: QualityParams, options: dict[str, Any], *,
                  timings: dict[str, float] | None) -> tuple[QualityReport, list[Assumption]]:
    from readiness.spark import assess_quality_spark, spark_session
    from readiness.spark.reading import decimal_mark
    from readiness.spark.sampling import open_table
    from readiness.spark.session import DEFAULT_MASTER

    spark = spark_session(master=params.spark_master or DEFAULT_MASTER,
                          driver_memory=params.spark_driver_memory or None, conf=params.spark_conf)
    try:
        sdf = open_table(spark, params.data_path)
        decimal = decimal_mark(params.data_path)
        assumed = []
        if not params.key:
            found = spark_key(sdf, decimal=decimal, table=options["table"])
            options["key"] = None if found is None else found.column
            change = "-p key COLUMN, or -p key none when the table has no key"
            assumed.append(Assumption("key", "none", "no column is filled and distinct on (almost) every row", change)
                           if found is None else Assumption("key", found.column, found.reason, change))
        return assess_quality_spark(sdf, decimal=decimal, timings=timings, **options), assumed
    finally:
        spark.stop()


def spark_key(sdf: Any, *, decimal: str, table: str) -> Any:
    """The key of a Spark table: candidates ranked on a sample's profile, the first that holds on every row.

    A column that is near-unique on a sample may repeat on the whole table (two rows per customer
    look unique in a 1 % sample), so each candidate's filled and distinct counts are checked on
    every row, in one Spark job, before it is chosen.
    """
    from readiness.profiling.detect import KEY_MAX_MISSING, KEY_MIN_DISTINCT, Detected
    from readiness.profiling.infer import is_id_like
    from readiness.profiling.profile import profile_table
    from readiness.spark.sampling import _to_pandas

    sample = _to_pandas(sdf.limit(KEY_SAMPLE_ROWS))
    profile = profile_table(sample, decimal=decimal)
    candidates = []
    while True:
        found = detect_key(profile, table=table)
        if found is None or len(candidates) >= 3:
            break
        candidates.append(found)
        profile.columns.pop(found.column)
    if not candidates:
        return None
    from pyspark.sql import functions as F

    exprs = [F.count("*").alias("rows")]
    for i, c in enumerate(candidates):
        column = F.col(f"`{c.column}`")
        filled = F.when(column.isNotNull() & (F.trim(column.cast("string")) != ""), column)
        exprs += [F.count(filled).alias(f"f{i}"), F.countDistinct(filled).alias(f"d{i}")]
    counts = sdf.agg(*exprs).collect()[0].asDict()
    for i, c in enumerate(candidates):
        filled, distinct, rows = counts[f"f{i}"], counts[f"d{i}"], counts["rows"]
        if rows and filled >= (1 - KEY_MAX_MISSING) * rows and distinct >= KEY_MIN_DISTINCT * filled:
            share = "all" if distinct == rows else f"{distinct / filled:.1%}"
            how = "named like an identifier" if is_id_like(c.column) else "the first column"
            return Detected(c.column, f"{how}, with {share} of its values distinct on every row")
    return None
