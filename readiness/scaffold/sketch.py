"""What one pass over each client extract tells a draft engagement.

:func:`sketch_extracts` reads every table in a folder (csv, tsv, txt, xlsx, parquet) and profiles
it once (:func:`readiness.profiling.profile_and_type`); :func:`sketch_frame` keeps, as plain data,
what the draft needs of it: the key, date and personal columns, the values of the key and of the
columns that may refer to another table's key, the use cases it suggests, the newest date that
is not in the future and a column to show a rule on. The rows themselves are not kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from readiness.engagement.model import DEFAULT_MAX_TABLE_MB
from readiness.errors import ConfigError, ReadinessError
from readiness.ethics.protected import detect_protected
from readiness.params import slug
from readiness.profiling.detect import detect_dates, detect_key, detect_personal
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES, is_id_like
from readiness.profiling.profile import TableProfile, profile_and_type
from readiness.scaffold.references import REFERENCE_MIN_DISTINCT, ColumnValues, column_values
from readiness.scaffold.suggest import (
    Suggestion,
    classification_suggestions,
    forecast_suggestion,
    is_prose,
    newest_date,
    text_suggestion,
)
from readiness.tables import SUPPORTED_EXTENSIONS, load_table

NOT_REFERENCE_TYPES = frozenset({"free_text", "email", "phone", "boolean", "constant", "empty", *DATE_TYPES})
RULE_IN_SET_MAX = 8  # a category with at most this many values is shown as an in_set rule


@dataclass
class TableSketch:
    """One extract as the draft sees it; every field is plain data.

    Attributes
    ----------
    name : str
        The table's name in the engagement (a slug of the file name).
    rows : int
    profile : TableProfile
    key : str or None
        The detected key (:func:`readiness.profiling.detect.detect_key`), with ``key_reason``.
    date_columns, pii : list of str
        Columns read as dates, and columns holding personal data.
    key_values : ColumnValues or None
        The key's values, for other tables' references.
    candidates : dict
        Column -> values of the columns that may refer to another table's key.
    suggestions : list of Suggestion
        Classification and text-classification use cases the table suggests.
    forecast : Suggestion or None
        A forecast of the table's daily rows, when it has enough of them.
    newest : (date, column) or None
        The newest date not after the day of drafting.
    rule_column : str or None
        A column to show an example rule on, with ``rule_kind`` (``between`` or ``in_set``).
    path : Path or None
        The file read.
    """

    name: str
    rows: int
    profile: TableProfile
    key: str | None
    key_reason: str = ""
    date_columns: list[str] = field(default_factory=list)
    pii: list[str] = field(default_factory=list)
    key_values: ColumnValues | None = None
    candidates: dict[str, ColumnValues] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    forecast: Suggestion | None = None
    newest: tuple[date, str] | None = None
    rule_column: str | None = None
    rule_kind: str = ""
    path: Path | None = None


def sketch_frame(frame: pd.DataFrame, *, name: str, decimal: str = ".", today: date | None = None,
                 path: Path | None = None) -> TableSketch:
    """Profile ``frame`` once and keep what a draft engagement needs of it.

    Parameters
    ----------
    frame : DataFrame
        The table as loaded (:func:`readiness.tables.load_table`).
    name : str
        The table's name in the engagement.
    decimal : {".", ","}
        The file's decimal mark.
    today : date, optional
        Later dates are in the future; today by default.
    path : Path, optional
        The file read, kept for the draft.

    Returns
    -------
    TableSketch
    """
    today = today or date.today()
    profile, typed = profile_and_type(frame, decimal=decimal)
    found = detect_key(profile, table=name)
    profile.key = None if found is None else found.column
    sketch = TableSketch(name=name, rows=profile.rows, profile=profile, key=profile.key,
                         key_reason="" if found is None else found.reason,
                         date_columns=detect_dates(profile), pii=list(detect_personal(profile)), path=path)
    if found is not None:
        sketch.key_values = column_values(typed[found.column], column=found.column,
                                          number=profile.columns[found.column].semantic_type in NUMBER_TYPES)
    for column in _reference_candidates(profile, typed):
        sketch.candidates[column] = column_values(
            typed[column], column=column, number=profile.columns[column].semantic_type in NUMBER_TYPES)
    protected = detect_protected(typed, profile)
    sketch.suggestions = classification_suggestions(name, profile, frame, typed, protected=protected)
    text = text_suggestion(name, profile, typed)
    if text is not None:
        sketch.suggestions.append(text)
    sketch.forecast = forecast_suggestion(name, profile, typed, exclude={s.target for s in sketch.suggestions},
                                          protected=protected)
    sketch.newest = newest_date(profile, typed, today=today)
    sketch.rule_column, sketch.rule_kind = _rule_example(profile)
    return sketch


def _reference_candidates(profile: TableProfile, typed: pd.DataFrame) -> list[str]:
    """Columns that may hold another table's keys: ids, codes and whole numbers with 20 values or more.

    Text the profile calls free text is a candidate when its values hold no spaces: codes in a
    column not named like an id (``patient``: ``C0042``) are profiled as free text.
    """
    out = []
    for name, col in profile.columns.items():
        if name == profile.key or col.personal_kind:
            continue
        if col.semantic_type in NOT_REFERENCE_TYPES and (col.semantic_type != "free_text" or is_prose(typed[name])):
            continue
        if col.distinct < REFERENCE_MIN_DISTINCT or (col.semantic_type in NUMBER_TYPES and not col.whole_numbers):
            continue
        out.append(name)
    return out


def _rule_example(profile: TableProfile) -> tuple[str | None, str]:
    """A column to show a rule on: the first measure (between), else the first small category (in_set)."""
    usable = {name: col for name, col in profile.columns.items()
              if name != profile.key and not col.personal_kind and not is_id_like(name)}
    for name, col in usable.items():
        if col.semantic_type in NUMBER_TYPES:
            return name, "between"
    for name, col in usable.items():
        if col.semantic_type == "category" and col.distinct <= RULE_IN_SET_MAX:
            return name, "in_set"
    return None, ""


def table_name(path: Path, taken: set[str]) -> str:
    """A slug of the file's name, unique among ``taken`` (``customers.xlsx`` beside ``customers.csv``)."""
    name = slug(path.stem)
    if name in taken:
        name = slug(f"{path.stem}_{path.suffix.lstrip('.')}")
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def extract_files(folder: Path) -> list[Path]:
    """The table files directly in ``folder``, by name (hidden files and Office lock files left out)."""
    if not folder.is_dir():
        raise ConfigError(f"--from: {folder} is not a folder; give the folder that holds the client's extracts")
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS
             and not p.name.startswith((".", "~$"))]
    return sorted(files, key=lambda p: p.name)


def sketch_extracts(folder: str | Path, *, today: date | None = None,
                    echo: Callable[[str], None] = print) -> list[TableSketch]:
    """Read and sketch every extract in ``folder``; an unreadable file is skipped with a note to ``echo``.

    A file larger than an engagement accepts by default (``max_table_mb``, 2048 MB) is skipped too.

    Raises
    ------
    ConfigError
        ``folder`` is not a folder, or holds no readable table.
    """
    folder = Path(folder)
    files = extract_files(folder)
    if not files:
        raise ConfigError(f"--from: no {', '.join(SUPPORTED_EXTENSIONS)} file in {folder}; put the client's "
                          "extracts there or give the folder that holds them")
    sketches: list[TableSketch] = []
    taken: set[str] = set()
    for path in files:
        name = table_name(path, taken)
        try:
            loaded = load_table(path, name=name, max_bytes=DEFAULT_MAX_TABLE_MB * 1_000_000)
        except (ReadinessError, OSError) as exc:
            why = exc.one_line() if isinstance(exc, ReadinessError) else str(exc)
            echo(f"note: skipped {path.name}: {why}")
            continue
        taken.add(name)
        sketches.append(sketch_frame(loaded.frame, name=name, decimal=loaded.decimal, today=today, path=path))
        del loaded
    if not sketches:
        raise ConfigError(f"--from: none of the {len(files)} files in {folder} could be read as a table; "
                          "see the notes above")
    return sketches


__all__ = ["TableSketch", "extract_files", "sketch_extracts", "sketch_frame", "table_name"]
