"""What every table loader shares: the :class:`LoadedTable` result and the steps after reading.

It holds the result type, the check that a table has rows, the repair of empty, repeated or
padded column names (:func:`fix_column_names`, reported as a finding), the arrow-to-pandas
conversion that keeps text as ``string[pyarrow]``, and the error for a damaged file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from readiness.errors import DataError
from readiness.findings import DQ_COLUMN_NAME_FIXED
from readiness.results import Finding

STRING_DTYPE = pd.StringDtype("pyarrow")


@dataclass
class LoadedTable:
    """A client table as loaded, with how it was read.

    Attributes
    ----------
    frame : pandas.DataFrame
        The data. For text files every column is ``string[pyarrow]`` holding the exact text.
    path : Path
        The file read.
    format : {"csv", "xlsx", "parquet"}
        ``"csv"`` covers every delimited text file (.csv, .tsv, .txt).
    encoding : str or None
        Codec used for text files (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1252"``...).
    delimiter : str or None
        Field delimiter of text files.
    decimal : {".", ","}
        Decimal separator seen in numeric-looking text; the profile converts with it.
    sheet : str or None
        The xlsx sheet read.
    size_bytes : int
        Size of the file on disk.
    findings : list of Finding
        What loading noticed: encoding fallback, renamed columns, skipped malformed rows.
    """

    frame: pd.DataFrame
    path: Path
    format: str
    encoding: str | None
    delimiter: str | None
    decimal: str
    sheet: str | None
    size_bytes: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def text_source(self) -> bool:
        """True when the file was delimited text, so every column holds text as written."""
        return self.format == "csv"


def _require_rows(n_rows: int, label: str, where: str = "") -> None:
    if n_rows == 0:
        raise DataError(f"{label}{where}: has a header but no rows; ask the client for an export with data")


# ---------------------------------------------------------------------------- column names


def fix_column_names(names: list[str]) -> tuple[list[str], dict[str, str]]:
    """Unique, non-empty column names, and what was renamed (position label -> new name).

    Surrounding spaces are trimmed; an empty name becomes ``unnamed_<position>`` (1-based);
    repeats become ``name.1``, ``name.2``... skipping names already in the file.
    """
    cleaned = [str(n).strip() for n in names]
    taken = set(cleaned)
    used: set[str] = set()
    fixed: list[str] = []
    for position, name in enumerate(cleaned, start=1):
        base = name or f"unnamed_{position}"
        candidate, k = base, 0
        while candidate in used or (candidate != name and candidate in taken):
            k += 1
            candidate = f"{base}.{k}"
        used.add(candidate)
        fixed.append(candidate)
    pairs = enumerate(zip(names, fixed, strict=True), start=1)
    renamed = {f"column {i} ({original!r})": new for i, (original, new) in pairs if str(original) != new}
    return fixed, renamed


def _apply_column_names(frame: pd.DataFrame, raw: list[str], label: str) -> list[Finding]:
    fixed, renamed = fix_column_names(raw)
    frame.columns = fixed
    if not renamed:
        return []
    shown = "; ".join(f"{where} -> {new!r}" for where, new in list(renamed.items())[:10])
    return [Finding(
        "warning", DQ_COLUMN_NAME_FIXED,
        f"{label}: {len(renamed)} column name(s) were empty, repeated or padded with spaces and were "
        f"renamed: {shown}; fix the header in the source export",
        evidence={"renamed": renamed},
    )]


def _arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    mapping = {pa.string(): STRING_DTYPE, pa.large_string(): STRING_DTYPE}
    return table.to_pandas(types_mapper=mapping.get)


def _corrupt(label: str, kind: str, exc: Exception) -> DataError:
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    return DataError(f"{label}: could not be read as {kind} ({reason}); re-export or re-save the file")
