"""Regression tests for findings that were false on real files, each on a small frame of the same shape.

One class of defect per section: spreadsheet damage missed, a name imposing a type its values deny,
small-range integers taken for identifiers, personal data shown through a category, US short dates,
and false alarms (near duplicates of plain attributes, signed balances, sentinels, negative counts).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from readiness.privacy import safe_text
from readiness.profiling.infer import DamageReport, spreadsheet_damage
from readiness.quality import assess_quality, profile_table, run_checks, typed_frame
from readiness.quality.checks import check_columns
from readiness.quality.expectations import build_suite

S = pd.StringDtype("pyarrow")
AS_OF = "2026-06-30"


def text_frame(**columns: list) -> pd.DataFrame:
    """A frame as the loader gives it for a text file: every column string[pyarrow], verbatim."""
    return pd.DataFrame({name: pd.Series(values, dtype=S) for name, values in columns.items()})


def run(frame: pd.DataFrame, **options) -> tuple:
    profile = profile_table(frame, as_of=AS_OF, **options)
    return profile, run_checks(profile, typed_frame(frame, profile))


def coded(findings: list, code: str) -> list:
    return [f for f in findings if f.code == code]


# --- 1. spreadsheet damage ------------------------------------------------------------------------------

def test_ids_in_scientific_notation_are_an_error_on_the_key():
    ids = ["2.98725E+13", "5.58998E+14", "2.98725E+13"] + [f"{30000000000000 + i}" for i in range(7)]
    frame = text_frame(patient_id=ids, clinic=["north", "south"] * 5)
    profile, found = run(frame, key="patient_id")
    (damage,) = coded(found, "DQ_SPREADSHEET_DAMAGE")
    assert (damage.severity, damage.column) == ("error", "patient_id")
    assert damage.evidence == {"kind": "scientific_notation", "rows": 3, "share": 0.3,
                               "examples": ["2.*****E+13", "5.*****E+14"]}
    assert "re-export" in damage.message.lower() and "98725" not in damage.message


def test_spreadsheet_damage_is_a_warning_off_the_key_and_an_error_on_a_reference():
    frame = text_frame(visit=[str(i) for i in range(6)],
                       patient_id=["2.98725E+13", "2.98725E+13", "31007", "31008", "31009", "31010"])
    profile = profile_table(frame, key="visit", as_of=AS_OF)
    assert [f.severity for f in check_columns(profile) if f.code == "DQ_SPREADSHEET_DAMAGE"] == ["warning"]
    on_reference = [f for f in check_columns(profile, references=["patient_id"]) if f.code == "DQ_SPREADSHEET_DAMAGE"]
    assert [f.severity for f in on_reference] == ["error"]


@pytest.mark.parametrize(
    ("name", "values", "kind", "rows"),
    [
        ("zip", ["02139", "2139", "10001", "90210", "02139", "94105"], "lost_leading_zeros", 1),
        ("postcode", ["12345", "2139", "10001", "90210", "55555", "94105"], "lost_leading_zeros", 1),  # one length
        ("member_code", ["00123", "123", "00456", "00789", "45", "01011"], "lost_leading_zeros", 2),
        ("account_id", ["1234567890123.0", "1234567890124.0", "1234567890125", "1234567890126"], "float_suffix", 2),
        ("visit_date", ["2024-01-05", "45123", "2024-02-11", "2024-03-01", "2024-03-02", "2024-03-03",
                        "2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"], "date_serial", 1),
        ("visit_date", ["45123", "45124", "45190", "45201"], "date_serial", 4),  # a date-named number column
        ("reading", ["1.5E+13", "2", "3", "4"], "scientific_notation", 1),  # 12+ digits: a spreadsheet's display
    ],
)
def test_kinds_of_spreadsheet_damage(name, values, kind, rows):
    found = coded(run(text_frame(**{name: values}))[1], "DQ_SPREADSHEET_DAMAGE")
    assert [(f.evidence["kind"], f.evidence["rows"], f.severity) for f in found] == [(kind, rows, "warning")]
    raw = {v for v in values if len(v) > 3}
    assert not raw & set(found[0].evidence["examples"])  # examples are masked


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("customer_id", [str(i) for i in range(1, 1200)]),  # sequential ids: no padding, no zeros lost
        ("clinic_code", ["17", "21", "17", "30"]),
        ("reading", ["1.5E+3", "2.5E+3", "3"]),  # genuine scientific notation of a small number
        ("StockCode", ["85123A", "71053", "84406B", "22423", "D"]),
        ("arrival_date_year", ["2015", "2016", "2017"]),
    ],
)
def test_no_spreadsheet_damage_on_clean_columns(name, values):
    assert not coded(run(text_frame(**{name: values}))[1], "DQ_SPREADSHEET_DAMAGE")


def test_whole_floats_above_1e15_lost_digits():
    frame = pd.DataFrame({"card_ref": [1.2345678901234568e16, 2.0e16, 3.0]})
    report = spreadsheet_damage(frame["card_ref"], "card_ref")
    assert isinstance(report, DamageReport)
    assert (report.kind, report.rows) == ("float_suffix", 2)
    assert report.examples == ["1****************.0", "2****************.0"]


def test_spreadsheet_damage_is_public_for_a_group_column():
    report = spreadsheet_damage(pd.Series(["2.98725E+13", "5.58998E+14", "31007", None], dtype=S), "patient_id")
    assert (report.kind, report.rows, report.share) == ("scientific_notation", 2, pytest.approx(2 / 3))
    assert report.evidence() == {"kind": "scientific_notation", "rows": 2, "share": pytest.approx(2 / 3),
                                 "examples": ["2.*****E+13", "5.*****E+14"]}
    assert spreadsheet_damage(pd.Series(["C1", "C2", "C1"], dtype=S), "patient_id") is None
    assert spreadsheet_damage(pd.Series([45123.0, 45124.0, 45200.5]), "created_at").kind == "date_serial"


# --- 2. a name may suggest a type; the values decide --------------------------------------------------------

def test_codes_in_a_telephone_column_are_neither_phones_nor_personal():
    frame = text_frame(telephone=["A191", "A192"] * 500, churn=["yes", "no"] * 500)
    profile, found = run(frame)
    col = profile.columns["telephone"]
    assert (col.semantic_type, col.personal_kind, col.invalid_phones) == ("category", None, 0)
    assert not coded(found, "DQ_INVALID_PHONE") and not coded(found, "DQ_PERSONAL_DATA")


def test_a_phone_column_keeps_its_invalid_phones():
    phones = ["087 123 4567", "+353 86 765 4321", "01 234 5678", "085 111 2222"] * 5 + ["12", "n/a phone"]
    profile, found = run(text_frame(telephone=phones))
    col = profile.columns["telephone"]
    assert (col.semantic_type, col.personal_kind) == ("phone", "phone")
    assert [f.evidence["rows"] for f in coded(found, "DQ_INVALID_PHONE")] == [2]


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("email", ["A191", "B7", "C12", "D4"], None),  # 0% e-mails: not an e-mail column with 100% invalid
        ("email", ["ann@example.com", "bob@example.org", "not-an-email", "cy@example.net"], "email"),
        ("customer_name", ["C1001", "C1002", "C1003", "C1004"], None),  # codes, not names
        ("customer_name", ["Aoife Byrne", "Sean Kelly", "Niamh Ryan", "Liam Walsh"], "name"),
        ("name", ["12", "40", "7", "9"], None),
        ("dob", ["x1", "x2", "x3", "x4"], None),
        ("dob", ["1980-01-05", "1975-11-30", "1990-02-14", "1988-07-01"], "date_of_birth"),
        ("postcode", ["D02 X285", "D04 K7W2", "A94 F6P3", "D15 AB12"], "postcode"),
        ("postcode", ["Dublin city centre", "north side", "west", "south county"], None),
        ("card_number", ["4111 1111 1111 1111", "5500 0000 0000 0004", "4111111111111111", "ok"], "card"),
        ("card_number", ["gold", "silver", "gold", "bronze"], None),
    ],
)
def test_a_name_hint_counts_only_when_the_values_agree(name, values, kind):
    profile, found = run(text_frame(**{name: values}))
    assert profile.columns[name].personal_kind == kind
    assert not coded(found, "DQ_INVALID_EMAIL") if kind is None else True


def test_a_column_named_personal_by_the_analyst_stays_personal():
    profile = profile_table(text_frame(telephone=["A191", "A192", "A191"]), pii_columns=["telephone"])
    col = profile.columns["telephone"]
    assert col.personal_kind == "phone" and col.invalid_phones == 0
    assert all("19" not in v for v, _ in col.top_values)


# --- 3. small-range integers are numbers, whatever their name ---------------------------------------------------

def week_numbers(rows: int = 15_000) -> list[str]:
    return [str(1 + (i * 7) % 53) for i in range(rows)]


@pytest.mark.parametrize("name", ["arrival_date_week_number", "education_num", "floor_no"])
def test_small_range_integers_with_an_id_like_name_are_numbers(name):
    text = profile_table(text_frame(**{name: week_numbers()})).columns[name]
    typed = profile_table(pd.DataFrame({name: [int(v) for v in week_numbers()]})).columns[name]
    assert (text.semantic_type, typed.semantic_type) == ("number", "number")
    assert (text.min, text.max) == (1.0, 53.0)


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("ticket_number", [str(i) for i in range(1000, 3000)], "identifier"),  # near unique
        ("customer_id", [str(i % 40) for i in range(2000)], "category"),  # a reference, even with few values
        ("invoice_no", [str(536365 + i // 10) for i in range(5000)], "category"),  # repeated, large numbers
        ("store_code", [str(i % 20) for i in range(2000)], "category"),
    ],
)
def test_identifiers_and_references_keep_their_types(name, values, expected):
    assert profile_table(text_frame(**{name: values})).columns[name].semantic_type == expected


# --- 4. every value shown passes the same masking as free text --------------------------------------------------

def notes_frame() -> pd.DataFrame:
    notes = ["ok"] * 40 + ["call +44 7700 900461"] * 3 + ["card 4111 1111 1111 1111"] * 2 + ["late"] * 5
    return text_frame(note=notes, visit=[str(i) for i in range(50)])


def test_personal_data_in_a_category_is_masked_wherever_it_is_shown():
    profile, found = run(notes_frame(), key="visit")
    col = profile.columns["note"]
    assert col.semantic_type == "category" and col.personal_kind is None
    shown = dict(col.top_values)
    assert shown["call +** **** ****61"] == 3 and shown["card 4*** **** **** ****"] == 2
    table = profile.to_frame().to_string()
    assert "900461" not in table and "4111" not in table
    pii = coded(found, "DQ_PII_IN_TEXT")
    assert [(f.column, f.evidence["rows"], f.evidence["phones"], f.evidence["identifiers"]) for f in pii] == [
        ("note", 5, 3, 2)]
    assert pii[0].evidence["examples"] == ["+** **** ****61", "4*** **** **** ****"]


def test_a_category_level_quoted_in_a_message_is_masked():
    frame = text_frame(contact=["call 087 123 4567"] * 10 + ["post"] * 10,
                       email=["", "", "", "", "", "", "", "", "a@b.ie", "c@d.ie"] + ["e@f.ie"] * 10)
    (finding,) = coded(run(frame)[1], "DQ_MISSING_CONCENTRATED")
    assert finding.evidence["group"] == "call *** *** **67"
    assert "4567" not in finding.message


def test_orphan_examples_and_suite_value_sets_hold_no_personal_data(tmp_path):
    frame = text_frame(id=["1", "2", "3"], owner=["ann@example.com", "087 123 4567", "x1"])
    profile = profile_table(frame, key="id", as_of=AS_OF)
    found = run_checks(profile, typed_frame(frame, profile), reference_keys={"owner": ["x1"]})
    (orphan,) = coded(found, "DQ_ORPHAN_REFERENCE")
    assert "ann@example.com" not in orphan.evidence["examples"] and "087 123 4567" not in orphan.evidence["examples"]
    suite = build_suite(table="t", semantic_types={"id": "identifier", "owner": "category"}, key="id", rules=[],
                        reference_keys={"owner": ["ann@example.com", "x1"]}, as_of=AS_OF, freshness_days=30,
                        date_columns=[])
    assert "ann@example.com" not in str(suite)
    plain = build_suite(table="t", semantic_types={"id": "identifier", "owner": "category"}, key="id", rules=[],
                        reference_keys={"owner": ["C1", "C2"]}, as_of=AS_OF, freshness_days=30, date_columns=[])
    assert [e["kwargs"]["value_set"] for e in plain["expectations"] if e["meta"]["origin"] == "reference"] == [
        ["C1", "C2"]]


@pytest.mark.parametrize(
    ("value", "hidden"),
    [("jane@example.com", "jane"), ("+353 87 123 4567", "123 45"), ("4111 1111 1111 1111", "1111 1111"),
     ("GB82 WEST 1234 5698 7654 32", "5698"), ("123-45-6789", "6789"), ("QQ 12 34 56 C", "34 56"),
     ("943 476 5919", "476"), ("ref 12345678901", "2345678901")],
)
def test_safe_text_masks_every_kind_of_personal_value(value, hidden):
    assert hidden not in safe_text(value)


@pytest.mark.parametrize("value", ["12/1/10 8:26", "2010-12-01 08:26:00", "C536379", "-13541.3", "20.05", "ok"])
def test_safe_text_leaves_ordinary_values_alone(value):
    assert safe_text(value) == value


# --- 5. dates in US short form ----------------------------------------------------------------------------------

def test_us_short_dates_with_clock_time_read_month_first():
    values = [f"12/{d}/10 {h}:{m:02d}" for d in range(1, 10) for h, m in ((8, 26), (14, 9), (9, 41))]
    col = profile_table(text_frame(InvoiceDate=values)).columns["InvoiceDate"]
    assert col.semantic_type == "date_as_text"
    assert col.date_formats == {"MM/DD/YY HH:MM": len(values)}
    assert (col.min, col.max) == (pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-09 14:09"))


@pytest.mark.parametrize(
    ("values", "first"),
    [
        (["3/1/24", "3/2/24", "3/3/24", "4/9/24"], pd.Timestamp("2024-03-01")),  # the second part varies more: day
        (["1/3/24", "2/3/24", "3/3/24", "9/4/24"], pd.Timestamp("2024-03-01")),  # the first part varies more: day
        (["13/1/24 10:00:00", "2/1/24 10:00:00"], pd.Timestamp("2024-01-02 10:00")),  # a first part above 12
        (["1/13/24 10:00:00", "1/2/24 10:00:00"], pd.Timestamp("2024-01-02 10:00")),  # a second part above 12
    ],
)
def test_two_digit_year_slash_dates_pick_one_order_for_the_column(values, first):
    assert profile_table(text_frame(seen=values)).columns["seen"].min == first


# --- 6. false alarms on real extracts -----------------------------------------------------------------------------

def plans_frame(**extra: list) -> pd.DataFrame:
    """22 customers with identical plans, as in the telco extract: equal rows of plain attributes."""
    rows = 60
    base = {
        "customerID": [f"{i:04d}-ABCDE" for i in range(rows)],
        "Contract": ["Month-to-month"] * 22 + ["One year", "Two year"] * 19,
        "PaymentMethod": ["Mailed check"] * 22 + ["Bank transfer", "Credit card"] * 19,
        "MonthlyCharges": ["19.55"] * 22 + [str(20 + i) for i in range(38)],
    }
    return text_frame(**base, **extra)


def test_identical_plans_are_not_near_duplicate_records():
    profile, found = run(plans_frame(), key="customerID")
    assert profile.near_duplicate_rows == 0 and profile.redundant_rows == 0
    assert not coded(found, "DQ_NEAR_DUPLICATE_RECORDS")


def test_near_duplicates_count_when_rows_name_a_person():
    names = ["Jane Doe", "jane  doe"] + [f"Person {i}" for i in range(58)]
    profile, found = run(plans_frame(full_name=names), key="customerID")
    assert [f.evidence["rows"] for f in coded(found, "DQ_NEAR_DUPLICATE_RECORDS")] == [1]


def test_a_balance_may_be_negative_but_a_price_may_not():
    frame = text_frame(balance=["-120", "0", "350", "2143"], unit_price=["-1", "2.5", "3", "4"],
                       account_net_change=["-5", "3", "2", "1"])
    found = coded(run(frame)[1], "DQ_NON_POSITIVE_AMOUNT")
    assert [f.column for f in found] == ["unit_price"]


def test_a_round_negative_code_is_a_sentinel_not_a_number():
    pdays = ["-1"] * 82 + [str(v) for v in (182, 92, 91, 181, 370, 5, 871, 100, 150, 98, 99, 95, 120, 300,
                                             200, 33, 64, 90)]
    profile, found = run(text_frame(pdays=pdays))
    col = profile.columns["pdays"]
    assert (col.sentinel_value, col.sentinel_rows, col.min, col.max) == (-1.0, 82, 5.0, 871.0)
    (sentinel,) = coded(found, "DQ_SENTINEL_VALUE")
    assert sentinel.severity == "warning"
    assert sentinel.message.startswith("Column 'pdays': -1 on 82 rows (82.0%) looks like a code for 'none'")
    assert [f.evidence["rows"] for f in coded(found, "DQ_OUTLIERS") if f.column == "pdays"] == [1]  # 871, not -1


@pytest.mark.parametrize(
    "values",
    [
        ["-1", "-3", "5", "7"] * 10,  # other negatives: -1 is a number
        ["-1"] * 2 + [str(i) for i in range(60)],  # under 5 % of the rows
        ["999"] * 10 + [str(500 + i) for i in range(40)],  # not apart from the other values
        ["0"] * 30 + ["-1"] * 10 + [str(i) for i in range(1, 20)],  # not the commonest value
    ],
)
def test_no_sentinel_where_the_value_is_an_ordinary_number(values):
    assert profile_table(text_frame(x=values)).columns["x"].sentinel_value is None


def retail_frame() -> pd.DataFrame:
    invoices = [f"5363{i:02d}" for i in range(40)] + [f"C5363{i:02d}" for i in range(8)] + ["536500", "536501"]
    quantity = [str(1 + i % 12) for i in range(40)] + [str(-1 - i) for i in range(8)] + ["-10", "-20"]
    return text_frame(InvoiceNo=invoices, StockCode=[f"{22000 + i % 9}" for i in range(50)], Quantity=quantity,
                      Country=["United Kingdom"] * 50)


def test_negative_quantities_name_the_marker_their_rows_share():
    (found,) = coded(run(retail_frame())[1], "DQ_NEGATIVE_QUANTITY")
    assert (found.severity, found.column, found.evidence["rows"]) == ("warning", "Quantity", 10)
    assert found.evidence["marker"] == {"column": "InvoiceNo", "kind": "prefix", "marker": "C", "rows": 8}
    assert "8 of them (80.0%) have an InvoiceNo starting with 'C'" in found.message
    assert "cancellation or return" in found.message


def test_negative_quantities_without_a_shared_marker():
    frame = text_frame(qty=["-1", "2", "3", "-4", "5", "6"], shop=["a", "b", "a", "b", "a", "b"])
    (found,) = coded(run(frame)[1], "DQ_NEGATIVE_QUANTITY")
    assert (found.evidence["rows"], found.evidence["marker"]) == (2, None)
    assert not re.search("have an? ", found.message)
    assert not coded(run(text_frame(visits=["-1", "2", "3"]))[1], "DQ_NEGATIVE_QUANTITY")  # not a count by name


def test_assess_quality_reports_the_new_codes_end_to_end():
    loaded = type("Loaded", (), {"frame": retail_frame(), "decimal": ".", "path": "retail.csv", "findings": []})()
    report = assess_quality(loaded, table="retail", as_of=AS_OF, run_expectations=False)
    assert "DQ_NEGATIVE_QUANTITY" in {f.code for f in report.result.findings}
    assert np.isfinite(report.scores.overall)
