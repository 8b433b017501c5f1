"""Data-level bias (group base rates, disparate impact, missingness) and proxies, on hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mutual_info_score

from conftest import SHARED_DATA
from readiness.errors import ConfigError, DataError
from readiness.ethics.bias import (
    MISSING_GROUP,
    binary_target,
    choose_reference,
    group_rates,
    intersections,
    missingness_disparity,
    out_of_band,
    prepare_protected,
    quartile_edges,
    rates_from_counts,
)
from readiness.ethics.proxies import correlation_ratio, cramers_v, mutual_information, proxy_table


def _rates(**kw) -> pd.DataFrame:
    # a: 10 rows, 5 positive (0.5); b: 4 rows, 1 positive (0.25); missing: 2 rows, 2 positive
    groups = pd.Series(["a"] * 10 + ["b"] * 4 + [MISSING_GROUP] * 2)
    y = np.array([1] * 5 + [0] * 5 + [1, 0, 0, 0] + [1, 1], dtype=float)
    return group_rates(groups, y, attribute="x", **kw).set_index("group")


def test_hand_computed_group_metrics() -> None:
    t = _rates(min_group_size=5, n_boot=0)
    assert t.loc["a", "reference"] and not t.loc["b", "reference"]
    assert t.loc["b", "base_rate"] == 0.25
    assert t.loc["b", "disparate_impact"] == pytest.approx(0.5)
    assert t.loc["b", "statistical_parity_difference"] == pytest.approx(-0.25)
    assert t.loc[MISSING_GROUP, "disparate_impact"] == pytest.approx(2.0)
    assert t.loc["b", "small"] and not t.loc["a", "small"]
    assert t.loc["b", "share"] == pytest.approx(4 / 16)
    assert list(t.index) == ["a", "b", MISSING_GROUP]  # largest first, missing last


def test_named_reference_and_unknown_reference() -> None:
    t = _rates(reference="b", n_boot=0)
    assert t.loc["a", "disparate_impact"] == pytest.approx(2.0)
    with pytest.raises(ConfigError, match="closest is 'b'"):
        _rates(reference="B ", n_boot=0)


def test_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    first, again = _rates(n_boot=300, seed=7), _rates(n_boot=300, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert first.loc["a", "di_low"] == first.loc["a", "di_high"] == 1.0  # the reference against itself
    assert first.loc["b", "di_low"] <= 0.5 <= first.loc["b", "di_high"]
    assert first.loc["b", "spd_low"] < first.loc["b", "spd_high"]


def test_rates_from_counts_hand_computed() -> None:
    # c 40 rows, 10 positive (0.25); a 40 rows, 20 positive (0.5); b 8 rows, 6 positive (0.75); missing 60 rows
    counts = pd.DataFrame({"group": ["c", "a", "b", MISSING_GROUP, "a"], "rows": [40, 30, 8, 60, 10],
                           "positives": [10, 15, 6, 60, 5]})
    t = rates_from_counts(counts, attribute="x", min_group_size=10, n_boot=0).set_index("group")
    assert list(t.index) == ["a", "c", "b", MISSING_GROUP]  # by size (missing last), ties in name order
    assert t.loc["a", "reference"] and t["reference"].sum() == 1  # the largest known group; a before c by name
    assert t.loc["a", "rows"] == 40 and t.loc["a", "positives"] == 20  # the two rows of 'a' added up
    assert t.loc["c", "disparate_impact"] == 0.5 and t.loc["b", "disparate_impact"] == 1.5
    assert t.loc["c", "statistical_parity_difference"] == -0.25 and t.loc["b", "statistical_parity_difference"] == 0.25
    assert t.loc[MISSING_GROUP, "disparate_impact"] == 2.0  # the biggest group, never the reference
    assert t.loc["b", "share"] == 8 / 148 and list(t["small"]) == [False, False, True, False]
    named = rates_from_counts(counts, attribute="x", reference="b", n_boot=0).set_index("group")
    assert named.loc["b", "reference"] and named.loc["a", "disparate_impact"] == pytest.approx(2 / 3)
    assert np.isnan(named.loc["a", "di_low"])  # no resamples, no interval
    with pytest.raises(ConfigError, match="closest is 'b'"):
        rates_from_counts(counts, attribute="x", reference="B ", n_boot=0)
    with pytest.raises(DataError, match="no known value"):
        rates_from_counts(counts[counts["group"] == MISSING_GROUP], attribute="x")


def test_rates_from_counts_equal_group_rates_row_by_row() -> None:
    groups = pd.Series(["a"] * 10 + ["b"] * 4 + [MISSING_GROUP] * 2)
    y = np.array([1] * 5 + [0] * 5 + [1, 0, 0, 0] + [1, 1], dtype=float)
    counts = pd.DataFrame({"group": groups, "rows": 1, "positives": y})  # one count per row, in row order
    pd.testing.assert_frame_equal(rates_from_counts(counts, attribute="x", n_boot=300, seed=7),
                                  group_rates(groups, y, attribute="x", n_boot=300, seed=7), check_exact=True)


def test_quartile_edges_of_weighted_values_are_those_of_qcut() -> None:
    values = np.array([0.0, 3.5, 1.0, 7.25, 2.0, np.nan])
    weights = np.array([30, 1, 4, 9, 2, 5])
    repeated = pd.Series(np.repeat(values, weights))
    expected = repeated.dropna().quantile(np.linspace(0, 1, 5)).to_numpy()
    assert np.array_equal(quartile_edges(values, weights), expected)
    assert quartile_edges(np.array([1.0, 2.0, 10.0]), np.array([2, 1, 1])).tolist() == [1.0, 1.0, 1.5, 4.0, 10.0]
    # distinct values with their rows band exactly as the whole column does
    many = pd.Series(np.round(np.random.default_rng(3).lognormal(2, 1, 500), 1))
    many[many < 5] = 0.0  # a third tie at 0: two quartiles fall on 0, so one band is dropped
    whole, how = prepare_protected(many, name="income")
    counts = many.value_counts()
    labels, same_how = prepare_protected(pd.Series(counts.index), name="income", weights=counts.to_numpy())
    assert dict(zip(counts.index, labels, strict=True)) == dict(zip(many, whole, strict=False))
    assert whole.nunique() == 3 and how == same_how


def test_out_of_band_skips_small_reference_and_missing_groups() -> None:
    t = _rates(min_group_size=3, n_boot=0).reset_index()
    assert list(out_of_band(t)["group"]) == ["b"]
    assert out_of_band(_rates(min_group_size=5, n_boot=0).reset_index()).empty


def test_missing_protected_values_form_their_own_group() -> None:
    labels, how = prepare_protected(pd.Series(["F", None, " M ", "", "F"], dtype="string"), name="gender")
    assert list(labels) == ["F", MISSING_GROUP, "M", MISSING_GROUP, "F"] and how is None


def test_numeric_age_is_banded_and_other_numbers_in_quartiles() -> None:
    ages = pd.Series([17, 18, 24, 25, 40, 64, 65, 90, 33, 50, 51, 52, 53, 54, np.nan], dtype=float)
    labels, how = prepare_protected(ages, name="customer_age")
    assert list(labels[:8]) == ["<18", "18-24", "18-24", "25-34", "35-44", "45-64", "65+", "65+"]
    assert labels.iloc[-1] == MISSING_GROUP and "age bands" in how
    income, how = prepare_protected(pd.Series(np.arange(1.0, 101.0)), name="income")
    assert labels.nunique() == 7 and income.nunique() == 4 and "quartile" in how  # six bands and missing
    few, how = prepare_protected(pd.Series([1.0, 2.0, 1.0]), name="disabled")
    assert list(few) == ["1", "2", "1"] and how is None


def test_binary_target_and_unknown_positive_label() -> None:
    y = binary_target(pd.Series(["Yes", "no", None, "yes "]), "yes", column="churned")
    assert np.array_equal(y[[0, 1, 3]], [1.0, 0.0, 1.0]) and np.isnan(y[2])
    with pytest.raises(ConfigError, match="churned.*values are: Yes, no.*closest is 'Yes'"):
        binary_target(pd.Series(["Yes", "no"]), "yess", column="churned")


def test_reference_needs_a_known_value() -> None:
    with pytest.raises(DataError, match="no known value"):
        choose_reference(pd.Series([MISSING_GROUP] * 3), None, attribute="gender")


def test_intersections_label_pairs() -> None:
    pairs = intersections({"g": pd.Series(["F", "M"]), "a": pd.Series(["18-24", "65+"])})
    assert list(pairs) == ["g & a"] and list(pairs["g & a"]) == ["F & 18-24", "M & 65+"]


def test_missingness_disparity_flags_a_feature_missing_for_one_group() -> None:
    groups = pd.Series(["a"] * 40 + ["b"] * 40)
    frame = pd.DataFrame({"phone": [1.0] * 40 + [np.nan] * 20 + [1.0] * 20, "site": [np.nan] + [1.0] * 79})
    t = missingness_disparity(frame, groups, attribute="g", features=["phone", "site"]).set_index("feature")
    assert t.loc["phone", "flagged"] and t.loc["phone", "highest_group"] == "b"
    assert t.loc["phone", "highest_rate"] == 0.5 and t.loc["phone", "lowest_rate"] == 0.0
    assert not t.loc["site", "flagged"]


def test_cramers_v_correlation_ratio_and_mutual_information() -> None:
    assert cramers_v(["a", "a", "b", "b"], ["x", "x", "y", "y"]) == pytest.approx(1.0)
    # 2x2 table [[2, 1], [1, 2]]: chi2 = 4 * (0.5^2 / 1.5) = 2/3; V = sqrt((2/3) / 6) = 1/3
    assert cramers_v(["a", "a", "a", "b", "b", "b"], ["x", "x", "y", "x", "y", "y"]) == pytest.approx(1 / 3)
    # group means 1.5 and 3.5 around 2.5: between 4 * 1 = 4, total 5, eta = sqrt(0.8)
    assert correlation_ratio(["a", "a", "b", "b"], [1.0, 2.0, 3.0, 4.0]) == pytest.approx(np.sqrt(0.8))
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 4, 500), rng.integers(0, 3, 500)
    assert mutual_information(x, y) == pytest.approx(mutual_info_score(x, y), abs=1e-12)


def test_proxy_table_finds_a_feature_that_gives_the_attribute_away() -> None:
    rng = np.random.default_rng(0)
    gender = np.where(rng.random(600) < 0.5, "F", "M")
    title = np.where(gender == "F", "Ms", "Mr")
    title[:30] = "Dr"
    frame = pd.DataFrame({"title": title, "site": rng.choice(["x", "y", "z"], 600), "spend": rng.normal(size=600)})
    t = proxy_table(frame, {"gender": pd.Series(gender)}, features=["title", "site", "spend"]).set_index("feature")
    assert t.loc["title", "strength"] == "strong" and t.loc["title", "balanced_accuracy"] > 0.9
    assert t.loc["site", "strength"] == "weak" and t.loc["spend", "measure"] == "correlation ratio"
    assert t.loc["title", "baseline_accuracy"] == 0.5


ADULT = SHARED_DATA / "adult.csv"


@pytest.mark.skipif(not ADULT.exists(), reason="shared UCI Adult data not present")
def test_adult_disparate_impact_and_relationship_proxy() -> None:
    from readiness.quality import profile_and_type
    from readiness.tables import load_table

    _, typed = profile_and_type(load_table(ADULT).frame)  # strips the leading spaces; '?' becomes missing
    sex, _ = prepare_protected(typed["sex"], name="sex")
    y = binary_target(typed["ltgt50k"], ">50K", column="ltgt50k")
    t = group_rates(sex, y, attribute="sex", n_boot=50).set_index("group")
    assert t.loc["Male", "reference"]
    assert round(t.loc["Female", "disparate_impact"], 4) == 0.3580
    assert round(t.loc["Female", "statistical_parity_difference"], 4) == -0.1963
    assert (t.loc["Female", "positives"], t.loc["Female", "rows"]) == (1179, 10771)
    proxies = proxy_table(typed, {"sex": sex}, features=["relationship", "race", "education"]).set_index("feature")
    assert proxies.loc["relationship", "strength"] == "strong"
    assert proxies.loc["education", "strength"] == "weak"


def test_a_long_group_list_shows_the_largest_groups_and_pools_the_rest() -> None:
    from readiness.ethics.bias import largest_groups

    groups = [f"c{i:02d}" for i in range(80)]
    sizes = np.arange(80, 0, -1) * 10
    rates = pd.DataFrame({"attribute": "country", "group": groups, "rows": sizes, "share": sizes / sizes.sum(),
                          "positives": sizes // 10, "base_rate": 0.1, "reference": [g == "c05" for g in groups],
                          "small": False, "disparate_impact": 1.0})
    shown = largest_groups(rates, top=12)
    assert len(shown) == 12 and "c05" in set(shown["group"])
    assert list(shown["group"][:11]) == [f"c{i:02d}" for i in range(11)]  # the reference and the 10 largest others
    other = shown.iloc[-1]
    assert other["group"] == "other (69 groups)"
    assert other["rows"] == sizes[11:].sum() and other["positives"] == (sizes[11:] // 10).sum()
    assert other["base_rate"] == pytest.approx(other["positives"] / other["rows"])
    assert other["disparate_impact"] == pytest.approx(other["base_rate"] / 0.1)
    assert shown["rows"].sum() == rates["rows"].sum()  # every row still counted once
