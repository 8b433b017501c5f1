"""Detection of what a notebook was not told: keys, outcomes, protected attributes, time and group columns."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE_DIR
from readiness.ethics.protected import detect_protected
from readiness.profiling.detect import (
    detect_dates,
    detect_key,
    detect_personal,
    detect_targets,
    group_candidates,
    positive_class,
    row_id_column,
    time_candidates,
)
from readiness.quality import assess_quality, profile_and_type, profile_table
from readiness.quality.entry import assess_from_params
from readiness.quality.params import QualityParams
from readiness.tables import load_table

TEXT = pd.StringDtype("pyarrow")


def _frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series([None if v is None else str(v) for v in vals], dtype=TEXT)
                         for k, vals in columns.items()})


def test_a_key_is_named_like_an_id_and_nearly_distinct() -> None:
    ids = [f"C{i:04d}" for i in range(100)]
    frame = _frame(visits=[i % 7 for i in range(100)], customer_id=ids[:97] + ids[:3], name=["x"] * 100)
    found = detect_key(profile_table(frame), table="customers")
    assert found is not None and found.column == "customer_id"
    assert "97.0%" in found.reason


def test_repeating_ids_small_integers_and_decimals_are_not_keys() -> None:
    frame = _frame(customer_id=[i % 40 for i in range(100)],  # a reference, not a key
                   week_number=[1 + i % 53 for i in range(100)],
                   amount=[f"{i}.5" for i in range(100)])
    assert detect_key(profile_table(frame)) is None


def test_an_unnamed_first_column_distinct_on_every_row_is_the_key() -> None:
    frame = _frame(n=list(range(1, 51)), colour=["red", "blue"] * 25)
    assert detect_key(profile_table(frame)).column == "n"
    frame = _frame(colour=["red", "blue"] * 25, n=list(range(1, 51)))  # not first: no claim without an id name
    assert detect_key(profile_table(frame)) is None


def test_the_table_name_breaks_a_tie_between_two_ids() -> None:
    n = 60
    frame = _frame(appointment_id=[f"A{i}" for i in range(n)], invoice_id=[f"I{i}" for i in range(n)])
    assert detect_key(profile_table(frame), table="invoices").column == "invoice_id"
    assert detect_key(profile_table(frame), table="appointments").column == "appointment_id"


def test_a_detected_key_counts_duplicates_as_a_given_key_does() -> None:
    loaded = load_table(SAMPLE_DIR / "customers.csv")
    detected = assess_quality(loaded, table="customers", as_of="2026-06-30", run_expectations=False, detect_key=True)
    given = assess_quality(loaded, table="customers", as_of="2026-06-30", run_expectations=False, key="customer_id")
    assert detected.profile.key == "customer_id"
    for attr in ("duplicate_key_rows", "near_duplicate_rows", "duplicate_rows", "redundant_rows"):
        assert getattr(detected.profile, attr) == getattr(given.profile, attr), attr
    assert detected.profile.columns["customer_id"].semantic_type == "identifier"
    assert detected.result.score == given.result.score
    assert [a.value for a in detected.assumed if a.parameter == "key"] == ["customer_id"]


@pytest.mark.parametrize(("table", "key", "dates", "personal"), [
    ("customers", "customer_id", ["date_of_birth", "registered_at"], ["full_name", "email", "phone", "date_of_birth"]),
    ("appointments", "appointment_id", ["booked_at", "starts_at"], []),
    ("invoices", "invoice_id", ["issued_on", "paid_on"], []),
    ("support_tickets", "ticket_id", ["opened_at", "resolved_at"], []),
])
def test_detection_recovers_what_the_sample_engagement_states(table: str, key: str, dates: list[str],
                                                              personal: list[str]) -> None:
    report = assess_from_params(QualityParams(data_path=str(SAMPLE_DIR / f"{table}.csv")), today=date(2026, 6, 30))
    assert report.result.subject == table
    assert report.profile.key == key
    assert detect_dates(report.profile) == dates
    assert sorted(detect_personal(report.profile)) == sorted(personal)
    assumed = {a.parameter: a.value for a in report.assumed}
    assert assumed["key"] == key and assumed["table"] == table and assumed["as_of"] == "2026-06-30"


def test_none_means_the_table_has_no_key() -> None:
    report = assess_from_params(QualityParams(data_path=str(SAMPLE_DIR / "customers.csv"), key="none",
                                              as_of="2026-06-30"))
    assert report.profile.key is None
    assert "key" not in {a.parameter for a in report.assumed}
    assert not {f.code for f in report.result.findings} & {"DQ_DUPLICATE_KEY", "DQ_NULL_KEY"}


def test_outcomes_are_named_like_outcomes_and_inputs_are_not() -> None:
    n = 40
    frame = _frame(reminder_sent=["true", "false"] * (n // 2), marketing_opt_in=["yes", "no"] * (n // 2),
                   no_show=["false"] * (n - 5) + ["true"] * 5, amount=list(range(n)))
    found = detect_targets(profile_table(frame))
    assert [d.column for d in found] == ["no_show"]
    frame = _frame(booking_status=(["Check-Out", "Canceled", "No-Show"] * 14)[:n], adults=[2] * n,
                   marital_status=(["single", "married", "divorced"] * 14)[:n])
    assert [d.column for d in detect_targets(profile_table(frame))] == ["booking_status"]


def test_the_last_two_valued_column_is_a_candidate_only_when_nothing_is_named_like_an_outcome() -> None:
    frame = _frame(age=list(range(30)), income=["<=50K", ">50K", "<=50K"] * 10)
    assert [d.column for d in detect_targets(profile_table(frame))] == ["income"]


def test_positive_class_is_yes_like_else_the_rarer() -> None:
    assert positive_class({"No": 5174, "Yes": 1869}) == ("Yes", "'Yes' reads as yes")
    assert positive_class({"<=50K": 24720, ">50K": 7841})[0] == ">50K"
    assert positive_class({"false": 10, "true": 90})[0] == "true"


def test_time_and_group_candidates() -> None:
    n = 200
    frame = _frame(booked_at=[f"2024-01-{1 + i % 20:02d}" for i in range(n)],
                   starts_at=[f"2024-02-{1 + i % 20:02d}" for i in range(n)],
                   date_of_birth=[f"19{50 + i % 40}-05-01" for i in range(n)],
                   customer_id=[f"C{i % 60}" for i in range(n)], site=["a", "b"] * (n // 2))
    profile = profile_table(frame)
    assert [d.column for d in time_candidates(profile)] == ["starts_at", "booked_at"]  # the later first
    assert [d.column for d in group_candidates(profile)] == ["customer_id"]
    assert row_id_column(profile) is None


@pytest.mark.parametrize(("columns", "expected"), [
    ({"gender": ["F", "M", "X"] * 20}, [("gender", "sex")]),
    ({"sexe": ["h", "f"] * 30}, [("sexe", "sex")]),
    ({"col7": ["Male", "Female"] * 30}, [("col7", "sex")]),  # by values alone
    ({"age": list(range(18, 78))}, [("age", "age")]),
    ({"account_age": list(range(60))}, []),  # not a person's age
    ({"age": ["young", "old"] * 30}, []),  # named like an age, but the values deny it
    ({"SeniorCitizen": [0, 1] * 30}, [("SeniorCitizen", "age")]),
    ({"native_country": ["Ireland", "France", "Spain"] * 20}, [("native_country", "nationality")]),
    ({"telephone": ["A191", "A192"] * 30}, []),
    ({"status": ["married", "single", "divorced"] * 20}, [("status", "marital_status")]),
])
def test_protected_attributes_from_names_checked_by_values(columns: dict, expected: list) -> None:
    profile, typed = profile_and_type(_frame(**columns))
    assert [(p.column, p.kind) for p in detect_protected(typed, profile)] == expected


def test_an_age_band_wins_over_a_date_of_birth_and_the_target_is_never_protected() -> None:
    n = 60
    frame = _frame(date_of_birth=[f"19{50 + i % 40}-05-01" for i in range(n)],
                   age_band=(["18-24", "25-34", "65+"] * n)[:n], gender=["F", "M"] * (n // 2))
    profile, typed = profile_and_type(frame)
    assert [p.column for p in detect_protected(typed, profile)] == ["age_band", "gender"]
    assert [p.column for p in detect_protected(typed, profile, exclude={"gender"})] == ["age_band"]


def test_fill_empty_columns_lets_boosting_fit_a_column_empty_in_training() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline

    from readiness.feasibility.models import FillEmptyColumns

    X = np.column_stack([np.arange(40.0), np.full(40, np.nan)])
    y = np.arange(40) % 2
    model = Pipeline([("fill", FillEmptyColumns()), ("model", HistGradientBoostingClassifier(max_iter=5))])
    model.fit(X, y)
    assert model.named_steps["fill"].empty_.tolist() == [False, True]
    later = np.array([[3.0, 7.0], [4.0, np.nan]])
    assert FillEmptyColumns().fit(X).transform(later)[:, 1].tolist() == [0.0, 0.0]
    assert np.isnan(FillEmptyColumns().fit(later).transform(later)[1, 1])  # a column with values keeps its NaN
