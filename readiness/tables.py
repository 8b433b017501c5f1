"""Load a client data extract (csv/tsv/txt, xlsx, parquet) into a pandas DataFrame.

The loader keeps what the data really is visible to the quality profile: text files are read
with every column as arrow-backed text, exactly as written (no stripping, no NA conversion, no
number or date parsing), so blanks, ``'N/A'`` tokens and numbers stored as text can be counted
later. Encoding, delimiter and decimal separator are sniffed and reported on the result.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from readiness.errors import DataError
from readiness.results import Finding

TEXT_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".txt")
SUPPORTED_EXTENSIONS: tuple[str, ...] = (*TEXT_EXTENSIONS, ".xlsx", ".parquet")
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
STRING_DTYPE = pd.StringDtype("pyarrow")

SAMPLE_BYTES = 64 * 1024
SAMPLE_RECORDS = 200
VALIDATE_CHUNK_BYTES = 16 * 1024 * 1024
CSV_BLOCK_BYTES = 1024 * 1024  # pyarrow default; larger blocks raised peak memory, not speed

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in order when there is no BOM; latin-1 maps every byte, so it never fails.
_FALLBACK_ENCODINGS: tuple[str, ...] = ("cp1252", "latin-1")

_DECIMAL_COMMA = re.compile(r"^\s*[-+]?(\d{1,3}(\.\d{3})+|\d+),\d+\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?(\d{1,3}(,\d{3})+|\d+)\.\d+\s*$")


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
        Refuse files larger than this.

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
            f"{_human_bytes(max_bytes)} ({max_bytes:,} bytes); raise the limit or use a smaller extract"
        )
    return size


def _human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def _require_rows(n_rows: int, label: str, where: str = "") -> None:
    if n_rows == 0:
        raise DataError(f"{label}{where}: has a header but no rows; ask the client for an export with data")


# ---------------------------------------------------------------------------- text sniffing


def encoding_from_bom(head: bytes) -> str | None:
    """The codec announced by a byte-order mark at the start of ``head``, or None."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def sniff_text_format(sample: bytes, *, default_delimiter: str = ",") -> tuple[str, str]:
    """Guess the encoding and the delimiter of delimited text from its first bytes.

    The encoding is judged on ``sample`` only; :func:`detect_encoding` checks a whole file.

    Parameters
    ----------
    sample : bytes
        The start of the file (a partial last line or character is fine).
    default_delimiter : str
        Used when no candidate splits the lines consistently into more than one field.

    Returns
    -------
    (encoding, delimiter) : tuple of str

    Examples
    --------
    >>> sniff_text_format("id;prix\\n1;12,50\\n".encode())
    ('utf-8', ';')
    """
    encoding = encoding_from_bom(sample) or _first_strict_codec(sample)
    text = _decode_sample(sample, encoding)
    return encoding, sniff_delimiter(text, default=default_delimiter)


def _first_strict_codec(data: bytes) -> str:
    for encoding in ("utf-8", *_FALLBACK_ENCODINGS):
        try:
            codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise AssertionError("latin-1 decodes any byte")


def _decode_sample(sample: bytes, encoding: str) -> str:
    # final=False tolerates a multi-byte character cut at the end of the sample.
    text = codecs.getincrementaldecoder(encoding)("replace").decode(sample, final=False)
    return text.lstrip("\ufeff")


def detect_encoding(path: Path) -> tuple[str, int | None]:
    """The codec that decodes the whole file, and the offset of the first non-UTF-8 byte.

    A BOM decides directly. Otherwise the file is checked as UTF-8 in chunks; on the first
    invalid byte, cp1252 is checked the same way, then latin-1 (which never fails).
    """
    with path.open("rb") as handle:
        bom = encoding_from_bom(handle.read(4))
    if bom:
        return bom, None
    bad_offset = _first_invalid_offset(path, "utf-8")
    if bad_offset is None:
        return "utf-8", None
    for encoding in _FALLBACK_ENCODINGS:
        if _first_invalid_offset(path, encoding) is None:
            return encoding, bad_offset
    raise AssertionError("latin-1 decodes any byte")


def _first_invalid_offset(path: Path, encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(VALIDATE_CHUNK_BYTES):
            pending = decoder.getstate()[0]  # bytes of a character cut by the previous chunk
            try:
                # Pure ASCII is valid UTF-8 when nothing is pending: skip the decode.
                if not (encoding == "utf-8" and chunk.isascii() and not pending):
                    decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                return offset - len(pending) + exc.start
            offset += len(chunk)
        pending = decoder.getstate()[0]
    return offset - len(pending) if pending else None


def _records(text: str, delimiter: str, *, complete: bool) -> list[list[str]]:
    """Non-empty records of the sample split by ``delimiter``, respecting quotes."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    try:
        rows = [row for _, row in zip(range(SAMPLE_RECORDS + 1), reader, strict=False) if row]
    except csv.Error:
        return []
    # The last record of a truncated sample may be cut short.
    return rows if complete or len(rows) < 2 else rows[:-1]


def sniff_delimiter(text: str, *, default: str = ",", complete: bool = False) -> str:
    """The candidate delimiter (``, ; tab |``) giving a consistent field count above one.

    Among consistent candidates the one giving most fields wins; if none is consistent, the one
    whose most common field count (above one) covers most lines; else ``default``.
    """
    best_consistent: tuple[int, str] | None = None
    best_modal: tuple[float, int, str] | None = None
    for delimiter in DELIMITERS:
        counts = Counter(len(row) for row in _records(text, delimiter, complete=complete))
        if not counts:
            continue
        fields, hits = counts.most_common(1)[0]
        if fields < 2:
            continue
        if len(counts) == 1 and (best_consistent is None or fields > best_consistent[0]):
            best_consistent = (fields, delimiter)
        share = hits / sum(counts.values())
        if best_modal is None or (share, fields) > best_modal[:2]:
            best_modal = (share, fields, delimiter)
    if best_consistent:
        return best_consistent[1]
    return best_modal[2] if best_modal else default


def detect_decimal(text: str, delimiter: str, *, complete: bool = False) -> str:
    """``","`` when numeric-looking fields use a decimal comma (never with a comma delimiter)."""
    if delimiter == ",":
        return "."
    rows = _records(text, delimiter, complete=complete)[1:]  # skip the header
    values = [value for row in rows for value in row]
    commas = sum(1 for v in values if _DECIMAL_COMMA.match(v))
    points = sum(1 for v in values if _DECIMAL_POINT.match(v))
    return "," if commas > points else "."


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
        "warning", "DQ_COLUMN_NAME_FIXED",
        f"{label}: {len(renamed)} column name(s) were empty, repeated or padded with spaces and were "
        f"renamed: {shown}; fix the header in the source export",
        evidence={"renamed": renamed},
    )]


# ---------------------------------------------------------------------------- loaders


def _arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    mapping = {pa.string(): STRING_DTYPE, pa.large_string(): STRING_DTYPE}
    return table.to_pandas(types_mapper=mapping.get)


@dataclass(frozen=True)
class _TextLayout:
    encoding: str
    bad_offset: int | None  # first non-UTF-8 byte when the encoding is a fallback
    delimiter: str
    decimal: str
    n_fields: int


def _sniff_file(path: Path, label: str, size: int) -> _TextLayout:
    """Encoding (whole file), then delimiter, decimal separator and header width (first bytes)."""
    encoding, bad_offset = detect_encoding(path)
    with path.open("rb") as handle:
        text = _decode_sample(handle.read(SAMPLE_BYTES), encoding)
    complete = size <= SAMPLE_BYTES
    if path.suffix.lower() == ".tsv" and _tab_is_consistent(text, complete=complete):
        delimiter = "\t"
    else:
        default = "\t" if path.suffix.lower() == ".tsv" else ","
        delimiter = sniff_delimiter(text, default=default, complete=complete)
    header = next(iter(_records(text, delimiter, complete=True)), None)
    if header is None:
        raise DataError(f"{label}: no header row found (the file holds only blank lines); "
                        "ask the client for a new export")
    decimal = detect_decimal(text, delimiter, complete=complete)
    return _TextLayout(encoding, bad_offset, delimiter, decimal, len(header))


def _tab_is_consistent(text: str, *, complete: bool) -> bool:
    counts = {len(row) for row in _records(text, "\t", complete=complete)}
    return len(counts) == 1 and counts.pop() > 1


# leading bytes of formats that are sometimes exported under a .csv name
_BINARY_SIGNATURES: dict[bytes, str] = {
    b"\x1f\x8b": "gzip-compressed",
    b"PK\x03\x04": "a zip archive (or an Excel .xlsx file)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls / Office file",
    b"PAR1": "a Parquet file",
}


def _refuse_binary(path: Path, label: str) -> None:
    """A text table must be text: name the real format of a compressed or binary file."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    for magic, kind in _BINARY_SIGNATURES.items():
        if head.startswith(magic):
            raise DataError(f"{label}: the file is {kind}, not delimited text; "
                            "decompress or re-export it as CSV, or give it its real extension")
    if encoding_from_bom(head) is None and b"\x00" in head:
        raise DataError(f"{label}: the file holds binary data (NUL bytes), not delimited text; "
                        "ask the client for a CSV export")


def resolve_input_path(path: str | Path) -> Path:
    """Resolve a notebook's data path: as given (absolute or from the working folder), else from
    the project folder, so the notebooks' default sample paths work from any working folder."""
    candidate = Path(path).expanduser()
    if candidate.is_absolute() or candidate.exists():
        return candidate
    from_project = Path(__file__).resolve().parents[1] / candidate
    return from_project if from_project.exists() else candidate


def _load_text(path: Path, label: str, size: int) -> LoadedTable:
    _refuse_binary(path, label)
    layout = _sniff_file(path, label, size)
    table, skipped = _read_delimited(path, label, layout)
    if table.num_rows <= 1 and skipped:
        raise DataError(f"{label}: all {skipped:,} data rows have a different number of fields than the "
                        f"header ({layout.n_fields}); check the delimiter ({layout.delimiter!r}) and quoting")
    _require_rows(table.num_rows - 1, label)
    raw_names = table.slice(0, 1).to_pylist()[0]  # the header row, read as data to keep it verbatim
    frame = _arrow_to_pandas(table.slice(1))
    findings = _encoding_findings(label, layout.encoding, layout.bad_offset)
    findings += _apply_column_names(frame, [raw_names[c] for c in table.column_names], label)
    findings += _skipped_findings(label, skipped, layout.n_fields)
    return LoadedTable(frame, path, "csv", layout.encoding, layout.delimiter, layout.decimal, None,
                       size, findings)


def _read_delimited(path: Path, label: str, layout: _TextLayout) -> tuple[pa.Table, int]:
    """Every field as text, exactly as written; rows with the wrong field count are skipped and counted."""
    names = [f"c{i}" for i in range(layout.n_fields)]
    delimiter = layout.delimiter
    skipped: list[int] = []

    def skip(_row: pacsv.InvalidRow) -> str:
        skipped.append(1)
        return "skip"

    # pyarrow skips a UTF-8 BOM itself; other codecs are transcoded through Python's codecs.
    arrow_encoding = "utf8" if layout.encoding in ("utf-8", "utf-8-sig") else layout.encoding
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=arrow_encoding, column_names=names,
                                           use_threads=True, block_size=CSV_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', newlines_in_values=True,
                                             invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise DataError(f"{label}: could not be read as {delimiter!r}-delimited text ({reason}); "
                        "check the file is a plain-text table export") from exc
    return table, len(skipped)


def _encoding_findings(label: str, encoding: str, bad_offset: int | None) -> list[Finding]:
    if bad_offset is None:
        return []
    return [Finding(
        "warning", "DQ_ENCODING_FALLBACK",
        f"{label}: not valid UTF-8 (first invalid byte at offset {bad_offset:,}); read as {encoding}. "
        "Check accented characters and ask the client for a UTF-8 export",
        evidence={"encoding": encoding, "first_invalid_byte": bad_offset},
    )]


def _skipped_findings(label: str, skipped: int, n_fields: int) -> list[Finding]:
    if not skipped:
        return []
    return [Finding(
        "warning", "DQ_MALFORMED_ROWS",
        f"{label}: {skipped:,} row(s) did not have the header's {n_fields} fields and were left out; "
        "check for unquoted delimiters or cut lines in the export",
        evidence={"rows_skipped": skipped, "expected_fields": n_fields},
    )]


def _load_xlsx(path: Path, label: str, size: int, *, sheet: str | int | None) -> LoadedTable:
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheet_name = _resolve_sheet(book.sheet_names, sheet, label)
            # dtype=object and no NA tokens: cells keep their Excel type, text stays text.
            raw = book.parse(sheet_name, header=None, dtype=object, keep_default_na=False, na_values=[])
    except DataError:
        raise
    except Exception as exc:  # zipfile, openpyxl and lxml raise many kinds on a damaged workbook
        raise _corrupt(label, "an Excel workbook (.xlsx)", exc) from exc
    where = f", sheet '{sheet_name}'"
    if raw.empty:
        raise DataError(f"{label}{where}: the sheet is empty; choose the sheet holding the table")
    _require_rows(len(raw) - 1, label, where)
    header = ["" if _is_empty_cell(v) else str(v) for v in raw.iloc[0]]
    frame = pd.DataFrame({i: _excel_column(raw[c].iloc[1:]) for i, c in enumerate(raw.columns)})
    frame = frame.reset_index(drop=True)
    findings = _apply_column_names(frame, header, f"{label}{where}")
    return LoadedTable(frame, path, "xlsx", None, None, ".", sheet_name, size, findings)


def _corrupt(label: str, kind: str, exc: Exception) -> DataError:
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    return DataError(f"{label}: could not be read as {kind} ({reason}); re-export or re-save the file")


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


def _load_parquet(path: Path, label: str, size: int) -> LoadedTable:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _corrupt(label, "a Parquet file", exc) from exc
    _require_rows(table.num_rows, label)
    frame = _arrow_to_pandas(_plain_arrow_types(table))
    if not isinstance(frame.index, pd.RangeIndex):  # a stored pandas index is data: keep it as columns
        frame = frame.reset_index()
    findings = _apply_column_names(frame, list(frame.columns), label)
    for column in frame.columns:
        if frame[column].dtype == object:  # nested or binary values: shown as their text
            frame[column] = frame[column].astype(STRING_DTYPE)
    return LoadedTable(frame, path, "parquet", None, None, ".", None, size, findings)


def _plain_arrow_types(table: pa.Table) -> pa.Table:
    """Dictionary-encoded text becomes plain text and decimals become floats, for the profile."""
    fields = []
    for f in table.schema:
        if pa.types.is_dictionary(f.type) and pa.types.is_string(f.type.value_type):
            fields.append(f.with_type(pa.string()))
        elif pa.types.is_dictionary(f.type) and pa.types.is_large_string(f.type.value_type):
            fields.append(f.with_type(pa.large_string()))
        elif pa.types.is_decimal(f.type):
            fields.append(f.with_type(pa.float64()))
        else:
            fields.append(f)
    schema = pa.schema(fields)
    return table if schema.equals(table.schema) else table.cast(schema)
