"""A catalogue of broken and hostile client files: each ends in a readable result or one clear error.

Every case builds a file in ``tmp_path`` and states its expected outcome: either the data-quality
stage completes with a finding that names the problem, or loading stops with a ``DataError``
whose one-line message names the file. Never a traceback from a library, never a hang.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from readiness.errors import DataError
from readiness.quality import assess_quality
from readiness.tables import load_table


@dataclass(frozen=True)
class Case:
    """How to write the file, and what must come out."""

    write: Callable[[Path], Path]
    error: str | None = None  # words the DataError must contain (besides the file name)
    codes: tuple[str, ...] = ()  # finding codes the stage must report
    column: str | None = None  # the column at least one of those findings names
    rows: int | None = None  # rows the loaded frame must have


def text(name: str, content: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode(encoding))
        return path

    return write


def raw(name: str, content: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return write


def frame_csv(name: str, frame: pd.DataFrame) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        frame.to_csv(path, index=False)
        return path

    return write


def xlsx(name: str, sheets: dict[str, list[list[object]]], merge: str | None = None) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
            if merge:
                sheet.merge_cells(merge)
        path = folder / name
        book.save(path)
        return path

    return write


def parquet(name: str, table: pa.Table) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        pq.write_table(table, path)
        return path

    return write


IDS = [f"K{i:03d}" for i in range(40)]
WIDE = pd.DataFrame(np.arange(3 * 2000).reshape(3, 2000), columns=[f"c{i}" for i in range(2000)])
SHAPES = "id,amount,visited\n" + "".join(f"K{i},{i + 1}.5,2026-01-{1 + i % 28:02d}\n" for i in range(40))

CASES: dict[str, Case] = {
    "gzip bytes named .csv": Case(raw("export.csv", gzip.compress(SHAPES.encode())), error="gzip"),
    "zip archive named .csv": Case(raw("export.csv", b"PK\x03\x04" + b"\x00" * 64), error="zip"),
    "utf-16 with bom": Case(text("u16.csv", SHAPES, "utf-16"), rows=40),
    "cp1252 accented names": Case(
        text("names.csv", "id,name\n" + "".join(f"K{i},Zoë Ní Bhriain {i}\n" for i in range(40)), "cp1252"),
        codes=("DQ_ENCODING_FALLBACK",),
    ),
    "semicolon with decimal commas": Case(
        text("eu.csv", "id;amount\n" + "".join(f"K{i};{i},50\n" for i in range(40))), rows=40
    ),
    "quoted newlines and delimiters": Case(
        text("q.csv", "id,note\n" + "".join(f'K{i},"line one, still\nline two"\n' for i in range(40))), rows=40
    ),
    "ragged rows": Case(text("rag.csv", SHAPES + "K99,1,2,3,4\nK98\n"), codes=("DQ_MALFORMED_ROWS",), rows=40),
    "duplicate column names": Case(
        text("dup.csv", "id,amount,amount\n" + "".join(f"K{i},1,2\n" for i in range(40))),
        codes=("DQ_COLUMN_NAME_FIXED",),
    ),
    "empty column names": Case(
        text("empty.csv", "id,,\n" + "".join(f"K{i},1,2\n" for i in range(40))), codes=("DQ_COLUMN_NAME_FIXED",)
    ),
    "2,000 columns": Case(frame_csv("wide.csv", WIDE), rows=3),
    "a 1 MB cell": Case(text("big.csv", "id,note\nK1," + "x" * 1_000_000 + "\nK2,short\n"), rows=2),
    "an all-null column": Case(
        text("nulls.csv", "id,empty\n" + "".join(f"K{i},\n" for i in range(40))),
        codes=("DQ_MISSING_VALUES",),
        column="empty",
    ),
    "a single row": Case(text("one.csv", "id,amount\nK1,3\n"), rows=1),
    "header only": Case(text("head.csv", "id,amount\n"), error="no rows"),
    "zero bytes": Case(raw("zero.csv", b""), error="empty"),
    "blank lines only": Case(text("blank.csv", "\n\n\n"), error="blank lines"),
    "binary garbage": Case(raw("junk.csv", bytes(range(256)) * 8), error="binary"),
    "dates in three formats": Case(
        text(
            "dates.csv",
            "id,visited\n"
            + "".join(f"K{i},{['2026-01-05', '05/01/2026', '5 Jan 2026'][i % 3]}\n" for i in range(40)),
        ),
        codes=("DQ_MIXED_DATE_FORMATS",),
        column="visited",
    ),
    "integers beyond int64": Case(
        text("huge.csv", "id,n\n" + "".join(f"K{i},{2**70 + i}\n" for i in range(40))), rows=40
    ),
    "inf and -inf": Case(
        text("inf.csv", "id,x\n" + "".join(f"K{i},{['inf', '-inf', '1.5'][i % 3]}\n" for i in range(40))), rows=40
    ),
    "null tokens of every kind": Case(
        text("tokens.csv", "id,x\n" + "".join(f"K{i},{['NA', 'N/A', 'null', '?', '-', 'unknown', ' '][i % 7]}\n"
                                              for i in range(40))),
        codes=("DQ_DISGUISED_NULLS",),
        column="x",
    ),
    "xlsx with several sheets": Case(
        # the first sheet is read unless `sheet` says otherwise: the message must point at the others
        xlsx("book.xlsx", {"Notes": [["exported by the till"]], "Data": [["id", "amount"], *[[k, 1] for k in IDS]]}),
        error="'Data'",
    ),
    "xlsx with a title row above the header": Case(
        xlsx("title.xlsx", {"Data": [["Harbour export 2026"], ["id", "amount"], *[[k, 2.5] for k in IDS]]}),
        rows=41,
        codes=("DQ_COLUMN_NAME_FIXED",),
    ),
    "xlsx with merged header cells": Case(
        xlsx("merged.xlsx", {"Data": [["id", "amount", None], *[[k, 1, 2] for k in IDS]]}, merge="B1:C1"),
        codes=("DQ_COLUMN_NAME_FIXED",),
        rows=40,
    ),
    "corrupt xlsx": Case(raw("broken.xlsx", b"PK\x03\x04 not really a workbook"), error="broken.xlsx"),
    "parquet with nested columns": Case(
        parquet(
            "nested.parquet",
            pa.table({"id": IDS, "tags": [[1, 2]] * 40, "address": [{"city": "Cork", "zip": "T12"}] * 40}),
        ),
        rows=40,
    ),
    "corrupt parquet": Case(raw("broken.parquet", b"PAR1 then nothing useful"), error="broken.parquet"),
    "unknown extension": Case(raw("data.json", b'{"id": 1}'), error=".csv"),
    "a folder named like a file": Case(lambda folder: (folder / "dir.csv").mkdir() or folder / "dir.csv",
                                       error="folder"),
    "missing file": Case(lambda folder: folder / "nowhere.csv", error="not found"),
    "hostile category values and free text": Case(
        frame_csv("hostile_values.csv", pd.DataFrame({
            "id": IDS,
            "category": [["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}"][i % 3]
                         for i in range(40)],
            "note": [f"see [click](http://evil.example) or =HYPERLINK(\"http://x\",\"y\") #{i}" for i in range(40)],
        })),
        rows=40,
    ),
    "utf-8 bom with windows line endings": Case(text("crlf.csv", "\ufeff" + SHAPES.replace("\n", "\r\n")), rows=40),
    "hostile column names": Case(
        frame_csv("hostile.csv", pd.DataFrame({"<script>alert(1)</script>": IDS, "=HYPERLINK(\"x\")": range(40)})),
        rows=40,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_client_file(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = case.write(tmp_path)
    if case.error:
        with pytest.raises(DataError) as err:
            load_table(path, name="visits")
        message = str(err.value)
        assert path.name in message and case.error in message, message
        assert "\n" not in message
        return
    loaded = load_table(path, name="visits")
    if case.rows is not None:
        assert len(loaded.frame) == case.rows
    report = assess_quality(loaded, table="visits", as_of="2026-06-30", run_expectations=False)
    found = {(f.code, f.column) for f in report.result.findings}
    for code in case.codes:
        assert code in {c for c, _ in found}, f"{code} not in {sorted(found)}"
        if case.column:
            assert any(c == code and col == case.column for c, col in found), sorted(found)
    assert report.result.score is not None and 0 <= report.result.score <= 100


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 30
