"""The data-quality notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` opens the table with the engine the parameters name, fills every
empty parameter from the data (the table's name from the file, the key, date and personal
columns from the profile, ``as_of`` from today) and records each such choice as an
:class:`~readiness.params.Assumption` that the report shows.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from readiness.memory import release_freed_memory
from readiness.params import Assumption, is_none_word, resolve_as_of, table_name
from readiness.profiling.detect import detect_dates, detect_personal
from readiness.quality.assess import assess_quality
from readiness.quality.gx_project import client_checks, filled_as_gx_reads
from readiness.quality.params import QualityParams
from readiness.quality.report import QualityReport
from readiness.sources import open_source
from readiness.sources.gx import prefetch


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
        Filled with seconds per phase (see :func:`readiness.quality.assess_quality`).

    Returns
    -------
    QualityReport
        With ``assumed`` listing every choice made for the analyst.
    """
    prefetch()  # Great Expectations validates the checks at the end: import it while the table is read
    as_of, assumed = resolve_as_of(params.as_of, today=today)
    table, more = table_name(params.table, params.data_path)
    assumed += more
    key = None if not params.key or is_none_word(params.key) else params.key
    with open_source(params.data_path, name=table, engine=params.engine, sheet=params.sheet,
                     options=params.model_dump()) as source:
        assumed += source.reading()[0]
        report = assess_quality(source, table=table, key=key, date_columns=params.date_columns,
                                references=params.references, rules=params.rules, as_of=as_of,
                                pii_columns=params.pii_columns, freshness_days=params.freshness_days,
                                detect_key=not params.key, timings=timings)
        loaded = source.local_file() if params.gx_project else None
        # how the file was read, without its rows: the client's reader reads it again, and the two
        # copies of a large table should not be held at once
        reading = None if loaded is None else dataclasses.replace(loaded, frame=loaded.frame.iloc[:0])
        filled = None if loaded is None else filled_as_gx_reads(loaded)
    del source, loaded
    if reading is not None:
        release_freed_memory(collect=True)  # the client's reader reads the file again
        report.client_checks = client_checks(reading, report.profile, table=table, references=params.references,
                                             filled=filled)
    report.add_assumptions(assumed + column_assumptions(report, params))
    return report
