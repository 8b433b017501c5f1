"""Loading one sheet of an Excel workbook (.xlsx).

Cells keep their Excel type: a column of numbers, datetimes or booleans keeps that dtype and
any other column becomes exact text. The sheet is chosen by name or 0-based index, with
messages that list the workbook's sheets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from readiness.errors import DataError
from readiness.tables.common import STRING_DTYPE, LoadedTable, _apply_column_names, _corrupt, _require_rows


def _load_xlsx(path: Path, label: str, size: int, *, sheet: str | int | None) -> LoadedTable:
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheet_names = list(book.sheet_names)
            sheet_name = _resolve_sheet(sheet_names, sheet, label)
            # dtype=object and no NA tokens: cells keep their Excel type, text stays text.
            raw = book.parse(sheet_name, header=None, dtype=object, keep_default_na=False, na_values=[])
    except DataError:
        raise
    except Exception as exc:  # zipfile, openpyxl and lxml raise many kinds on a damaged workbook
        raise _corrupt(label, "an Excel workbook (.xlsx)", exc) from exc
    where = f", sheet '{sheet_name}'"
    others = [n for n in sheet_names if n != sheet_name]
    # an empty first sheet usually means the table is on another one: name them in the error
    hint = f"{where} (the workbook also has {', '.join(repr(n) for n in others)}; set `sheet`)" if others else where
    if raw.empty:
        raise DataError(f"{label}{hint}: the sheet is empty; choose the sheet holding the table")
    _require_rows(len(raw) - 1, label, hint)
    header = ["" if _is_empty_cell(v) else str(v) for v in raw.iloc[0]]
    frame = pd.DataFrame({i: _excel_column(raw[c].iloc[1:]) for i, c in enumerate(raw.columns)})
    frame = frame.reset_index(drop=True)
    findings = _apply_column_names(frame, header, f"{label}{where}")
    return LoadedTable(frame, path, "xlsx", None, None, ".", sheet_name, size, findings)


def _resolve_sheet(names: list[str], sheet: str | int | None, label: str) -> str:
    listed = ", ".join(repr(n) for n in names)
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise DataError(f"{label}: there is no sheet at index {sheet} (0-based); sheets are: {listed}; "
                        "fix `sheet`")
    if sheet in names:
        return str(sheet)
    raise DataError(f"{label}: no sheet named {sheet!r}; sheets are: {listed}; fix `sheet`")


def _is_empty_cell(value: object) -> bool:
    return value is None or (isinstance(value, str) and value == "") or (
        isinstance(value, float) and value != value)


def _excel_column(cells: pd.Series) -> pd.Series:
    """Numbers, datetimes or booleans keep their dtype; any other column becomes exact text."""
    empty = cells.map(_is_empty_cell).astype(bool)
    kind = pd.api.types.infer_dtype(cells[~empty], skipna=True)
    values = cells.where(~empty, None)
    if kind in ("integer", "floating", "mixed-integer-float"):
        return pd.to_numeric(values)
    if kind in ("datetime", "datetime64"):
        return pd.to_datetime(values)
    if kind == "boolean":
        return values.astype("boolean") if empty.any() else values.astype(bool)
    return cells.map(lambda v: "" if _is_empty_cell(v) else str(v)).astype(STRING_DTYPE)
