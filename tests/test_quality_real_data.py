"""The data-quality stage on four real public extracts (see ../shared/data/README.md).

Nobody on this project wrote these files, so they stand for the unseen client files the stage must
read right: blanks, '?' and 'unknown' as missing values, a ';' delimiter, a sentinel, US short dates,
cancellation lines, and columns whose names suggest a type their values do not hold.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SHARED_DATA
from readiness.quality import assess_quality
from readiness.tables import load_table

FILES = {"telco": "telco_customer_churn.csv", "adult": "adult.csv", "bank": "bank_marketing.csv",
         "retail": "online_retail.csv"}
KEYS = {"telco": "customerID"}

pytestmark = pytest.mark.skipif(not all((SHARED_DATA / f).exists() for f in FILES.values()),
                                reason="the shared real data (../shared/data) is not here")


@pytest.fixture(scope="module")
def reports() -> dict:
    out = {}
    for name, file in FILES.items():
        loaded = load_table(SHARED_DATA / file)
        out[name] = (loaded, assess_quality(loaded, table=name, as_of="2026-06-30", key=KEYS.get(name),
                                            run_expectations=False))
    return out


def profile(reports: dict, name: str):
    return reports[name][1].profile


def codes(reports: dict, name: str, code: str) -> list:
    return [f for f in reports[name][1].result.findings if f.code == code]


def test_telco_total_charges_has_eleven_blanks_and_no_near_duplicates(reports):
    col = profile(reports, "telco").columns["TotalCharges"]
    assert (col.semantic_type, col.blank, col.null_total) == ("number_as_text", 11, 11)
    assert not codes(reports, "telco", "DQ_NEAR_DUPLICATE_RECORDS")
    assert profile(reports, "telco").near_duplicate_rows == 0


def test_adult_question_marks_are_missing_and_leading_spaces_are_not_categories(reports):
    columns = profile(reports, "adult").columns
    assert {c: columns[c].null_tokens for c in ("workclass", "occupation", "native_country")} == {
        "workclass": {"?": 1836}, "occupation": {"?": 1843}, "native_country": {"?": 583}}
    assert columns["sex"].distinct == 2
    for col in columns.values():
        assert all(not value.startswith(" ") for value, _ in col.top_values), col.name
    assert columns["education_num"].semantic_type == "number"  # 1-16: a number, though named like an id


def test_bank_unknown_is_missing_per_column_and_pdays_has_a_sentinel(reports):
    loaded, report = reports["bank"]
    assert loaded.delimiter == ";"
    columns = report.profile.columns
    assert {c: columns[c].null_tokens.get("unknown") for c in ("job", "education", "contact", "poutcome")} == {
        "job": 288, "education": 1857, "contact": 13020, "poutcome": 36959}
    (sentinel,) = codes(reports, "bank", "DQ_SENTINEL_VALUE")
    assert (sentinel.column, sentinel.evidence["value"], sentinel.evidence["rows"]) == ("pdays", -1.0, 36954)
    assert "-1 on 36,954 rows (81.7%)" in sentinel.message
    assert columns["pdays"].min > 0  # the code is left out of the range
    assert not [f for f in codes(reports, "bank", "DQ_NON_POSITIVE_AMOUNT") if f.column == "balance"]


def test_retail_dates_blanks_cancellations_and_negative_quantities(reports):
    columns = profile(reports, "retail").columns
    assert columns["CustomerID"].null_total == 10003
    date = columns["InvoiceDate"]
    assert date.semantic_type in ("date", "date_as_text") and date.unparseable_dates == 0
    assert date.min == pd.Timestamp("2010-12-01 08:26")
    (negative,) = codes(reports, "retail", "DQ_NEGATIVE_QUANTITY")
    assert negative.column == "Quantity" and negative.evidence["rows"] == 485
    assert negative.evidence["marker"] == {"column": "InvoiceNo", "kind": "prefix", "marker": "C", "rows": 418}
    assert "have an InvoiceNo starting with 'C'" in negative.message


@pytest.mark.parametrize("name", list(FILES))
def test_no_phone_email_or_identifier_type_on_a_column_that_holds_none(reports, name):
    keys = {KEYS.get(name)}
    wrong = {c.name: c.semantic_type for c in profile(reports, name).columns.values()
             if c.semantic_type in ("phone", "email", "identifier") and c.name not in keys}
    assert wrong == {}
    assert not codes(reports, name, "DQ_INVALID_PHONE") and not codes(reports, name, "DQ_INVALID_EMAIL")
    assert not codes(reports, name, "DQ_SPREADSHEET_DAMAGE")
    personal = {c.name: c.personal_kind for c in profile(reports, name).columns.values() if c.personal_kind}
    assert personal == {}
