"""Tests for the Great Expectations suite builder and validator, on tiny frames with known answers."""

from __future__ import annotations

import json
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from readiness.errors import ConfigError
from readiness.quality.expectations import (
    EMAIL_REGEX,
    PHONE_REGEX,
    RESULT_COLUMNS,
    build_suite,
    suite_json,
    validate_suite,
)
from readiness.sources.gx import error_message, quiet

AS_OF = date(2026, 6, 30)
BAD_EMAIL = "jane.doe.example.com"
TYPES = {
    "appointment_id": "identifier", "customer_id": "identifier", "duration_min": "number",
    "price": "number", "email": "email", "phone": "phone", "starts_at": "date", "notes": "free_text",
}


def _frame(text: str = "string[pyarrow]") -> pd.DataFrame:
    """10 rows: 2 empty keys, one key used twice, 2 durations outside 10..180, one orphan customer,
    one bad email, one date after AS_OF, latest date 2026-07-02."""
    return pd.DataFrame({
        "appointment_id": pd.array(["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a7", None, None], dtype=text),
        "customer_id": pd.array(["c1", "c2", "c3", "c1", "c2", "c3", "c1", "c2", "c3", "c9"], dtype=text),
        "duration_min": [30.0, 45.0, 5.0, 60.0, 200.0, 30.0, 30.0, 45.0, 60.0, 10.0],
        "price": [40.0, 55.0, 20.0, 60.0, 80.0, 40.0, 40.0, 55.0, 60.0, 25.0],
        "email": pd.array(["ann@clinic.ie", BAD_EMAIL, "bo@mail.com", "cy@mail.com", "di@mail.com",
                           "ed@mail.com", "fi@mail.com", "gu@mail.com", "ho@mail.com", None], dtype=text),
        "phone": pd.array(["+353 1 234 5678"] * 9 + [None], dtype=text),
        "starts_at": pd.to_datetime(["2026-06-01 09:00", "2026-06-02 10:00", "2026-06-30 23:30",
                                     "2026-07-02 08:00", "2026-06-10 09:00", "2026-06-11 09:00",
                                     "2026-06-12 09:00", "2026-06-13 09:00", "2026-06-14 09:00", None]),
        "notes": pd.array(["ok"] * 10, dtype=text),
    })


def _suite(**overrides) -> dict:
    options = {"table": "appointments", "semantic_types": TYPES, "key": "appointment_id",
               "rules": [{"column": "duration_min", "expect": "between", "min": 10, "max": 180}],
               "reference_keys": {"customer_id": ["c1", "c2", "c3", None, "c1"]}, "as_of": AS_OF,
               "freshness_days": 30, "date_columns": ["starts_at"]}
    return build_suite(**{**options, **overrides})


@pytest.fixture(scope="module")
def report() -> pd.DataFrame:
    return validate_suite(_frame(), _suite())


def _row(report: pd.DataFrame, expectation: str, column: str | None, origin: str) -> pd.Series:
    same_column = report.column.isna() if column is None else report.column == column
    rows = report[(report.expectation == expectation) & same_column & (report.origin == origin)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- build_suite -----------------------------------------------------------------------------

def test_suite_lists_expectations_by_origin_in_order():
    suite = _suite()
    assert suite["name"] == "appointments_quality"
    origins = [e["meta"]["origin"] for e in suite["expectations"]]
    assert origins == ["table", "table", "key", "key", "reference", "rule"] + ["profile"] * 6
    profile = [(e["type"], e["kwargs"]["column"]) for e in suite["expectations"][6:]]
    # appointment_id's not-null check is the key's, so the profile does not repeat it.
    assert profile == [
        ("expect_column_values_to_not_be_null", "customer_id"),
        ("expect_column_values_to_be_between", "price"),
        ("expect_column_values_to_match_regex", "email"),
        ("expect_column_values_to_match_regex", "phone"),
        ("expect_column_values_to_be_between", "starts_at"),
        ("expect_column_max_to_be_between", "starts_at"),
    ]
    assert all(e["meta"]["description"] for e in suite["expectations"])


def test_suite_states_dates_and_sets_plainly():
    by_type = {(e["type"], e["meta"]["origin"]): e for e in _suite()["expectations"]}
    future = by_type[("expect_column_values_to_be_between", "profile")]
    assert future["kwargs"] == {"column": "starts_at", "max_value": "2026-07-01T00:00:00", "strict_max": True}
    fresh = by_type[("expect_column_max_to_be_between", "profile")]
    assert fresh["kwargs"]["min_value"] == "2026-05-31T00:00:00"
    reference = by_type[("expect_column_values_to_be_in_set", "reference")]
    assert reference["kwargs"]["value_set"] == ["c1", "c2", "c3"]
    key = by_type[("expect_column_values_to_not_be_null", "key")]
    assert key["meta"]["description"] == "appointment_id (the table's key) is never empty"


def test_numeric_reference_keys_are_compared_as_numbers():
    frame = pd.DataFrame({"clinic_id": [1.0, 2.0, 7.0, np.nan]})
    suite = build_suite(table="visits", semantic_types={"clinic_id": "number"}, key=None, rules=[],
                        reference_keys={"clinic_id": ["1", "2", "2", "x"]}, as_of=AS_OF, freshness_days=30,
                        date_columns=[])
    reference = suite["expectations"][2]
    assert reference["kwargs"]["value_set"] == [1.0, 2.0]
    row = validate_suite(frame, suite).iloc[2]
    assert (row.origin, row.unexpected_count) == ("reference", 1)


def test_amount_names_are_recognised_by_whole_words():
    types = {name: "number" for name in ["unitPrice", "total_fee", "vat", "subtotal", "feedback_score",
                                         "private_rooms", "visits"]}
    suite = build_suite(table="t", semantic_types=types, key=None, rules=[], reference_keys={},
                        as_of=AS_OF, freshness_days=30, date_columns=[])
    amounts = [e["kwargs"]["column"] for e in suite["expectations"] if e["meta"]["origin"] == "profile"]
    assert amounts == ["unitPrice", "total_fee", "vat", "subtotal"]


def test_date_rule_with_date_only_bounds_covers_the_whole_last_day():
    rule = {"column": "starts_at", "expect": "between", "min": date(2026, 6, 1), "max": "2026-06-30",
            "mostly": 0.9}
    suite = _suite(rules=[rule])
    kwargs = next(e["kwargs"] for e in suite["expectations"] if e["meta"]["origin"] == "rule")
    assert kwargs == {"column": "starts_at", "min_value": "2026-06-01T00:00:00",
                      "max_value": "2026-07-01T00:00:00", "strict_max": True, "mostly": 0.9}


@pytest.mark.parametrize("bad, fragment", [
    ({"key": "id"}, "key names column 'id'"),
    ({"rules": [{"column": "nope", "expect": "unique"}]}, "rules[0] names column 'nope'"),
    ({"rules": [{"column": "price", "expect": "positive"}]}, "expect: 'positive'"),
    ({"rules": [{"column": "price", "expect": "between"}]}, "needs min or max"),
    ({"rules": [{"column": "price", "expect": "unique", "mostly": 5}]}, "mostly: 5"),
    ({"rules": [{"column": "notes", "expect": "in_set", "values": "ok"}]}, "give a list"),
    ({"reference_keys": {"client": ["c1"]}}, "references names column 'client'"),
    ({"as_of": "30/06/2026"}, "as_of is '30/06/2026'"),
])
def test_bad_configuration_is_named(bad, fragment):
    with pytest.raises(ConfigError, match="appointments") as caught:
        _suite(**bad)
    assert fragment in str(caught.value)


def test_suite_round_trips_through_great_expectations():
    import great_expectations as gx

    gx.get_context(mode="ephemeral")
    suite = _suite(rules=[{"column": "duration_min", "expect": "between", "min": 10, "max": 180},
                          {"column": "notes", "expect": "in_set", "values": ["ok", "late"]},
                          {"column": "phone", "expect": "matches", "pattern": r"^\+", "mostly": 0.5}])
    loaded = gx.ExpectationSuite(**json.loads(suite_json(suite)))
    assert len(loaded.expectations) == len(suite["expectations"])
    exported = loaded.to_json_dict()
    assert exported["name"] == suite["name"]
    back = [{k: e[k] for k in ("type", "kwargs", "meta")} for e in exported["expectations"]]
    assert back == suite["expectations"]


# --- validate_suite --------------------------------------------------------------------------

def test_report_has_one_row_per_expectation_in_suite_order(report):
    suite = _suite()
    assert list(report.columns) == RESULT_COLUMNS
    assert list(report.expectation) == [e["type"] for e in suite["expectations"]]
    assert report.error.isna().all(), report.error.tolist()


def test_table_checks(report):
    rows = _row(report, "expect_table_row_count_to_be_between", None, "table")
    assert (rows.success, rows.observed) == (True, "10")
    columns = _row(report, "expect_table_columns_to_match_set", None, "table")
    assert (columns.success, columns.observed) == (True, "8 columns")


def test_key_checks_count_empty_and_repeated_keys(report):
    not_null = _row(report, "expect_column_values_to_not_be_null", "appointment_id", "key")
    assert (not_null.success, not_null.unexpected_count, not_null.unexpected_percent) == (False, 2, 20.0)
    unique = _row(report, "expect_column_values_to_be_unique", "appointment_id", "key")
    # Both rows sharing "a7" are unexpected; the share is of the 8 filled keys.
    assert (unique.success, unique.unexpected_count, unique.unexpected_percent) == (False, 2, 25.0)


def test_rule_between_counts_two_violations(report):
    rule = _row(report, "expect_column_values_to_be_between", "duration_min", "rule")
    assert (rule.success, rule.unexpected_count, rule.unexpected_percent) == (False, 2, 20.0)


def test_reference_finds_the_orphan(report):
    reference = _row(report, "expect_column_values_to_be_in_set", "customer_id", "reference")
    assert (reference.success, reference.unexpected_count) == (False, 1)


def test_email_regex_flags_the_bad_address(report):
    email = _row(report, "expect_column_values_to_match_regex", "email", "profile")
    assert (email.success, email.unexpected_count) == (False, 1)
    assert email.unexpected_percent == pytest.approx(100 / 9)
    phone = _row(report, "expect_column_values_to_match_regex", "phone", "profile")
    assert (phone.success, phone.unexpected_count) == (True, 0)


def test_amounts_and_identifiers_pass_on_clean_columns(report):
    assert _row(report, "expect_column_values_to_be_between", "price", "profile").success
    assert _row(report, "expect_column_values_to_not_be_null", "customer_id", "profile").success


def test_future_date_is_counted_but_late_evening_of_as_of_is_not(report):
    future = _row(report, "expect_column_values_to_be_between", "starts_at", "profile")
    assert (future.success, future.unexpected_count) == (False, 1)


@pytest.mark.parametrize("freshness_days, success", [(30, True), (3, False)])
def test_freshness_compares_the_latest_date(freshness_days, success):
    frame = _frame().assign(starts_at=pd.to_datetime(["2026-06-01"] * 8 + ["2026-06-20", None]))
    report = validate_suite(frame, _suite(freshness_days=freshness_days))
    fresh = _row(report, "expect_column_max_to_be_between", "starts_at", "profile")
    assert (fresh.success, fresh.observed, fresh.error) == (success, "2026-06-20 00:00:00", None)
    assert fresh.unexpected_count is None


def test_no_raw_cell_value_reaches_the_report(report):
    text = report.to_json()
    for value in [BAD_EMAIL, "ann@clinic.ie", "+353 1 234 5678", "a7", "c9", "200.0"]:
        assert value not in text


def test_an_expectation_gx_cannot_evaluate_reports_an_error_not_a_crash():
    suite = _suite(rules=[{"column": "email", "expect": "between", "min": 0, "max": 10}])
    report = validate_suite(_frame(), suite)
    rule = _row(report, "expect_column_values_to_be_between", "email", "rule")
    assert not rule.success
    assert isinstance(rule.error, str) and rule.error
    assert BAD_EMAIL not in rule.error
    # The other expectations are still evaluated.
    assert _row(report, "expect_column_values_to_not_be_null", "appointment_id", "key").unexpected_count == 2
    assert _row(report, "expect_table_row_count_to_be_between", None, "table").success


def test_changed_columns_are_named_in_observed():
    frame = _frame().drop(columns=["notes"]).assign(extra=1.0)
    report = validate_suite(frame, _suite())
    columns = _row(report, "expect_table_columns_to_match_set", None, "table")
    assert (columns.success, columns.observed) == (False, "missing: notes; unexpected: extra")


def test_suite_json_is_indented_and_loads_back():
    suite = _suite()
    text = suite_json(suite)
    assert text.startswith('{\n  "name": "appointments_quality"')
    assert json.loads(text) == suite


def test_python_and_arrow_strings_give_the_same_report(report):
    pd.testing.assert_frame_equal(validate_suite(_frame("string[python]"), _suite()), report)


def test_validation_leaves_the_callers_frame_untouched():
    frame = _frame()
    before = frame.copy()
    validate_suite(frame, _suite())  # "notes" has no expectation and is swapped out internally
    pd.testing.assert_frame_equal(frame, before)


def test_an_unknown_expectation_type_is_reported_per_row():
    suite = _suite()
    suite["expectations"].append({"type": "expect_column_values_to_be_lovely", "kwargs": {"column": "notes"},
                                  "meta": {"origin": "rule", "description": "notes are lovely"}})
    report = validate_suite(_frame(), suite)
    last = report.iloc[-1]
    assert (last.expectation, last.success) == ("expect_column_values_to_be_lovely", False)
    assert "rejected" in last.error
    assert report.iloc[:-1].error.isna().all()


@pytest.mark.parametrize("text, ok", [
    ("ann@clinic.ie", True), ("a.b+c@mail.co.uk", True), (BAD_EMAIL, False), ("ann@clinic", False),
    ("ann @clinic.ie", False), ("ann@@clinic.ie", False),
])
def test_email_pattern(text, ok):
    assert (re.search(EMAIL_REGEX, text) is not None) == ok


@pytest.mark.parametrize("text, ok", [
    ("+353 1 234 5678", True), ("(01) 234-5678", True), ("087.123.4567", True), ("2345", False),
    ("call me", False), ("+353 1 234 5678 ext 12", False), ("1234567890123456", False),
])
def test_phone_pattern(text, ok):
    assert (re.search(PHONE_REGEX, text) is not None) == ok


def test_error_messages_lose_quoted_text():
    info = {"MetricConfigurationID(metric_name='column_values.between.condition')": {
        "raised_exception": True, "exception_traceback": "...",
        "exception_message": f"could not convert string to float: '{BAD_EMAIL}'\nmore detail"}}
    assert error_message(info) == "could not convert string to float: '...'"
    assert error_message({"raised_exception": False, "exception_message": None}) is None


def test_a_parent_with_more_keys_than_the_suite_holds_is_left_to_the_orphan_check():
    from readiness.quality.expectations import MAX_SUITE_KEYS

    def reference_sets(keys: list) -> list:
        suite = _suite(reference_keys={"customer_id": keys})
        return [e["kwargs"]["value_set"] for e in suite["expectations"] if e["meta"]["origin"] == "reference"]

    at_limit = [f"c{i}" for i in range(MAX_SUITE_KEYS)]
    assert [len(s) for s in reference_sets(at_limit)] == [MAX_SUITE_KEYS]
    assert reference_sets([*at_limit, "one more"]) == []


def test_a_long_value_set_gives_the_same_result_as_great_expectations_on_the_set(monkeypatch) -> None:
    """More than LONG_SET parent keys are checked through a membership flag: same rows fail, same counts."""
    from readiness.sources import gx as gx_module

    keys = [f"C{i:05d}" for i in range(1_500)]
    values = [keys[i % 1_500] for i in range(4_000)]
    values[7], values[99], values[3_000] = "X1", "X2", "X1"  # three orphans
    values[5] = values[6] = None  # nulls are not counted
    frame = pd.DataFrame({"customer_id": pd.array(values, dtype="string[pyarrow]"), "n": range(4_000)})
    suite = {"name": "visits", "expectations": [
        {"type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": ["customer_id", "n"]}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "customer_id", "value_set": keys}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "customer_id"}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "customer_id", "value_set": keys,
                                                                 "mostly": 0.99}},
    ]}
    flagged = gx_module.validate_frame(frame, suite)
    monkeypatch.setattr(gx_module, "LONG_SET", 10**9)  # every set sent to GX as it is
    direct = gx_module.validate_frame(frame, suite)
    pd.testing.assert_frame_equal(flagged, direct)
    assert flagged["success"].tolist() == [True, False, False, True]
    assert flagged["unexpected_count"].tolist()[1:] == [3, 2, 3]
    assert flagged.loc[1, "unexpected_percent"] == pytest.approx(3 / 3_998 * 100)


def test_validation_never_fingerprints_the_batch(monkeypatch):
    """GX hashes every cell of a pandas batch for a marker we never keep, each time it loads the batch
    (once for the batch, once more inside ``validate``): neither load may hash, and GX's threshold is
    restored afterwards. The results are those of the module's validation."""
    from great_expectations.execution_engine import pandas_execution_engine as engine

    hashed = []
    monkeypatch.setattr(engine, "hash_pandas_dataframe", lambda df: hashed.append(len(df)) or "x")
    threshold = engine.HASH_THRESHOLD
    found = validate_suite(_frame(), _suite())
    assert hashed == []
    assert engine.HASH_THRESHOLD == threshold > 0
    with quiet():  # the spy sees GX's own hash of a batch loaded without our guard
        import great_expectations as gx

        asset = (gx.get_context(mode="ephemeral").data_sources.add_or_update_pandas(name="probe")
                 .add_dataframe_asset(name="probe"))
        asset.add_batch_definition_whole_dataframe("whole").get_batch(batch_parameters={"dataframe": _frame()})
    assert hashed == [10]
    pd.testing.assert_frame_equal(found, validate_suite(_frame(), _suite()))


def test_validation_never_copies_the_whole_frame_for_a_column_check(monkeypatch):
    """GX keeps a column's filled rows as ``df[df[column].notnull()]`` before each column check, which
    deep-copies every column of the batch (the whole frame again when the column has no nulls). Under
    copy-on-write, which our validation turns on, none of those copies is deep; without it there are
    several. The results are the same either way."""
    import contextlib

    from pandas.core.internals.managers import BlockManager

    from readiness.sources import gx as ours

    deep_copies = []
    copy = BlockManager.copy

    def spy(self, deep=True):
        resolved = deep if deep is not None else not pd.get_option("mode.copy_on_write")
        if resolved and self.ndim == 2 and self.shape[0] == len(_frame().columns):
            deep_copies.append(self.shape)
        return copy(self, deep=deep)

    monkeypatch.setattr(BlockManager, "copy", spy)
    found = validate_suite(_frame(), _suite())
    assert deep_copies == []
    assert pd.get_option("mode.copy_on_write") is False  # restored
    monkeypatch.setattr(ours, "lazy_copies", contextlib.nullcontext)
    again = validate_suite(_frame(), _suite())
    assert len(deep_copies) >= 3  # one per column check at least: what the guard saves
    pd.testing.assert_frame_equal(found, again)
