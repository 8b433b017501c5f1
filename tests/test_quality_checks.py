"""Each data-quality finding code: one table that raises it and one that does not."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

import readiness.quality as quality
from readiness.errors import ConfigError
from readiness.quality import assess_quality, checks, profile_table, run_checks, typed_frame
from readiness.results import to_jsonable

S = pd.StringDtype("pyarrow")
AS_OF = "2026-06-30"


def text_frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype=S) for name, values in columns.items()})


def findings(frame: pd.DataFrame, code: str, **options) -> list:
    check = {k: options.pop(k) for k in ("reference_keys", "expectations", "freshness_days") if k in options}
    profile = profile_table(frame, as_of=options.pop("as_of", AS_OF), **options)
    return [f for f in run_checks(profile, typed_frame(frame, profile), **check) if f.code == code]


def one(frame: pd.DataFrame, code: str, **options):
    found = findings(frame, code, **options)
    assert len(found) == 1, found
    return found[0]


def test_every_code_is_a_documented_constant():
    assert len(checks.CODES) == 28  # the profile's 25 and the loader's 3 (encoding, column names, malformed rows)
    assert {"DQ_ENCODING_FALLBACK", "DQ_COLUMN_NAME_FIXED", "DQ_MALFORMED_ROWS"} <= set(checks.CODES)
    assert set(quality.CODES) == set(checks.CODES)
    from readiness import findings as catalogue

    for code in quality.CODES:  # each a constant of the one catalogue, registered for this stage
        assert getattr(catalogue, code) == code and catalogue.CATALOGUE[code].stage == "quality"


def test_duplicate_rows():
    f = one(text_frame(a=["1", "2", "1"], b=["x", "y", "x"]), "DQ_DUPLICATE_ROWS")
    assert (f.severity, f.evidence["rows"]) == ("warning", 1)
    assert not findings(text_frame(a=["1", "2", "1"], b=["x", "y", "z"]), "DQ_DUPLICATE_ROWS")


def test_duplicate_and_null_key():
    frame = text_frame(id=["1", "2", "2", "", "N/A"], v=["a", "b", "c", "d", "e"])
    dup = one(frame, "DQ_DUPLICATE_KEY", key="id")
    assert (dup.severity, dup.column, dup.evidence["rows"]) == ("error", "id", 1)
    null = one(frame, "DQ_NULL_KEY", key="id")
    assert (null.severity, null.evidence["rows"]) == ("error", 2)
    clean = text_frame(id=["1", "2", "3"], v=["a", "b", "c"])
    assert not findings(clean, "DQ_DUPLICATE_KEY", key="id") and not findings(clean, "DQ_NULL_KEY", key="id")


def test_near_duplicate_records_ignore_case_spacing_and_key():
    frame = text_frame(id=["1", "2", "3"], name=["Jane  Doe", "jane doe ", "Bob"], city=["Cork", "CORK", "Cork"])
    assert one(frame, "DQ_NEAR_DUPLICATE_RECORDS", key="id").evidence["rows"] == 1
    exact = text_frame(id=["1", "1"], name=["Jane", "Jane"])
    assert not findings(exact, "DQ_NEAR_DUPLICATE_RECORDS")


def test_invalid_email_and_phone():
    emails = ["a@b.ie", "c@d.com", "e@f.org", "g@h.net", "i@j.ie", "k@l.ie", "m@n.ie", "o@p.ie", "q@r.ie", "bad@"]
    f = one(text_frame(email=emails), "DQ_INVALID_EMAIL")
    assert (f.evidence["rows"], f.evidence["share"]) == (1, 0.1)
    assert "bad@" not in f.message
    assert not findings(text_frame(email=emails[:9]), "DQ_INVALID_EMAIL")
    phones = ["087 123 4567"] * 9 + ["12"]
    assert one(text_frame(phone=phones), "DQ_INVALID_PHONE").evidence["rows"] == 1
    assert not findings(text_frame(phone=phones[:9]), "DQ_INVALID_PHONE")


def test_inconsistent_format():
    phones = ["087 123 4567"] * 8 + ["+353 87 123 4567", "(01) 234 5678"]
    f = one(text_frame(phone=phones), "DQ_INCONSISTENT_FORMAT")
    assert f.evidence["dominant_share"] == pytest.approx(0.8)
    assert not findings(text_frame(phone=phones[:8] + ["086 765 4321"]), "DQ_INCONSISTENT_FORMAT")


@pytest.mark.parametrize(
    ("blanks", "severity"), [(0, None), (1, "info"), (2, "warning"), (12, "warning"), (13, "error")]
)
def test_missing_values_thresholds(blanks, severity):  # of 25 rows: 0 %, 4 %, 8 %, 48 %, 52 %
    frame = text_frame(x=[""] * blanks + [f"v{i % 3}" for i in range(25 - blanks)])
    found = findings(frame, "DQ_MISSING_VALUES")
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_disguised_nulls_report_token_counts():
    f = one(text_frame(x=["a", "N/A", "n/a", " ", "unknown", "b"]), "DQ_DISGUISED_NULLS")
    assert f.evidence == {"blank": 1, "tokens": {"N/A": 1, "n/a": 1, "unknown": 1}}
    assert not findings(text_frame(x=["a", "", "b"]), "DQ_DISGUISED_NULLS")


def test_missing_concentrated_in_one_category_level():
    clinic = ["north"] * 10 + ["south"] * 10
    phone_given = ["", "", "", "", "", "", "y", "y", "y", "y"] + ["y"] * 9 + [""]
    f = one(text_frame(clinic=clinic, referral=phone_given), "DQ_MISSING_CONCENTRATED")
    assert (f.column, f.evidence["group_column"], f.evidence["group"]) == ("referral", "clinic", "north")
    assert (f.evidence["group_null_rate"], f.evidence["other_null_rate"]) == (0.6, 0.1)
    even = ["", "y", "y", "y", "y", "", "y", "y", "y", "y"] * 2
    assert not findings(text_frame(clinic=clinic, referral=even), "DQ_MISSING_CONCENTRATED")


def test_non_positive_amount_only_in_money_columns():
    f = one(text_frame(fee=["10", "0", "-5", "20"]), "DQ_NON_POSITIVE_AMOUNT")
    assert f.evidence["rows"] == 2
    assert not findings(text_frame(temperature=["10", "0", "-5", "20"]), "DQ_NON_POSITIVE_AMOUNT")
    assert not findings(text_frame(fee=["10", "1", "5", "20"]), "DQ_NON_POSITIVE_AMOUNT")


def test_a_fee_that_is_mostly_zero_only_flags_negative_values():
    f = one(text_frame(late_fee=["0", "0", "0", "25", "-25", "0"]), "DQ_NON_POSITIVE_AMOUNT")
    assert f.evidence["rows"] == 1 and "are negative" in f.message
    assert not findings(text_frame(late_fee=["0", "0", "0", "25", "0"]), "DQ_NON_POSITIVE_AMOUNT")


def test_future_date_after_the_end_of_as_of():
    frame = text_frame(visit=["2026-06-30 23:59:00", "2026-07-01 00:00:00", "2026-06-01 10:00:00"])
    f = one(frame, "DQ_FUTURE_DATE")
    assert (f.severity, f.evidence["rows"], f.evidence["as_of"]) == ("error", 1, AS_OF)
    assert not findings(frame, "DQ_FUTURE_DATE", as_of="2026-07-01")


def test_unparseable_and_mixed_date_formats():
    frame = text_frame(visit=["2026-01-05", "2026-02-30", "05/03/2026", "2026-03-01"])
    assert one(frame, "DQ_UNPARSEABLE_DATE").evidence["rows"] == 1
    assert one(frame, "DQ_MIXED_DATE_FORMATS").evidence["formats"] == {"YYYY-MM-DD": 2, "DD/MM/YYYY": 1}
    clean = text_frame(visit=["2026-01-05", "2026-02-28", "2026-03-01"])
    assert not findings(clean, "DQ_UNPARSEABLE_DATE") and not findings(clean, "DQ_MIXED_DATE_FORMATS")


def test_stale_table():
    frame = text_frame(visit=["2025-12-01", "2026-01-01"], dob=["1990-01-01", "2026-06-29"])
    f = one(frame, "DQ_STALE_TABLE", freshness_days=90)
    assert (f.column, f.evidence["date_column"], f.evidence["days"]) == (None, "visit", 180)  # not the birth date
    assert not findings(frame, "DQ_STALE_TABLE", freshness_days=180)


def test_number_as_text_and_constant_column():
    f = one(text_frame(total=["12.5", " ", "7"]), "DQ_NUMBER_AS_TEXT")
    assert f.evidence["disguised_nulls"] == 1
    assert not findings(text_frame(total=["12.5", "", "7"]), "DQ_NUMBER_AS_TEXT")
    assert one(text_frame(c=["x", "x", ""], d=["1", "2", "3"]), "DQ_CONSTANT_COLUMN").severity == "info"
    assert not findings(text_frame(c=["x", "y"]), "DQ_CONSTANT_COLUMN")


def test_pii_in_free_text_is_reported_masked():
    notes = ["Rang to move the booking, call back on 087 123 4567 after six",
             "Asked for an invoice by mail to jane.doe@example.com please",
             "Arrived late for the session and knee pain is worse this week",
             "Paid 45.00 on 2026-06-30 at the front desk, no receipt needed"]
    f = one(text_frame(notes=notes), "DQ_PII_IN_TEXT")
    assert (f.evidence["rows"], f.evidence["emails"], f.evidence["phones"]) == (2, 1, 1)
    assert sorted(f.evidence["examples"]) == ["*** *** **67", "j***@e***.com"]
    assert not findings(text_frame(notes=notes[2:]), "DQ_PII_IN_TEXT")


def test_outliers_are_info():
    values = [str(v) for v in [1, 2, 2, 3, 4, 5, 6, 7, 8, 100]]
    assert one(text_frame(visits=values), "DQ_OUTLIERS").severity == "info"
    assert not findings(text_frame(visits=values[:-1]), "DQ_OUTLIERS")


def test_personal_data_flagged_masked():
    f = one(text_frame(full_name=["Jane Doe", "Bob Ray", "Amy Lee"]), "DQ_PERSONAL_DATA")
    assert f.evidence["kind"] == "name" and "Jane" not in f.message
    assert not findings(text_frame(tier=["gold", "silver"]), "DQ_PERSONAL_DATA")


def test_orphan_references_against_a_set_or_a_numeric_series():
    frame = text_frame(customer_id=["1", "2", "9", "9", ""])
    f = one(frame, "DQ_ORPHAN_REFERENCE", reference_keys={"customer_id": {"1", "2", "3"}})
    assert (f.severity, f.evidence["rows"], f.evidence["distinct"], f.evidence["examples"]) == ("error", 2, 1, ["9"])
    parent = pd.Series([1.0, 2.0, 9.0])
    assert not findings(frame, "DQ_ORPHAN_REFERENCE", reference_keys={"customer_id": parent})


def test_rule_failures_come_from_the_expectation_results():
    results = pd.DataFrame([
        {"expectation": "expect_column_values_to_be_between", "column": "duration", "origin": "rule",
         "success": False, "unexpected_count": 3, "unexpected_percent": 30.0, "observed": None,
         "description": "duration is between 10 and 180"},
        {"expectation": "expect_column_values_to_not_be_null", "column": "duration", "origin": "profile",
         "success": False, "unexpected_count": 1, "unexpected_percent": 10.0, "observed": None,
         "description": "duration is filled"},
        {"expectation": "expect_column_values_to_be_in_set", "column": "tier", "origin": "rule",
         "success": True, "unexpected_count": 0, "unexpected_percent": 0.0, "observed": None,
         "description": "tier is gold or silver"},
    ])
    f = one(text_frame(duration=["5", "20"]), "DQ_RULE_FAILED", expectations=results)
    assert (f.severity, f.column, f.evidence["rows"]) == ("error", "duration", 3)
    assert not findings(text_frame(duration=["5", "20"]), "DQ_RULE_FAILED", expectations=results.iloc[1:])


def test_no_message_or_evidence_shows_a_raw_personal_value():
    frame = text_frame(
        email=["jane.doe@example.com", "bob@shop.ie", "bob@shop.ie", "oops"],
        phone=["087 123 4567", "+353 86 765 4321", "+353 86 765 4321", "999"],
        full_name=["Jane Doe", "Bob Ray", "Bob Ray", "Amy Lee"],
        notes=["call Jane on 087 123 4567 or jane.doe@example.com about the knee",
               "nothing to add here today for this one", "nothing to add here today for this one",
               "asked about prices of the six-session block"],
    )
    profile = profile_table(frame, as_of=AS_OF, pii_columns=["full_name"])
    everything = json.dumps(to_jsonable([f.__dict__ for f in run_checks(profile, typed_frame(frame, profile))]))
    everything += profile.to_frame().to_string()
    for raw in ("jane.doe", "bob@shop", "123 4567", "765 4321", "Jane Doe", "Bob Ray", "Amy Lee"):
        assert raw not in everything


def loaded(frame: pd.DataFrame, **extra) -> SimpleNamespace:
    return SimpleNamespace(frame=frame, path="customers.csv", decimal=".", findings=[], **extra)


CUSTOMERS = text_frame(customer_id=["1", "2", "3"], email=["a@b.ie", "c@d.ie", "e@f.ie"],
                       joined=["2026-01-01", "2026-02-01", "2026-06-01"])


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"key": "customer"}, "`key` names column 'customer'.*closest column is 'customer_id'"),
        ({"date_columns": ["joind"]}, "`date_columns` names column 'joind'.*'joined'"),
        ({"pii_columns": ["mail"]}, "`pii_columns` names column 'mail'"),
        ({"rules": [{"column": "emial", "expect": "not_null"}]}, r"`rules\[0\].column` names column 'emial'"),
        ({"references": {"cust": {"path": "x.csv", "column": "id"}}}, "`references` names column 'cust'"),
        ({"as_of": "30/06/2026"}, "`as_of` is '30/06/2026', not an ISO date"),
    ],
)
def test_assess_quality_rejects_bad_parameters(options, expected):
    options = {"as_of": AS_OF, **options}
    with pytest.raises(ConfigError, match=expected) as caught:
        assess_quality(loaded(CUSTOMERS), table="customers", run_expectations=False, **options)
    assert "customers.csv" in str(caught.value)


def test_assess_quality_report(tmp_path):
    parent = tmp_path / "clinics.csv"
    parent.write_text("clinic_id,name\nC1,North\nC2,South\n", encoding="utf-8")
    frame = text_frame(visit_id=["1", "2", "2", "4"], clinic_id=["C1", "C2", "C9", "C1"],
                       booked=["2026-06-01", "2026-06-02", "2026-06-03", "2026-07-04"])
    report = assess_quality(loaded(frame), table="visits", key="visit_id", as_of=AS_OF,
                            references={"clinic_id": {"path": str(parent), "column": "clinic_id"}},
                            run_expectations=False)
    codes = {f.code for f in report.result.findings}
    assert {"DQ_DUPLICATE_KEY", "DQ_ORPHAN_REFERENCE", "DQ_FUTURE_DATE"} <= codes
    assert report.result.stage == "quality" and report.result.subject == "visits"
    assert report.result.verdict == "needs_work"  # errors block "ready" whatever the score
    assert report.result.metrics["rows"] == 4 and report.result.metrics["orphan_rows"] == 1
    assert report.result.sorted_findings()[0].severity == "error"
    assert report.expectations.empty and report.suite == {}
    assert report.headline.startswith("The table can be used after fixes") and "3 blocking issues" in report.headline
    assert report.cards["Rows"] == 4 and report.cards["Errors"] == 3
    saved = quality.save_report(report, tmp_path / "out")
    assert json.loads(saved["result"].read_text(encoding="utf-8"))["subject"] == "visits"
    assert "suite" not in saved


def test_tiny_shares_are_not_shown_as_zero_percent() -> None:
    from readiness.quality.checks import _pct

    assert _pct(25 / 59_913) == "<0.1%"
    assert _pct(0.0) == "0.0%"
    assert _pct(0.125) == "12.5%"
