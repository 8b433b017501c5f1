"""Column profile: null accounting, semantic types, statistics, formats, duplicates, typed frame."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness.quality import profile_table, typed_frame
from readiness.quality.checks import run_checks

S = pd.StringDtype("pyarrow")
TELCO = Path(__file__).parents[2] / "shared/data/telco_customer_churn.csv"


def text_frame(**columns: list) -> pd.DataFrame:
    """A frame as the loader gives it for a text file: every column string[pyarrow], verbatim."""
    return pd.DataFrame({name: pd.Series(values, dtype=S) for name, values in columns.items()})


def semantic(values: list, name: str = "x", **options) -> str:
    return profile_table(text_frame(**{name: values}), **options).columns[name].semantic_type


def test_every_kind_of_null_is_counted_separately():
    col = profile_table(text_frame(x=["1", "", " ", "N/A", "null", "5", None, "NA "])).columns["x"]
    assert (col.missing, col.blank) == (2, 1)
    assert col.null_tokens == {"N/A": 1, "NA": 1, "null": 1}
    assert col.null_total == 6
    assert col.null_share == pytest.approx(6 / 8)
    assert col.distinct == 2


@pytest.mark.parametrize(
    ("values", "name", "expected"),
    [
        (["3", "1", "2", "4"], "customer_id", "identifier"),
        (["3.5", "1", "-2", "40", "7"], "amount", "number"),
        (["3.5", "1", " ", "40", "7"], "amount", "number_as_text"),
        (["1,234.50", "12.00", "7", "40", "8"], "amount", "number_as_text"),
        (["€12", "€7", "€40", "€8"], "amount", "number_as_text"),
        (["gold", "silver", "gold", "bronze", "gold", "silver"], "tier", "category"),
        (["2024-01-05", "2024-02-11", "2023-12-31", "2024-03-01"], "visit", "date"),
        (["2024-01-05", "05/02/2024", "2023-12-31", "3 Mar 2024"], "visit", "date_as_text"),
        (["05/01/2024", "11/02/2024", "31/12/2023", "01/03/2024"], "visit", "date_as_text"),
        (["a@b.ie", "c@d.com", "e@f.org", "g@h.net"], "contact", "email"),
        (["087 123 4567", "+353 86 765 4321", "01 234 5678", "085 111 2222"], "contact", "phone"),
        (["Yes", "No", "No", "Yes", "No"], "churn", "boolean"),
        (["0", "1", "1", "0"], "senior", "boolean"),
        (["0", "1", "1", "0"], "no_show", "boolean"),
        (["3", "1", "12", "4", "3"], "number_of_visits", "number"),
        (["C1", "C2", "C1", "C3", "C4"], "customer_id", "category"),  # a repeated reference to a key
        (["17", "21", "17", "30"], "clinic_code", "category"),
        (["EUR", "EUR", "EUR", ""], "currency", "constant"),
        (["", " ", "N/A", None], "left_blank", "empty"),
        (["Patient rang to move the booking to next week", "Arrived late, knee pain worse than last time",
          "No show, second time this month, call back", "Asked about the price of a block of six sessions"],
         "notes", "free_text"),
    ],
)
def test_semantic_types(values, name, expected):
    assert semantic(values, name) == expected


def test_key_is_an_identifier_and_named_dates_are_dates():
    assert semantic(["b", "a", "c", "a"], "ref_name", key="ref_name") == "identifier"
    assert semantic(["2024-01-05", "not a date", "2024-02-01"], "booked", date_columns=["booked"]) == "date"


def test_number_statistics_match_numpy_and_count_outliers():
    values = [str(v) for v in [1, 2, 2, 3, 4, 5, 6, 7, 8, 100]]
    col = profile_table(text_frame(fee=values)).columns["fee"]
    numbers = np.array([float(v) for v in values])
    assert (col.min, col.max, col.mean) == (1.0, 100.0, pytest.approx(numbers.mean()))
    expected = np.quantile(numbers, [0.05, 0.25, 0.5, 0.75, 0.95])
    assert list(col.quantiles.values()) == pytest.approx(list(expected))
    assert col.outliers == 1  # 100 > q3 + 3 x IQR = 7.75 + 3 x 5.5
    assert col.non_positive == 0


def test_number_as_text_counts_non_plain_and_unparseable_values():
    values = ["1,234.50", "12"] + [str(i) for i in range(40)] + ["ten"]
    col = profile_table(text_frame(amount=values)).columns["amount"]
    assert col.semantic_type == "number_as_text"
    assert (col.non_plain_numbers, col.non_numeric) == (2, 1)
    assert col.max == 1234.5


def test_decimal_comma_numbers():
    frame = text_frame(price=["1,5", "2,25", "10", "-0,5"])
    col = profile_table(frame, decimal=",").columns["price"]
    assert (col.semantic_type, col.min, col.max, col.non_positive) == ("number", -0.5, 10.0, 1)
    typed = typed_frame(frame, profile_table(frame, decimal=","), decimal=",")
    assert typed["price"].tolist() == [1.5, 2.25, 10.0, -0.5]


def test_date_formats_counted_and_each_value_parsed_with_its_own():
    frame = text_frame(visit=["2024-01-05", "05/02/2024", "2024-03-01", "2024-02-30", "", "31/12/2023"])
    profile = profile_table(frame, as_of="2024-02-29")
    col = profile.columns["visit"]
    assert col.date_formats == {"DD/MM/YYYY": 2, "YYYY-MM-DD": 2}
    assert col.unparseable_dates == 1  # 30 February
    assert col.future_dates == 1  # 2024-03-01
    assert col.latest_date == pd.Timestamp("2024-02-05")
    assert col.off_format == 3  # 2 in the other format + 1 unreadable, out of 5 filled
    typed = typed_frame(frame, profile)["visit"]
    assert str(typed.dtype) == "datetime64[ns]"
    assert typed.iloc[1] == pd.Timestamp("2024-02-05")
    assert typed.iloc[5] == pd.Timestamp("2023-12-31")
    assert typed.iloc[3:5].isna().all()


def test_slash_dates_read_month_first_only_when_the_values_say_so():
    col = profile_table(text_frame(d=["12/31/2023", "01/15/2024", "02/01/2024"]), date_columns=["d"]).columns["d"]
    assert col.date_formats == {"MM/DD/YYYY": 3}
    assert col.max == pd.Timestamp("2024-02-01")


def test_top_values_hidden_for_identifiers_and_free_text_masked_for_personal():
    frame = text_frame(
        customer_id=["c1", "c2", "c3", "c4"],
        email=["jane@example.com", "jane@example.com", "bob@shop.ie", "amy@shop.ie"],
        tier=["gold", "gold", "gold", "silver"],
    )
    cols = profile_table(frame).columns
    assert cols["customer_id"].top_values == []
    assert cols["email"].top_values[0] == ("j***@e***.com", 2)
    assert cols["email"].personal_kind == "email"
    assert cols["tier"].top_values == [("gold", 3), ("silver", 1)]
    shown = profile_table(frame).to_frame().to_string()
    assert "jane@example.com" not in shown and "bob@" not in shown


def test_formats_of_an_identifier():
    col = profile_table(text_frame(booking_id=["AB-1", "AB-2", "AB-33", "ab-4", "CD-5"])).columns["booking_id"]
    assert col.formats == {"aa-9": 4, "aa-99": 1}
    assert col.dominant_format_share == pytest.approx(0.8)
    assert col.off_format == 1


def test_duplicate_key_null_key_and_near_duplicate_rows():
    frame = text_frame(
        id=["1", "2", "2", "3", "3", "4", "", "5"],
        name=["Ann", "Bob", "Bob", "Cat", "Dan", "ann ", "Eve", "Fay"],
        city=["Cork", "Galway", "Galway", "Dublin", "Sligo", "CORK", "Cork", "Cork"],
    )
    profile = profile_table(frame, key="id")
    assert profile.duplicate_rows == 1  # row 3 repeats row 2 exactly
    assert profile.duplicate_key_rows == 2  # rows 3 and 5 reuse keys 2 and 3
    assert profile.null_key_rows == 1
    assert profile.near_duplicate_rows == 1  # row 6 is row 1 up to case and spaces
    assert profile.redundant_rows == 3


def test_typed_frame_types_and_nulls():
    frame = text_frame(amount=["12.5", " ", "N/A", "7"], tier=[" gold", "unknown", "", "silver"],
                       visit=["2024-01-01", "2024-01-02", "?", "2024-01-04"])
    typed = typed_frame(frame, profile_table(frame))
    assert typed["amount"].dtype == np.float64 and typed["amount"].isna().tolist() == [False, True, True, False]
    assert typed["tier"].dtype == S
    assert typed["tier"].tolist()[::3] == ["gold", "silver"] and typed["tier"].isna().sum() == 2
    assert typed["visit"].isna().tolist() == [False, False, True, False]


def test_typed_columns_from_xlsx_or_parquet():
    frame = pd.DataFrame({
        "visits": pd.Series([1, 2, None, 4], dtype="Int64"),
        "fee": [10.0, np.nan, 0.0, 5.5],
        "booked": pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-02-01"]),
        "active": [True, False, True, True],
        "tier": pd.Series(["a", None, "b", "a"], dtype=S),
    })
    profile = profile_table(frame, as_of=date(2024, 2, 15))
    types = profile.semantic_types
    assert types == {"visits": "number", "fee": "number", "booked": "date", "active": "boolean", "tier": "category"}
    assert profile.columns["visits"].null_total == 1 and profile.columns["fee"].non_positive == 1
    assert profile.columns["booked"].future_dates == 1
    typed = typed_frame(frame, profile)
    assert typed["visits"].dtype == np.float64 and typed["booked"].dtype == "datetime64[ns]"


def test_large_column_profiles_from_a_sample_but_counts_everything():
    values = [str(i) for i in range(30_000)] + [" "] * 3
    col = profile_table(text_frame(amount=values)).columns["amount"]
    assert col.semantic_type == "number_as_text"
    assert (col.blank, col.max) == (3, 29_999.0)


@pytest.fixture(scope="module")
def telco() -> pd.DataFrame:
    if not TELCO.exists():
        pytest.skip(f"reference data not available: {TELCO}")
    return pd.read_csv(TELCO, dtype="string[pyarrow]", keep_default_na=False)


def test_telco_total_charges_is_number_as_text_with_eleven_blanks(telco):
    profile = profile_table(telco, key="customerID")
    charges = profile.columns["TotalCharges"]
    assert (charges.semantic_type, charges.blank, charges.null_total) == ("number_as_text", 11, 11)
    assert profile.columns["MonthlyCharges"].semantic_type == "number"
    customer = profile.columns["customerID"]
    assert (customer.semantic_type, customer.unique_ratio) == ("identifier", 1.0)
    typed = typed_frame(telco, profile)
    assert "DQ_DUPLICATE_KEY" not in {f.code for f in run_checks(profile, typed)}


def test_profile_frame_shows_dates_without_midnight_clock_time() -> None:
    frame = pd.DataFrame({"visit_on": pd.Series(["2024-07-01", "2026-06-30", "2025-01-15"], dtype=S)})
    shown = profile_table(frame, date_columns=["visit_on"]).to_frame()
    assert shown.loc[0, "range"] == "2024-07-01 – 2026-06-30"


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_in_order_yields_every_result_in_order_holding_at_most_workers(workers):
    import threading
    import time

    from readiness.profiling.profile import in_order

    lock, running, most = threading.Lock(), [0], [0]

    def slow_square(i: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02 if i % 3 == 0 else 0.001)  # later items often finish first
        with lock:
            running[0] -= 1
        return i * i

    taken = []
    for value in in_order(slow_square, list(range(12)), workers=workers):
        taken.append(value)
    assert taken == [i * i for i in range(12)]
    assert most[0] <= workers


def test_in_order_raises_the_first_failing_items_error():
    from readiness.profiling.profile import in_order

    def fail_on_three(i: int) -> int:
        if i == 3:
            raise ValueError("three")
        return i

    seen = []
    with pytest.raises(ValueError, match="three"):
        for value in in_order(fail_on_three, list(range(6)), workers=2):
            seen.append(value)
    assert seen == [0, 1, 2]


@pytest.mark.parametrize(("share", "expected"), [("1", 1), ("2", 2), ("64", None), ("", None), ("x", None)])
def test_column_workers_follow_the_runs_share_of_the_cores(monkeypatch, share, expected):
    import os

    from readiness.profiling.profile import column_workers

    monkeypatch.setenv("OMP_NUM_THREADS", share)
    cores = len(os.sched_getaffinity(0))
    assert column_workers() == min(expected or cores, cores, 4) >= 1


def test_threads_give_the_same_profile_and_typed_frame(monkeypatch, telco):
    """Columns worked out two at a time: the same profile (every field) and typed frame as one at a time."""
    from dataclasses import asdict

    from readiness.profiling.profile import profile_and_type

    found = []
    for share in ("1", "2"):
        monkeypatch.setenv("OMP_NUM_THREADS", share)
        profile, typed = profile_and_type(telco, choose_key=lambda p: "customerID", date_columns=[])
        found.append((repr(asdict(profile)), typed))
    assert found[0][0] == found[1][0]
    pd.testing.assert_frame_equal(found[0][1], found[1][1])
    assert "'key': 'customerID'" in found[0][0]
