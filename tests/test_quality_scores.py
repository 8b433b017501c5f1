"""Each data-quality score formula on a small table computed by hand, and the verdict."""

from __future__ import annotations

import pandas as pd
import pytest

from readiness.quality import QualityScores, profile_table, quality_scores, quality_verdict
from readiness.quality.scores import completeness, consistency, timeliness, uniqueness, validity
from readiness.results import Finding

S = pd.StringDtype("pyarrow")
AS_OF = "2026-06-30"


def text_frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype=S) for name, values in columns.items()})


def test_completeness_counts_empty_blank_and_token_cells():
    frame = text_frame(a=["1", "", "3", "4"], b=["x", " ", "y", "z"], c=["N/A", "p", "q", "r"])
    assert completeness(profile_table(frame)) == pytest.approx(100 * (1 - 3 / 12))  # 75.0


def test_validity_counts_bad_numbers_dates_emails_and_amounts():
    frame = text_frame(
        fee=["10", "0", "-3", "12", "15", "20", "25", "30", "35", "40"],  # 2 not positive
        email=[f"p{i}@clinic.ie" for i in range(9)] + ["p9-at-clinic.ie"],  # 1 malformed
        visit=["2026-01-0" + str(i) for i in range(1, 9)] + ["2026-02-30", "2027-01-01"],  # 1 unreadable, 1 future
        note=["a", "b"] * 5,  # not a typed column: not checked
    )
    profile = profile_table(frame, as_of=AS_OF, date_columns=["visit"])
    assert validity(profile) == pytest.approx(100 * (1 - 5 / 30))
    # a rule with 2 failures on `note` adds its 10 cells to the checked ones
    assert validity(profile, extra_invalid={"note": 2}) == pytest.approx(100 * (1 - 7 / 40))


def test_uniqueness_is_the_union_of_duplicate_key_and_near_duplicate_rows():
    frame = text_frame(
        id=["1", "2", "2", "3", "3", "4", "5", "6"],
        name=["Ann", "Bob", "Bob", "Cat", "Dan", "ann ", "Eve", "Fay"],
        city=["Cork", "Galway", "Galway", "Dublin", "Sligo", "cork", "Cork", "Cork"],
    )
    # redundant: row 3 (exact copy, also a repeated key), row 5 (repeated key), row 6 (near copy of row 1)
    assert uniqueness(profile_table(frame, key="id")) == pytest.approx(100 * (1 - 3 / 8))


def test_consistency_counts_off_shape_off_format_and_non_plain_numbers():
    frame = text_frame(
        phone=["087 123 4567"] * 8 + ["+353 87 123 4567", "+353 86 123 4567"],  # 2 off the dominant shape
        visit=["2026-01-0" + str(i) for i in range(1, 10)] + ["05/03/2026"],  # 1 off the dominant format
        amount=[str(i) for i in range(9)] + ["1,234"],  # 1 number that is not plain
        tier=["gold", "silver"] * 5,  # not checked
    )
    profile = profile_table(frame)
    assert profile.columns["amount"].semantic_type == "number_as_text"
    assert consistency(profile) == pytest.approx(100 * (1 - 4 / 30))


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["2026-05-01"] * 9 + ["2026-07-02"], 100 * (1 - 0.1) * 1.0),  # 60 days old, 1 in 10 future
        (["2026-01-01", "2025-12-01"], 100 * (1 - (180 - 90) / 270)),  # 180 days old
        (["2025-01-01", "2025-06-01"], 0.0),  # 394 days old: beyond 4 x 90
    ],
)
def test_timeliness(dates, expected):
    profile = profile_table(text_frame(visit=dates), as_of=AS_OF)
    assert timeliness(profile, freshness_days=90) == pytest.approx(expected)


def test_overall_is_the_mean_of_available_dimensions():
    frame = text_frame(a=["1", "", "3", "4"], b=["x", "y", "z", "w"])
    scores = quality_scores(profile_table(frame, as_of=AS_OF))
    assert scores.timeliness is None
    assert scores.completeness == pytest.approx(87.5)
    assert scores.overall == pytest.approx((87.5 + 100 + 100 + 100) / 4)
    assert scores.as_dict()["completeness"] == 87.5


def scores(overall: float) -> QualityScores:
    return QualityScores(overall, overall, overall, overall, None, overall)


@pytest.mark.parametrize(
    ("overall", "severity", "verdict"),
    [(90, None, "ready"), (90, "warning", "ready"), (90, "error", "needs_work"), (85, None, "ready"),
     (84.9, None, "needs_work"), (60, None, "needs_work"), (59.9, None, "not_ready"), (40, "error", "not_ready")],
)
def test_verdict(overall, severity, verdict):
    found = [Finding(severity, "DQ_X", "m")] if severity else []
    assert quality_verdict(scores(overall), found) == verdict
