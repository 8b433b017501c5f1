"""Load a client data extract (csv/tsv/txt, xlsx, parquet) into a pandas DataFrame.

The loader keeps what the data really is visible to the quality profile: text files are read
with every column as arrow-backed text, exactly as written (no stripping, no NA conversion, no
number or date parsing), so blanks, ``'N/A'`` tokens and numbers stored as text can be counted
later. Encoding, delimiter and decimal separator are sniffed and reported on the result.
"""

from __future__ import annotations

from pathlib import Path

from readiness.errors import DataError
from readiness.tables.common import STRING_DTYPE, LoadedTable, fix_column_names
from readiness.tables.excel import _load_xlsx
from readiness.tables.parquet import _load_parquet
from readiness.tables.sniffing import (
    DELIMITERS,
    SAMPLE_RECORDS,
    VALIDATE_CHUNK_BYTES,
    detect_decimal,
    detect_encoding,
    encoding_from_bom,
    sniff_delimiter,
    sniff_text_format,
)
from readiness.tables.text import CSV_BLOCK_BYTES, SAMPLE_BYTES, _load_text

__all__ = [
    "CSV_BLOCK_BYTES",
    "DELIMITERS",
    "SAMPLE_BYTES",
    "SAMPLE_RECORDS",
    "STRING_DTYPE",
    "SUPPORTED_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "VALIDATE_CHUNK_BYTES",
    "LoadedTable",
    "detect_decimal",
    "detect_encoding",
    "encoding_from_bom",
    "fix_column_names",
    "load_table",
    "resolve_input_path",
    "sniff_delimiter",
    "sniff_text_format",
]

TEXT_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".txt")
SUPPORTED_EXTENSIONS: tuple[str, ...] = (*TEXT_EXTENSIONS, ".xlsx", ".parquet")


def load_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    name: str | None = None,
    max_bytes: int | None = None,
) -> LoadedTable:
    """Load a csv/tsv/txt, xlsx or parquet file, checking it is usable.

    Parameters
    ----------
    path : str or Path
        The file to read.
    sheet : str or int, optional
        xlsx only: sheet name or 0-based index; the first sheet by default.
    name : str, optional
        The table's name in the engagement, used in messages.
    max_bytes : int, optional
        Refuse files larger than this, before reading any of it (the memory budget: a table in
        memory takes several times its file size, so a file over budget is never loaded).

    Returns
    -------
    LoadedTable

    Raises
    ------
    DataError
        Missing, empty, header-only, too large, unsupported or unreadable file.

    Examples
    --------
    >>> table = load_table("customers.csv", name="customers")  # doctest: +SKIP
    >>> table.delimiter, table.frame.dtypes.iloc[0]  # doctest: +SKIP
    (',', string[pyarrow])
    """
    path = Path(path)
    label = _label(path, name)
    size = _check_file(path, label, max_bytes=max_bytes)
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return _load_text(path, label, size)
    if suffix == ".xlsx":
        return _load_xlsx(path, label, size, sheet=sheet)
    return _load_parquet(path, label, size)


# ---------------------------------------------------------------------------- checks


def _label(path: Path, name: str | None) -> str:
    return f"table '{name}' ({path.name})" if name and name != path.stem else path.name


def _check_file(path: Path, label: str, *, max_bytes: int | None) -> int:
    """Size of the file, after checking it exists, is supported, non-empty and small enough."""
    if not path.exists():
        raise DataError(f"{label}: file not found at {path.absolute()}; "
                        "check the path (and `path` in engagement.yaml)")
    if path.is_dir():
        raise DataError(f"{label}: {path} is a folder, not a file; point the path at a data file inside it")
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        found = path.suffix or "no extension"
        raise DataError(
            f"{label}: unsupported file type ({found}); supported are {', '.join(SUPPORTED_EXTENSIONS)}; "
            "save or export the table in one of these formats"
        )
    size = path.stat().st_size
    if size == 0:
        raise DataError(f"{label}: the file is empty (0 bytes); ask the client for a new export")
    if max_bytes is not None and size > max_bytes:
        raise DataError(
            f"{label}: the file is {_human_bytes(size)} ({size:,} bytes), over the limit of "
            f"{_human_bytes(max_bytes)} ({max_bytes:,} bytes), so it is not loaded; raise the limit "
            "(`max_table_mb` in engagement.yaml) if the machine has the memory, or give a sample of the "
            "table (e.g. its last 12 months)"
        )
    return size


def _human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def resolve_input_path(path: str | Path) -> Path:
    """Resolve a notebook's data path (see :func:`readiness.resources.resolve_input_path`)."""
    from readiness.resources import resolve_input_path as resolve

    return resolve(path)
