"""The checks the client keeps running: a Great Expectations project beside the reports.

For each table read from a file, :func:`client_checks` writes the checks a data owner would keep
running on next month's extract, as Great Expectations itself reads the file (its pandas CSV,
Excel or Parquet reader, with the encoding, delimiter and decimal mark the loader found, and ISO
dates read as dates). Every parameter is measured on the extract as that reader sees it, so the
checks hold on today's file except where it has a defect. Two kinds of check:

- **defect checks** (``meta.finding`` names the data-quality finding they mirror): the key is
  filled and unique, references exist in the parent table as it is when the checks run (its keys
  are read then and passed as a parameter), no date lies after ``as_of``, every
  date reads in its column's one format, e-mails and phones are well formed, a code or phone
  column keeps its commonest shape on at least 90 % of values. They fail exactly when the
  data-quality stage reports that finding.
- **guards** measured on today's extract: the columns and their order, the share of filled
  cells (``mostly``, rounded down to the percent), the values of each small category, the range
  of each number (99 % of values within today's range widened by half its width) and the
  earliest date. They fail when next month's extract drifts from today's.

A category is given a value set only when it holds no personal value
(:func:`readiness.privacy.safe_text` leaves every value as it is); personal columns get no value
set, range or example. :func:`write_project` adds the table to a file data context under
``<results_dir>/gx`` (one per run, shared by the tables under a lock), with a validation
definition per table, one checkpoint that updates Data Docs, and ``run_checks.py``
(:mod:`readiness.quality.run_checks`) to re-run it.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# What pandas' CSV reader (GX's) reads as a missing value by default: a field equal to one of these.
# A private constant of pandas; tests/test_gx_project.py checks the counts against a full read.
from pandas._libs.parsers import STR_NA_VALUES as PANDAS_NA_TOKENS

from readiness.findings import (
    DQ_DUPLICATE_KEY,
    DQ_FUTURE_DATE,
    DQ_INCONSISTENT_FORMAT,
    DQ_INVALID_EMAIL,
    DQ_INVALID_PHONE,
    DQ_MALFORMED_ROWS,
    DQ_MIXED_DATE_FORMATS,
    DQ_NULL_KEY,
    DQ_ORPHAN_REFERENCE,
)
from readiness.privacy import EMAIL_PATTERN, PHONE_MAX_DIGITS, PHONE_MIN_DIGITS, PHONE_PATTERN, safe_text
from readiness.profiling.columns import DATE_FORMAT_BY_NAME
from readiness.profiling.infer import DATE_TYPES
from readiness.profiling.profile import ColumnProfile, TableProfile
from readiness.quality.checks import DOMINANT_FORMAT_MIN
from readiness.quality.run_checks import AS_OF_PARAMETER, CHECKPOINT, parent_parameter

MAX_VALUE_SET = 50  # a category with more distinct values gets no value set
RANGE_MOSTLY = 0.99  # share of a number's values that must stay within today's range, widened
RANGE_MARGIN = 0.5  # today's range widened by this share of its width on each side
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}  # counts, never a value
EMAIL_REGEX = rf"^\s*{EMAIL_PATTERN}\s*$"
PHONE_REGEX = rf"^(?=(?:\D*\d){{{PHONE_MIN_DIGITS},{PHONE_MAX_DIGITS}}}\D*$)\s*{PHONE_PATTERN}\s*$"
READERS = {"csv": "csv", "xlsx": "excel", "parquet": "parquet"}


@dataclass
class ClientChecks:
    """One table's checks as Great Expectations will run them on the client's file.

    ``expectations`` are in the suite JSON form (``type``, ``kwargs``, ``meta``); ``meta.check``
    says what each checks in words, ``meta.finding`` the finding a defect check mirrors.
    """

    table: str
    folder: str
    file: str
    reader: str
    options: dict[str, Any]
    expectations: list[dict[str, Any]] = field(default_factory=list)

    def defect_checks(self) -> dict[tuple[str, str | None], dict[str, Any]]:
        """The defect checks by (finding code, column)."""
        return {(e["meta"]["finding"], e["kwargs"].get("column")): e for e in self.expectations
                if e["meta"].get("finding")}


def reader_options(loaded: Any, profile: TableProfile | None = None) -> tuple[str, dict[str, Any]]:
    """The Great Expectations reader of a loaded file and its options: what the loader found on reading.

    With a profile, ISO dates (one ISO layout in the column) are read as dates; other dates stay text.
    """
    reader = READERS[loaded.format]
    if reader == "excel":
        return reader, {"sheet_name": loaded.sheet if loaded.sheet is not None else 0}
    if reader == "parquet":
        return reader, {}
    options: dict[str, Any] = {"sep": loaded.delimiter, "encoding": loaded.encoding}
    if loaded.decimal == ",":
        options["decimal"] = ","
    if any(f.code == DQ_MALFORMED_ROWS for f in getattr(loaded, "findings", [])):
        options["on_bad_lines"] = "skip"  # as the loader did
    dates = [c.name for c in profile.columns.values() if _iso_dates(c)] if profile is not None else []
    if dates:
        options.update(parse_dates=dates, date_format="ISO8601")
    return reader, options


def read_as_gx(path: str | Path, reader: str, options: Mapping[str, Any]) -> pd.DataFrame:
    """The file as Great Expectations' pandas reader gives it to the checks."""
    read = {"csv": pd.read_csv, "excel": pd.read_excel, "parquet": pd.read_parquet}[reader]
    return read(path, **options)


def filled_as_gx_reads(loaded: Any) -> list[float] | None:
    """Per column (by position), the share of cells GX's CSV reader will read as filled, from the loaded text.

    The loader keeps every field as written; pandas reads a field as missing when it is one of
    :data:`PANDAS_NA_TOKENS`, whatever the column's type. None when the two readers may not see the
    same rows (not a delimited text file, or rows with the wrong number of fields, which the
    loader skips and pandas may keep).
    """
    rows = len(loaded.frame)
    if (loaded.format != "csv" or not rows
            or any(f.code == DQ_MALFORMED_ROWS for f in getattr(loaded, "findings", []))):
        return None
    tokens = sorted(PANDAS_NA_TOKENS)
    return [(rows - int(loaded.frame.iloc[:, i].isin(tokens).sum())) / rows for i in range(loaded.frame.shape[1])]


def client_checks(loaded: Any, profile: TableProfile, *, table: str,
                  references: Mapping[str, Mapping[str, Any]] | None = None,
                  filled: list[float] | None = None) -> ClientChecks:
    """The checks of one loaded table, measured on the file as Great Expectations reads it.

    Parameters
    ----------
    loaded : readiness.tables.LoadedTable
        The table as the loader read it (its path, format and reading options are used).
    profile : TableProfile
        Its profile (types, key, formats, personal columns).
    table : str
        The table's name: the suite's and the validation definition's.
    references : mapping, optional
        ``{column: {"path", "column", "sheet"}}``: the parent's keys, read when the checks run, are
        the column's allowed values.
    filled : list of float, optional
        :func:`filled_as_gx_reads` of the loaded table. With it, only the columns whose checks need
        values as GX types them (categories, numbers, dates) are read again; the other columns'
        filled share is taken from it.

    Returns
    -------
    ClientChecks
    """
    path = Path(loaded.path).resolve()
    reader, options = reader_options(loaded, profile)
    named = list(profile.columns.values())
    names = list(read_as_gx(path, reader, {**options, "nrows": 0}).columns) if filled is not None else []
    if filled is not None and len(filled) == len(named) == len(names):
        frame = read_as_gx(path, reader, {**options, "usecols": [i for i, c in enumerate(named) if _needs_values(c)]})
        shares = dict(zip(names, filled, strict=True))
    else:  # every column read again, as GX will read it
        frame = read_as_gx(path, reader, options)
        names, shares = list(frame.columns), {}
    by_position = dict(zip(names, named, strict=False)) if len(named) == len(names) else {}
    out = [_expectation("expect_table_columns_to_match_ordered_list", {"column_list": [str(c) for c in names]},
                        "the columns and their order"),
           _expectation("expect_table_row_count_to_be_between", {"min_value": 1}, "the table has rows")]
    for column in names:
        values = frame[column] if column in frame.columns else None
        share = shares[column] if values is None else (float(values.notna().mean()) if len(values) else 0.0)
        out += _column_checks(values, share, str(column), by_position.get(column), key=profile.key)
    for column, spec in (references or {}).items():
        if column in names:
            out += _reference(column, spec)
    return ClientChecks(table=table, folder=str(path.parent), file=path.name, reader=reader, options=options,
                        expectations=out)


def _needs_values(col: ColumnProfile) -> bool:
    """Whether a column's checks are measured on its values as GX types them (not only its filled share)."""
    return ((col.semantic_type in ("category", "boolean") and not col.personal_kind)
            or col.semantic_type == "number" or col.semantic_type in DATE_TYPES)


def _expectation(kind: str, kwargs: dict[str, Any], check: str, finding: str | None = None) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs, "meta": {"check": check, "finding": finding}}


def _iso_dates(col: ColumnProfile) -> bool:
    formats = [DATE_FORMAT_BY_NAME.get(name) for name in col.date_formats]
    return col.semantic_type == "date" and len(formats) == 1 and formats[0] is not None and formats[0].iso


def _floor(share: float) -> float:
    return math.floor(share * 100) / 100


def _plain(value: Any) -> Any:
    """A value as JSON holds it (numpy scalars and timestamps as Python values)."""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value.item() if isinstance(value, np.generic) else value


def _column_checks(values: pd.Series | None, filled: float, name: str, col: ColumnProfile | None, *,
                   key: str | None) -> list[dict]:
    """A column's checks; ``values`` as GX reads them, or None where ``filled`` is all they need."""
    out = []
    is_key = col is not None and col.name == key
    if filled == 1.0 or is_key:
        out.append(_expectation("expect_column_values_to_not_be_null", {"column": name}, "every row is filled",
                                DQ_NULL_KEY if is_key else None))
    elif _floor(filled) > 0:
        out.append(_expectation("expect_column_values_to_not_be_null", {"column": name, "mostly": _floor(filled)},
                                f"at least {_floor(filled):.0%} of rows are filled"))
    if is_key:
        out.append(_expectation("expect_column_values_to_be_unique", {"column": name}, "each key is used once",
                                DQ_DUPLICATE_KEY))
    if col is None:
        return out
    if values is not None and _needs_values(col):
        present = values.dropna()
        if col.semantic_type in ("category", "boolean"):
            out += _value_set(present, name)
        elif col.semantic_type == "number":
            if pd.api.types.is_numeric_dtype(values.dtype) and len(present):
                out.append(_range(present, name))
        else:
            out += _dates(values, name, col)
    elif col.semantic_type in ("email", "phone"):
        regex, finding = (EMAIL_REGEX, DQ_INVALID_EMAIL) if col.semantic_type == "email" else \
            (PHONE_REGEX, DQ_INVALID_PHONE)
        out.append(_expectation("expect_column_values_to_match_regex", {"column": name, "regex": regex},
                                f"every value is a well-formed {col.semantic_type.replace('email', 'e-mail')}",
                                finding))
    if col.formats and col.dominant_format_share is not None:
        shape = next(iter(col.formats))
        out.append(_expectation("expect_column_values_to_match_regex",
                                {"column": name, "regex": _shape_regex(shape), "mostly": DOMINANT_FORMAT_MIN},
                                f"at least {DOMINANT_FORMAT_MIN:.0%} of values keep the commonest shape",
                                DQ_INCONSISTENT_FORMAT))
    return out


def _range(present: pd.Series, name: str) -> dict:
    """Today's range widened by half its width on each side (a count stays at or above 0 when it is today)."""
    low, high = float(present.min()), float(present.max())
    margin = (high - low) * RANGE_MARGIN
    floor = low - margin if low < 0 else max(0.0, low - margin)
    whole = pd.api.types.is_integer_dtype(present.dtype)
    bounds = (math.floor(floor), math.ceil(high + margin)) if whole else (floor, high + margin)
    return _expectation("expect_column_values_to_be_between",
                        {"column": name, "min_value": bounds[0], "max_value": bounds[1], "mostly": RANGE_MOSTLY},
                        f"{RANGE_MOSTLY:.0%} of values stay within today's range, widened by half its width")


def _value_set(present: pd.Series, name: str) -> list[dict]:
    distinct = [_plain(v) for v in pd.unique(present)]
    if not distinct or len(distinct) > MAX_VALUE_SET or any(safe_text(str(v)) != str(v) for v in distinct):
        return []  # too many to list, or a value that reads as personal data: never listed
    ordered = sorted(distinct, key=lambda v: (str(type(v)), str(v)))
    return [_expectation("expect_column_values_to_be_in_set", {"column": name, "value_set": ordered},
                         f"values stay among today's {len(ordered)}")]


def _dates(values: pd.Series, name: str, col: ColumnProfile) -> list[dict]:
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        fmt = DATE_FORMAT_BY_NAME.get(next(iter(col.date_formats), ""))
        if fmt is None:
            return []
        return [_expectation("expect_column_values_to_match_regex",
                             {"column": name, "regex": rf"^\s*{fmt.regex.strip('^$')}\s*$"},
                             f"every date is written {fmt.name}", DQ_MIXED_DATE_FORMATS)]
    out = [_expectation("expect_column_values_to_be_of_type", {"column": name, "type_": "datetime64"},
                        "every date reads in its ISO format", DQ_MIXED_DATE_FORMATS)]
    if col.personal_kind:
        return out  # a date of birth: no range that would describe a person
    present = values.dropna()
    if len(present):
        out.append(_expectation("expect_column_min_to_be_between",
                                {"column": name, "min_value": _plain(present.min())},
                                "no date before today's earliest"))
    out.append(_expectation("expect_column_max_to_be_between",
                            {"column": name, "max_value": {"$PARAMETER": AS_OF_PARAMETER}},
                            "no date after the extract's date (as_of)", DQ_FUTURE_DATE))
    return out


def _shape_regex(shape: str) -> str:
    """A Python pattern for a profile's shape (digits 9, letters a), spaces around the value allowed."""
    import re

    parts = []
    for run in re.finditer(r"9+|a+|[^9a]+", shape):
        text = run.group(0)
        parts.append(rf"\d{{{len(text)}}}" if text[0] == "9" else
                     f"[A-Za-z]{{{len(text)}}}" if text[0] == "a" else re.escape(text))
    return r"^\s*" + "".join(parts) + r"\s*$"


def _reference(column: str, spec: Mapping[str, Any]) -> list[dict]:
    """The column's values must be keys of the parent table as it is when the checks run: ``run_checks.py``
    reads the parent (the file named in ``meta.parent``, from ``--data`` when given) and passes its keys."""
    from readiness.tables import load_table

    parent = load_table(spec["path"], sheet=spec.get("sheet"))
    reader, options = reader_options(parent)
    path = Path(parent.path).resolve()
    meta_parent = {"folder": str(path.parent), "file": path.name, "reader": reader, "options": options,
                   "column": str(spec["column"])}
    check = _expectation("expect_column_values_to_be_in_set",
                         {"column": column, "value_set": {"$PARAMETER": parent_parameter(path.name, spec["column"])}},
                         f"every value is a key of {path.name}", DQ_ORPHAN_REFERENCE)
    check["meta"]["parent"] = meta_parent
    return [check]


@contextlib.contextmanager
def _locked(path: Path, *, timeout_s: float = 300.0) -> Iterator[None]:
    """One writer at a time: stage notebooks running side by side add their tables to one project."""
    started = time.monotonic()
    while True:
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.monotonic() - started > timeout_s:
                raise TimeoutError(f"{path} has been held for {timeout_s:.0f} s; delete it if no run is "
                                   "writing the project") from None
            time.sleep(0.1)
    try:
        yield
    finally:
        os.close(handle)
        path.unlink(missing_ok=True)


def write_project(results_dir: str | Path, checks: ClientChecks) -> Path:
    """Add one table's checks to the Great Expectations project under ``results_dir/gx``.

    The project gets a data source reading the table's folder, an asset with the reader's options,
    a batch definition named after the file, the suite, a validation definition, and the
    checkpoint ``readiness_checks`` over every table's validation definition; ``run_checks.py``
    re-runs it. Returns the project's folder.
    """
    root = Path(results_dir).resolve()
    project = root / "gx"
    project.mkdir(parents=True, exist_ok=True)
    with _locked(project / ".readiness.lock"):
        from readiness.sources.gx import quiet

        with quiet():
            _add_table(root, checks)
        runner = Path(__file__).with_name("run_checks.py").read_text(encoding="utf-8")
        (project / "run_checks.py").write_text(runner, encoding="utf-8")
    return project


def _add_table(root: Path, checks: ClientChecks) -> None:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    folder = Path(checks.folder)
    sources = [s for s in context.data_sources.all().values() if getattr(s, "type", "") == "pandas_filesystem"]
    source = next((s for s in sources if Path(s.base_directory) == folder), None)
    if source is None:
        name = "extracts" if not sources else f"extracts_{len(sources) + 1}"
        source = context.data_sources.add_pandas_filesystem(name=name, base_directory=folder)
    if any(a.name == checks.table for a in source.assets):
        source.delete_asset(checks.table)
    add = getattr(source, f"add_{checks.reader}_asset")
    asset = add(name=checks.table, **checks.options)
    batch = asset.add_batch_definition_path(name=checks.file, path=checks.file)
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=checks.table, expectations=checks.expectations))
    context.validation_definitions.add_or_update(gx.ValidationDefinition(name=checks.table, data=batch, suite=suite))
    definitions = sorted(context.validation_definitions.all(), key=lambda d: d.name)
    context.checkpoints.add_or_update(gx.Checkpoint(
        name=CHECKPOINT, validation_definitions=definitions, result_format=RESULT_FORMAT,
        actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")]))
