"""Loading delimited text files (.csv, .tsv, .txt) as exact text.

Binary files under a text name are refused, the layout is sniffed (encoding over the whole
file, delimiter, decimal separator and header width from the first bytes), then pyarrow reads
every field as text exactly as written; rows with the wrong number of fields are skipped and
counted, and an encoding fallback or skipped rows become findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from readiness.errors import DataError
from readiness.findings import DQ_ENCODING_FALLBACK, DQ_MALFORMED_ROWS
from readiness.results import Finding
from readiness.tables.common import LoadedTable, _apply_column_names, _arrow_to_pandas, _require_rows
from readiness.tables.sniffing import (
    _records,
    decode_sample,
    detect_decimal,
    detect_encoding,
    encoding_from_bom,
    sniff_delimiter,
)

SAMPLE_BYTES = 64 * 1024
CSV_BLOCK_BYTES = 1024 * 1024  # pyarrow default; larger blocks raised peak memory, not speed


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
        text = decode_sample(handle.read(SAMPLE_BYTES), encoding)
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
        "warning", DQ_ENCODING_FALLBACK,
        f"{label}: not valid UTF-8 (first invalid byte at offset {bad_offset:,}); read as {encoding}. "
        "Check accented characters and ask the client for a UTF-8 export",
        evidence={"encoding": encoding, "first_invalid_byte": bad_offset},
    )]


def _skipped_findings(label: str, skipped: int, n_fields: int) -> list[Finding]:
    if not skipped:
        return []
    return [Finding(
        "warning", DQ_MALFORMED_ROWS,
        f"{label}: {skipped:,} row(s) did not have the header's {n_fields} fields and were left out; "
        "check for unquoted delimiters or cut lines in the export",
        evidence={"rows_skipped": skipped, "expected_fields": n_fields},
    )]
