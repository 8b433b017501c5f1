"""Leaks that survive the single-feature screen block the verdict; dates after a row's own date are left out.

Built from data shaped like a hotel's bookings: the outcome (``is_canceled``) is copied by a status
column, a status date is written when the booking ends, the arrival date is spread over year,
month and day columns, and the week number is a small-range integer named like an id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from readiness.feasibility import assess_feasibility
from readiness.feasibility.data import composite_event_date
from readiness.results import POSITIVE_VERDICTS

TEXT = pd.StringDtype("pyarrow")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(str).astype(TEXT)


def hotel_bookings(n: int = 3000, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arrival = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    lead = rng.integers(0, 300, n)
    deposit = rng.choice(["No Deposit", "Non Refund", "Refundable"], n, p=[0.8, 0.15, 0.05])
    risk = 0.15 + 0.25 * (lead > 120) + 0.35 * (deposit == "Non Refund")
    canceled = (rng.random(n) < risk).astype(int)
    stay = rng.integers(1, 8, n)
    status_date = np.where(canceled == 1, arrival - pd.to_timedelta(rng.integers(1, 60, n), unit="D"),
                           arrival + pd.to_timedelta(stay, unit="D"))
    status = np.where(canceled == 1, rng.choice(["Canceled", "No-Show"], n, p=[0.95, 0.05]), "Check-Out")
    return _text(pd.DataFrame({
        "hotel": rng.choice(["Resort Hotel", "City Hotel"], n), "is_canceled": canceled, "lead_time": lead,
        "arrival_date_year": arrival.year, "arrival_date_month": [MONTHS[m - 1] for m in arrival.month],
        "arrival_date_week_number": arrival.isocalendar().week.to_numpy(), "arrival_date_day_of_month": arrival.day,
        "stays_in_week_nights": stay, "adults": rng.integers(1, 4, n), "deposit_type": deposit,
        "adr": np.round(rng.normal(100, 30, n), 2), "reservation_status": status,
        "reservation_status_date": pd.to_datetime(status_date).strftime("%Y-%m-%d"),
    }))


def test_the_arrival_date_is_read_from_its_year_month_and_day_columns() -> None:
    frame = hotel_bookings(50)
    name, dates = composite_event_date(frame)
    assert name == "arrival_date"
    assert dates.iloc[0] == pd.Timestamp(f"{frame['arrival_date_year'].iloc[0]}-"
                                         f"{MONTHS.index(frame['arrival_date_month'].iloc[0]) + 1:02d}-"
                                         f"{int(frame['arrival_date_day_of_month'].iloc[0]):02d}")


def test_hotel_leaks_are_found_and_the_week_number_is_a_feature() -> None:
    report = assess_feasibility(hotel_bookings(), use_case="cancel", target="is_canceled", time_budget_s=20, seed=3)
    found = {(f.code, f.column) for f in report.result.findings}
    assert ("FEAS_LABEL_LEAKAGE", "reservation_status") in found  # copies the outcome
    assert ("FEAS_POST_OUTCOME_FEATURE", "reservation_status_date") in found  # written after the arrival
    excluded = report.result.metrics["excluded"]
    assert excluded["reservation_status_date"] == "recorded after the outcome"
    assert "arrival_date_week_number" not in excluded  # 1-53 is a number, not an identifier
    assert "arrival_date_week_number" in report.result.metrics["features"]
    assert not any(f.code == "FEAS_IDENTIFIER_ASSOCIATION" for f in report.result.findings)
    # a leak found and excluded is an error: the verdict is never go beside it
    assert report.result.verdict not in POSITIVE_VERDICTS


def combination_leak(n: int = 2000, seed: int = 5) -> pd.DataFrame:
    """The outcome is whether one figure exceeds another: neither alone gives it away, together they do."""
    rng = np.random.default_rng(seed)
    paid, billed = rng.random(n), rng.random(n)
    return _text(pd.DataFrame({"paid": paid.round(4), "billed": billed.round(4), "noise": rng.random(n).round(4),
                               "segment": rng.choice(["a", "b", "c"], n), "settled": (paid >= billed).astype(int)}))


def test_a_leak_that_survives_the_screen_blocks_the_verdict_and_names_its_suspects() -> None:
    report = assess_feasibility(combination_leak(), use_case="settled", target="settled", time_budget_s=20)
    m = report.result.metrics
    assert m["single_feature"][0]["score"] < 0.95  # no single column is caught by the screen
    assert m["leakage_suspected"] is True and report.result.verdict == "not_yet"
    suspect = next(f for f in report.result.findings if f.code == "FEAS_LEAKAGE_SUSPECT")
    assert suspect.severity == "error"
    ranked = [s["feature"] for s in m["leak_suspects"]]
    assert set(ranked[:2]) == {"paid", "billed"}
    assert m["leak_suspects"][0]["adds"] > m["leak_suspects"][-1]["adds"] >= 0
    # nothing downstream is valued on a model that sees the answer
    assert m["threshold"] is None and m["confusion_matrix"] is None
    assert report.predictions.empty


@pytest.mark.parametrize("verdict", sorted(POSITIVE_VERDICTS))
def test_no_positive_verdict_beside_an_error(verdict: str) -> None:
    from readiness.results import Finding, StageResult, consistent_verdict

    error = [Finding("error", "X_ERROR", "something blocks")]
    capped = consistent_verdict(verdict, error)
    assert capped not in POSITIVE_VERDICTS
    result = StageResult("s", "x", verdict, 90.0, findings=error)
    assert result.to_dict()["verdict"] == capped == result.shown_verdict
    assert consistent_verdict(verdict, [Finding("warning", "X_WARN", "lowers trust")]) == verdict


def test_a_group_column_damaged_by_a_spreadsheet_is_an_error_and_no_go(tmp_path) -> None:
    from readiness.tables import load_table
    from shapes import clinic_appointments

    loaded = load_table(clinic_appointments(tmp_path / "appointments.csv"))
    report = assess_feasibility(loaded, use_case="no_show", target="No-show", group_column="PatientId",
                                time_budget_s=10)
    damaged = [f for f in report.result.findings if f.code == "FEAS_GROUP_COLUMN_DAMAGED"]
    assert [(f.severity, f.column, f.evidence["kind"]) for f in damaged] == [
        ("error", "PatientId", "scientific_notation")]
    assert damaged[0].evidence["rows"] == len(loaded.frame)
    assert "E+1" not in damaged[0].message.replace("*****E+1", "")  # examples masked
    assert report.result.verdict not in POSITIVE_VERDICTS
