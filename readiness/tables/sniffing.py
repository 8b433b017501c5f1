"""Guessing how a delimited text file is written: its encoding, delimiter and decimal separator.

The encoding comes from a byte-order mark or from checking the whole file as UTF-8 in chunks
(then cp1252, then latin-1); the delimiter is the candidate that splits the first records
most consistently; the decimal separator is whichever of comma and point more numeric-looking
fields use.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import Path

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

SAMPLE_RECORDS = 200
VALIDATE_CHUNK_BYTES = 16 * 1024 * 1024

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
    text = decode_sample(sample, encoding)
    return encoding, sniff_delimiter(text, default=default_delimiter)


def _first_strict_codec(data: bytes) -> str:
    for encoding in ("utf-8", *_FALLBACK_ENCODINGS):
        try:
            codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise AssertionError("latin-1 decodes any byte")


def decode_sample(sample: bytes, encoding: str) -> str:
    """The first bytes of a file as text; a multi-byte character cut at the end is replaced."""
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
