"""Tests for readiness.tables: sniffing, exact text, encodings, xlsx sheets, parquet, errors."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from readiness import tables
from readiness.errors import DataError
from readiness.tables import (
    SUPPORTED_EXTENSIONS,
    LoadedTable,
    fix_column_names,
    load_table,
    resolve_input_path,
    sniff_delimiter,
    sniff_text_format,
)

STRING = pd.StringDtype("pyarrow")
TELCO = Path(__file__).parents[2] / "shared/data/telco_customer_churn.csv"


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def codes(table: LoadedTable) -> list[str]:
    return [f.code for f in table.findings]


# ---------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "|", "\t"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["id", "city", "visits"], ["1", "Cork", "3"], ["2", "Galway", "5"]]
    path = write(tmp_path, "visits.csv", "".join(delimiter.join(r) + "\n" for r in rows))
    table = load_table(path)
    assert table.delimiter == delimiter
    assert list(table.frame.columns) == ["id", "city", "visits"]
    assert table.frame["city"].tolist() == ["Cork", "Galway"]


def test_sniff_ignores_delimiters_inside_quotes() -> None:
    # Commas inside quotes would give 3 fields on line 2 only: semicolon is the consistent one.
    sample = b'name;note\n"Ann";"late, again"\n"Bob";"ok"\n'
    assert sniff_text_format(sample) == ("utf-8", ";")


def test_sniff_prefers_consistent_field_count() -> None:
    # Decimal commas make comma inconsistent (1 field in the header, 2-3 below).
    text = "id;price;qty\n1;12,50;2\n2;3;1\n"
    assert sniff_delimiter(text, complete=True) == ";"


def test_single_column_file_falls_back_to_default() -> None:
    assert sniff_delimiter("email\na\nb\n", default=",", complete=True) == ","


def test_tsv_defaults_to_tab(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "one.tsv", "only_column\nx\ny\n"))
    assert table.delimiter == "\t"
    assert table.frame["only_column"].tolist() == ["x", "y"]


def test_decimal_comma_detected_and_values_kept_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, "prices.csv", "id;price\n1;12,50\n2;1.234,00\n3;7,5\n")
    table = load_table(path)
    assert (table.delimiter, table.decimal) == (";", ",")
    assert table.frame["price"].tolist() == ["12,50", "1.234,00", "7,5"]


def test_decimal_point_with_semicolon_delimiter(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "prices.csv", "id;price\n1;12.50\n2;3.75\n"))
    assert (table.delimiter, table.decimal) == (";", ".")


def test_comma_delimiter_never_reports_decimal_comma(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "prices.csv", 'id,price\n1,"12,50"\n2,"3,75"\n'))
    assert (table.delimiter, table.decimal) == (",", ".")


# ---------------------------------------------------------------------------- exact text


def test_quoted_field_with_delimiter_and_newline(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.csv", 'id,note,score\n1,"sore knee, left\nreturns Tuesday",7\n2,plain,8\n')
    frame = load_table(path).frame
    assert frame.shape == (2, 3)
    assert frame["note"].tolist() == ["sore knee, left\nreturns Tuesday", "plain"]
    assert frame["score"].tolist() == ["7", "8"]


def test_blank_and_null_tokens_are_kept_verbatim(tmp_path: Path) -> None:
    tokens = [" ", "", "NA", "N/A", "null", "?", "-", "unknown"]
    body = "".join(f"{i},{t}\n" for i, t in enumerate(tokens))
    table = load_table(write(tmp_path, "tokens.csv", "id,status\n" + body))
    status = table.frame["status"]
    assert status.dtype == STRING
    assert status.tolist() == tokens
    assert not status.isna().any()


def test_numeric_column_with_blanks_stays_exact_text(tmp_path: Path) -> None:
    path = write(tmp_path, "charges.csv", "id,total\n1,29.85\n2, \n3,\n4,0100\n5,1889.50\n")
    frame = load_table(path).frame
    assert all(dtype == STRING for dtype in frame.dtypes)
    assert frame["total"].tolist() == ["29.85", " ", "", "0100", "1889.50"]
    assert frame["id"].tolist() == ["1", "2", "3", "4", "5"]


def test_crlf_line_endings_do_not_leak_into_values(tmp_path: Path) -> None:
    frame = load_table(write(tmp_path, "win.csv", "a,b\r\n1,x\r\n2,y\r\n")).frame
    assert frame["b"].tolist() == ["x", "y"]


def test_duplicate_and_empty_column_names_are_fixed(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "dup.csv", "id,name,,name, phone \n1,a,b,c,d\n"))
    assert list(table.frame.columns) == ["id", "name", "unnamed_3", "name.1", "phone"]
    assert codes(table) == ["DQ_COLUMN_NAME_FIXED"]
    assert table.frame["name.1"].tolist() == ["c"]


def test_fix_column_names_avoids_existing_names() -> None:
    # Names present in the file keep them; generated names step aside.
    fixed, renamed = fix_column_names(["a", "a", "a.1", "", "unnamed_4"])
    assert fixed == ["a", "a.2", "a.1", "unnamed_4.1", "unnamed_4"]
    assert len(renamed) == 2


def test_rows_with_wrong_field_count_are_skipped_and_reported(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "ragged.csv", "a,b\n1,2\n3,4,5\n6,7\n"))
    assert table.frame["a"].tolist() == ["1", "6"]
    finding = next(f for f in table.findings if f.code == "DQ_MALFORMED_ROWS")
    assert finding.evidence["rows_skipped"] == 1


# ---------------------------------------------------------------------------- encodings


def test_utf8_bom_is_stripped_and_reported(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "bom.csv", b"\xef\xbb\xbfid,city\n1,Zo\xc3\xab\n"))
    assert table.encoding == "utf-8-sig"
    assert list(table.frame.columns) == ["id", "city"]
    assert table.frame["city"].tolist() == ["Zoë"]
    assert table.findings == []


def test_plain_utf8(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "u.csv", "id,city\n1,Zoë\n"))
    assert (table.encoding, table.findings) == ("utf-8", [])


def test_cp1252_falls_back_with_finding(tmp_path: Path) -> None:
    path = write(tmp_path, "legacy.csv", "id;city;price\n1;Zoë;€5\n", encoding="cp1252")
    table = load_table(path)
    assert table.encoding == "cp1252"
    assert table.frame["city"].tolist() == ["Zoë"]
    assert table.frame["price"].tolist() == ["€5"]
    (finding,) = table.findings
    assert finding.code == "DQ_ENCODING_FALLBACK"
    assert "legacy.csv" in finding.message and "cp1252" in finding.message
    assert finding.evidence["first_invalid_byte"] == len("id;city;price\n1;Zo")


def test_invalid_utf8_after_the_sample_is_caught(tmp_path: Path) -> None:
    # The only non-UTF-8 byte sits far beyond the sniffing sample.
    body = "".join(f"{i},plain\n" for i in range(20_000))
    path = write(tmp_path, "late.csv", ("id,city\n" + body + "99,Zoë\n").encode("cp1252"))
    table = load_table(path)
    assert table.encoding == "cp1252"
    assert table.frame["city"].iloc[-1] == "Zoë"
    assert codes(table) == ["DQ_ENCODING_FALLBACK"]


def test_character_split_across_validation_chunks_is_valid_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables.sniffing, "VALIDATE_CHUNK_BYTES", 4)  # read where detect_encoding lives
    # "ë" is 2 bytes at offsets 11-12: the chunk boundary at 12 cuts it in two.
    path = write(tmp_path, "split.csv", b"id,city\n1,Z\xc3\xabo\n")
    assert tables.detect_encoding(path) == ("utf-8", None)
    # A lead byte at offset 11 followed by ASCII: invalid, reported where it starts.
    cut = write(tmp_path, "cut.csv", b"id,city\n1,Z\xc3abcd\n")
    assert tables.detect_encoding(cut) == ("cp1252", 11)
    # A lead byte as the very last byte of the file.
    tail = write(tmp_path, "tail.csv", b"id,city\n1,Zo\xc3")
    assert tables.detect_encoding(tail) == ("cp1252", 12)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "odd.csv", b"id,code\n1,a\x81b\n"))
    assert table.encoding == "latin-1"
    assert table.frame["code"].tolist() == ["a\x81b"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, "wide.txt", "id\tcity\n1\tZoë\n2\tKraków\n", encoding="utf-16"))
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.frame["city"].tolist() == ["Zoë", "Kraków"]


# ---------------------------------------------------------------------------- xlsx


def make_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Clients"
    for row in (["id", "spend", "joined", "active", "code"],
                [1, 10.5, dt.datetime(2024, 1, 2), True, "007"],
                [2, None, dt.datetime(2024, 3, 4), False, "NA"],
                [3, 7, None, True, None]):
        first.append(row)
    second = book.create_sheet("Visits")
    for row in (["visit_id", "amount"], [10, 5], [11, "n/a"], [12, None], [13, 2.5]):
        second.append(row)
    book.save(path)
    return path


def test_xlsx_first_sheet_keeps_clean_types(tmp_path: Path) -> None:
    table = load_table(make_workbook(tmp_path / "book.xlsx"))
    frame = table.frame
    assert (table.format, table.sheet, table.text_source) == ("xlsx", "Clients", False)
    assert frame["id"].tolist() == [1, 2, 3]
    assert pd.api.types.is_integer_dtype(frame["id"])
    assert frame["spend"].dtype == "float64" and frame["spend"].isna().tolist() == [False, True, False]
    assert pd.api.types.is_datetime64_any_dtype(frame["joined"])
    assert frame["active"].tolist() == [True, False, True]
    # Text cells stay text: "007" keeps its zeros and "NA" is not a missing value.
    assert frame["code"].dtype == STRING
    assert frame["code"].tolist() == ["007", "NA", ""]


@pytest.mark.parametrize("sheet", ["Visits", 1])
def test_xlsx_sheet_by_name_or_index(tmp_path: Path, sheet: str | int) -> None:
    table = load_table(make_workbook(tmp_path / "book.xlsx"), sheet=sheet)
    assert table.sheet == "Visits"
    assert table.frame["visit_id"].tolist() == [10, 11, 12, 13]


def test_xlsx_mixed_column_becomes_string(tmp_path: Path) -> None:
    amount = load_table(make_workbook(tmp_path / "book.xlsx"), sheet="Visits").frame["amount"]
    assert amount.dtype == STRING
    assert amount.tolist() == ["5", "n/a", "", "2.5"]


@pytest.mark.parametrize("sheet", ["Payments", 5])
def test_xlsx_unknown_sheet_lists_sheets(tmp_path: Path, sheet: str | int) -> None:
    with pytest.raises(DataError, match="book.xlsx") as info:
        load_table(make_workbook(tmp_path / "book.xlsx"), sheet=sheet)
    assert "'Clients', 'Visits'" in str(info.value)


def test_xlsx_header_only_sheet_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty_rows.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "name"])
    book.save(path)
    with pytest.raises(DataError, match="empty_rows.xlsx.*header but no rows"):
        load_table(path)


# ---------------------------------------------------------------------------- parquet


def test_parquet_round_trip(tmp_path: Path) -> None:
    source = pd.DataFrame({
        "id": [1, 2, 3],
        "score": [0.5, None, 2.0],
        "city": ["Cork", None, " "],
        "seen": pd.to_datetime(["2024-01-01", "2024-02-01", None]),
    })
    path = tmp_path / "clients.parquet"
    source.to_parquet(path, index=False)
    table = load_table(path)
    frame = table.frame
    assert (table.format, table.encoding, table.delimiter) == ("parquet", None, None)
    assert frame["id"].tolist() == [1, 2, 3]
    assert frame["score"].dtype == "float64"
    assert frame["city"].dtype == STRING
    assert frame["city"].isna().tolist() == [False, True, False]
    assert frame["city"].iloc[2] == " "
    assert pd.api.types.is_datetime64_any_dtype(frame["seen"])


def test_parquet_dictionary_text_becomes_string(tmp_path: Path) -> None:
    path = tmp_path / "cat.parquet"
    pq.write_table(pa.table({"band": pa.array(["a", "b", "a"]).dictionary_encode()}), path)
    band = load_table(path).frame["band"]
    assert band.dtype == STRING
    assert band.tolist() == ["a", "b", "a"]


# ---------------------------------------------------------------------------- errors


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="nowhere.csv.*not found"):
        load_table(tmp_path / "nowhere.csv")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "exports.csv"
    folder.mkdir()
    with pytest.raises(DataError, match="exports.csv.*folder"):
        load_table(folder)


def test_zero_byte_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="void.csv.*empty"):
        load_table(write(tmp_path, "void.csv", b""))


def test_blank_lines_only(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="blank.csv.*no header"):
        load_table(write(tmp_path, "blank.csv", "\n\n"))


@pytest.mark.parametrize("content", ["id,name\n", "id,name"])
def test_header_only_file(tmp_path: Path, content: str) -> None:
    with pytest.raises(DataError, match="head.csv.*header but no rows"):
        load_table(write(tmp_path, "head.csv", content))


def test_unknown_extension_lists_supported(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="old.xls") as info:
        load_table(write(tmp_path, "old.xls", "id\n1\n"))
    assert all(ext in str(info.value) for ext in SUPPORTED_EXTENSIONS)


def test_max_bytes_exceeded_states_size_and_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "id\n" + "1\n" * 600)
    with pytest.raises(DataError, match="big.csv") as info:
        load_table(path, max_bytes=1000)
    assert "1,203 bytes" in str(info.value) and "1,000 bytes" in str(info.value)


def test_table_name_appears_in_messages(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="table 'customers' \\(export_v2.csv\\)"):
        load_table(tmp_path / "export_v2.csv", name="customers")


@pytest.mark.parametrize("name", ["broken.xlsx", "broken.parquet"])
def test_corrupt_binary_file(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"this is not a real file" * 10)
    with pytest.raises(DataError, match=name.replace(".", r"\.")) as info:
        load_table(path)
    assert "\n" not in str(info.value)


def test_all_rows_malformed_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="shifted.csv.*different number of fields"):
        load_table(write(tmp_path, "shifted.csv", "a,b\n1,2,3\n4,5,6\n"))


# ---------------------------------------------------------------------------- real file


@pytest.mark.skipif(not TELCO.exists(), reason=f"reference data not present at {TELCO}")
def test_telco_churn_real_file() -> None:
    table = load_table(TELCO, name="telco")
    frame = table.frame
    assert frame.shape == (7043, 21)
    assert (table.encoding, table.delimiter, table.decimal, table.findings) == ("utf-8", ",", ".", [])
    assert all(dtype == STRING for dtype in frame.dtypes)
    assert frame["TotalCharges"].dtype == STRING
    assert int((frame["TotalCharges"] == " ").sum()) == 11


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (gzip.compress(b"a,b\n1,2\n" * 20, mtime=0), "gzip"),
        (b"PK\x03\x04" + b"\x00" * 50, "zip"),
        (b"a,b\n1,\x00\x01\x02\n", "binary"),
    ],
)
def test_binary_bytes_under_a_csv_name_are_refused(tmp_path: Path, payload: bytes, words: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(payload)
    with pytest.raises(DataError, match=words) as err:
        load_table(path)
    assert "export.csv" in str(err.value)


def test_resolve_input_path_falls_back_to_the_project_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    resolved = resolve_input_path("sample_data/harbour_physio/customers.csv")
    assert resolved.is_absolute() and resolved.parts[-3:] == ("sample_data", "harbour_physio", "customers.csv")
    (tmp_path / "local.csv").write_text("a\n1\n")
    assert resolve_input_path("local.csv") == Path("local.csv")
