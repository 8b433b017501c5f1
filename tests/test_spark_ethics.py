"""The ethics stage's group rates counted by Spark on every row equal the pandas engine's on the whole table.

Skipped when PySpark is missing, except in CI (env CI set), where its absence fails them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness.ethics import assess_ethics
from readiness.ethics.bias import GROUP_COLUMNS
from readiness.ethics.every_row import group_rates_on_every_row
from readiness.tables import load_table

pytestmark = pytest.mark.spark
PROTECTED = ["gender", "age", "income"]
OPTIONS = {"target": "outcome", "positive_label": "yes", "min_group_size": 25, "n_boot": 200, "seed": 7}


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """Messy text as a CSV holds it: padded and null-token genders, ages on the band edges, tied incomes."""
    rng = np.random.default_rng(11)
    n = 900
    gender = rng.choice(["F", "M", " F ", "X", "unknown", "", None], n, p=[.4, .3, .1, .08, .04, .03, .05])
    age = rng.integers(14, 92, n).astype(object)
    age[:12] = [18, 25, 35, 45, 65, 17, 24, 64, 18, 25, 65, 65]
    age[rng.random(n) < 0.06] = None
    income = np.where(rng.random(n) < 0.3, 0.0, np.round(rng.lognormal(3, 1, n), 1))  # ties at 0 and elsewhere
    young = np.asarray([a if a is not None else 40 for a in age], dtype=float) < 25
    rate = 0.2 + 0.25 * young + 0.1 * (gender == "X")
    outcome = np.where(rng.random(n) < rate, "yes", "no").astype(object)
    outcome[rng.random(n) < 0.04] = None  # unlabelled rows
    outcome[:3] = ["n/a", " YES ", "no "]
    frame = pd.DataFrame({"gender": gender, "age": age, "income": income, "outcome": outcome,
                          "visits": rng.integers(0, 9, n)})
    path = tmp_path_factory.mktemp("ethics") / "people.csv"
    frame.to_csv(path, index=False)
    return path, frame


def spark_table(spark, path: Path):
    from readiness.sources.spark import SparkSource, decimal_mark, read_table

    return SparkSource.of(read_table(spark, path), name=path.stem, decimal=decimal_mark(path))


def pandas_rates(data) -> pd.DataFrame:
    return assess_ethics(data, use_case="x", protected=PROTECTED, **OPTIONS).group_rates


def test_rates_on_every_row_equal_the_pandas_engine(spark, table) -> None:
    path, frame = table
    expected = pandas_rates(load_table(path))
    assert set(expected["attribute"]) == {*PROTECTED, "gender & age", "gender & income", "age & income"}
    assert {"(missing)", "<18", "18-24", "65+"} <= set(expected.loc[expected["attribute"] == "age", "group"])
    # a third of incomes are 0: the first two quartile edges tie, so three bands, the first from just below 0
    assert set(expected.loc[expected["attribute"] == "income", "group"]) == {"-0.001-11.55", "11.55-29", "29-337.5"}
    assert "F & 18-24" in set(expected["group"])
    rates, notes = group_rates_on_every_row(spark_table(spark, path), protected=PROTECTED, **OPTIONS)
    pd.testing.assert_frame_equal(rates[GROUP_COLUMNS], expected[GROUP_COLUMNS], check_exact=True)
    assert "'age' is numeric, so it was cut into age bands 18-24, 25-34, 35-44, 45-64, 65+ (and <18)." in notes

    # typed Spark columns (numbers as doubles, not text) give the same table as pandas on the same frame
    typed = frame.assign(age=pd.to_numeric(frame["age"]), gender=frame["gender"].str.strip())
    sdf = spark.createDataFrame(typed.astype({"age": float}))
    from readiness.sources.spark import SparkSource

    rates, _ = group_rates_on_every_row(SparkSource.of(sdf, name="typed"), protected=PROTECTED, **OPTIONS)
    pd.testing.assert_frame_equal(rates[GROUP_COLUMNS], pandas_rates(typed)[GROUP_COLUMNS], check_exact=True)


def test_an_attribute_with_too_many_values_is_left_out_with_a_note(spark, table, monkeypatch) -> None:
    from readiness.sources.spark import groups

    path, _ = table
    monkeypatch.setattr(groups, "MAX_COMBINATIONS", 40)  # age has about 80 values x 3 labels; gender 4 x 3
    rates, notes = group_rates_on_every_row(spark_table(spark, path), protected=["gender", "age"], **OPTIONS)
    assert set(rates["attribute"]) == {"gender"}
    assert any(n.startswith("'age' has more than 40 combinations") for n in notes)
    expected = assess_ethics(load_table(path), use_case="x", protected=["gender", "age"], **OPTIONS).group_rates
    pd.testing.assert_frame_equal(rates, expected[expected["attribute"] == "gender"], check_exact=True)


def test_pairs_of_many_raw_values_are_counted_again_by_their_groups(spark, table, monkeypatch) -> None:
    from readiness.sources.spark import groups

    path, _ = table
    calls = []
    second = groups._labelled_pairs
    monkeypatch.setattr(groups, "_labelled_pairs", lambda *a, **k: calls.append(a[1]) or second(*a, **k))
    # gender has about 20 (value, label) combinations and age about 190, but the pair of their raw values about 450
    monkeypatch.setattr(groups, "MAX_COMBINATIONS", 300)
    rates, notes = group_rates_on_every_row(spark_table(spark, path), protected=["gender", "age"], **OPTIONS)
    assert calls == [{2: ("gender", "age")}] and not any("combinations" in n for n in notes)
    expected = assess_ethics(load_table(path), use_case="x", protected=["gender", "age"], **OPTIONS).group_rates
    pd.testing.assert_frame_equal(rates[GROUP_COLUMNS], expected[GROUP_COLUMNS], check_exact=True)
