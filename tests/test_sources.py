"""The table-source protocol: the pandas source's answers are known, the registry is the one list of engines,
and no stage reaches into an engine or into another package's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness.errors import ConfigError, DataError
from readiness.ethics import assess_ethics
from readiness.ethics.bias import GROUP_COLUMNS
from readiness.ethics.every_row import group_rates_on_every_row
from readiness.feasibility import aggregate_daily
from readiness.feasibility.data import type_table
from readiness.feasibility.every_row import daily_on_every_row, target_counts
from readiness.sources import ENGINE_NAMES, ENGINES, open_source, source_of
from readiness.sources.pandas import PandasSource
from readiness.tables import load_table

PACKAGE = Path(__file__).resolve().parents[1] / "readiness"


@pytest.fixture()
def people(tmp_path: Path) -> Path:
    rng = np.random.default_rng(5)
    n = 400
    frame = pd.DataFrame({
        "gender": rng.choice(["F", "M", " F ", "", None], n, p=[.45, .4, .05, .05, .05]),
        "age": rng.integers(16, 80, n),
        "outcome": np.where(rng.random(n) < 0.3, "yes", "no"),
        "day": pd.date_range("2026-01-01", periods=n, freq="6h").strftime("%Y-%m-%d %H:%M"),
        "site": rng.choice(["North", "South", None], n, p=[.6, .35, .05]),
    })
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    return path


def test_group_counts_give_the_pandas_engines_group_rates(people: Path) -> None:
    loaded = load_table(people)
    options = {"target": "outcome", "positive_label": "yes", "min_group_size": 20, "n_boot": 100, "seed": 3}
    expected = assess_ethics(loaded, use_case="x", protected=["gender", "age"], **options).group_rates
    rates, notes = group_rates_on_every_row(PandasSource(loaded, name="people"), protected=["gender", "age"],
                                            **options)
    pd.testing.assert_frame_equal(rates[GROUP_COLUMNS], expected[GROUP_COLUMNS], check_exact=True)
    assert any("age bands" in n for n in notes)


def test_group_counts_by_hand() -> None:
    frame = pd.DataFrame({"g": ["a", "a", "b", "b", "b", None], "y": ["1", "0", "1", "1", None, "0"]})
    found = PandasSource(frame, name="t").group_counts(["g"], target="y", positive_label="1")
    rows = found.counts.set_index("group")
    assert found.labelled and found.attributes == ["g"]
    assert rows.loc["a", "rows"] == 2 and rows.loc["a", "positives"] == 1
    assert rows.loc["b", "rows"] == 2 and rows.loc["b", "positives"] == 2  # the unlabelled row is left out
    assert rows.loc["(missing)", "rows"] == 1 and rows.loc["(missing)", "positives"] == 0
    with pytest.raises(DataError, match="'gg'.*closest are: g"):
        PandasSource(frame, name="t").group_counts(["gg"])


def test_target_counts_largest_first_missing_last() -> None:
    frame = pd.DataFrame({"y": ["no", "yes", "no", None, "no", "yes"]})
    counts = target_counts(PandasSource(frame, name="t"), target="y")
    assert counts.to_dict("list") == {"y": ["no", "yes", "(missing)"], "rows": [3, 2, 1],
                                      "share": [0.5, 2 / 6, 1 / 6]}
    assert list(target_counts(PandasSource(frame, name="t"), target="z").columns) == ["z", "rows", "share"]


def test_daily_totals_equal_the_forecasts_own_aggregation(people: Path) -> None:
    loaded = load_table(people)
    daily = daily_on_every_row(PandasSource(loaded, name="people"), loaded.frame, target="outcome",
                               time_column="day", group_column="site", as_of="2026-03-31")
    _, typed = type_table(loaded.frame, time_column="day", decimal=".")
    expected = aggregate_daily(typed, target="outcome", time_column="day", group_column="site", as_of="2026-03-31")
    pd.testing.assert_frame_equal(daily.frame, expected.frame)
    assert daily.table_rows == 400 and daily.dropped == expected.dropped > 0  # days after as_of left out
    assert set(daily.frame["group"]) == {"North", "South", "(missing)"}


def test_open_source_reads_with_the_engine_named(people: Path) -> None:
    with open_source(people, name="people", options={"spark_master": "local[1]"}) as source:
        assert source.engine == "pandas" and source.columns()[:2] == ["gender", "age"]
        data, note = source.model_frame(stratify_by="outcome", seed=1)
        assert note is None and len(data.frame) == 400 and source.probe(10) is None
        assumed, noticed = source.reading()
        assert assumed[0].value.startswith("utf-8, comma-delimited") and noticed == []
    with pytest.raises(ConfigError, match="`engine` is 'duckdb'; use one of: pandas, spark"):
        open_source(people, engine="duckdb")
    assert source_of(source, name="x") is source


def test_the_registry_is_the_one_list_of_engines() -> None:
    from typing import get_args

    from readiness.engagement.engines import ENGINES as ENGAGEMENT_ENGINES
    from readiness.ethics.params import EthicsParams
    from readiness.feasibility.params import FeasibilityParams
    from readiness.quality.params import QualityParams

    assert ENGINE_NAMES == ("pandas", "spark") == ENGAGEMENT_ENGINES
    for model in (QualityParams, FeasibilityParams, EthicsParams):
        assert get_args(model.model_fields["engine"].annotation) == ENGINE_NAMES
        assert set(ENGINES["spark"].options) <= set(model.model_fields)  # every engine option is a parameter
    assert ENGINES["pandas"].load() is PandasSource


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return out


def test_no_stage_names_an_engine() -> None:
    """Stages reach tables through readiness.sources only; engines live in one folder."""
    for stage in ("quality", "feasibility", "ethics", "roi", "scorecard", "profiling", "tables", "engagement"):
        for path in (PACKAGE / stage).rglob("*.py"):
            named = [m for m in _imports(path) if m.startswith("readiness.sources.spark") or m.startswith("pyspark")]
            assert not named, (path, named)


def test_no_module_imports_a_private_name_from_another_package() -> None:
    found = []
    for path in PACKAGE.rglob("*.py"):
        here = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
        package = package.removesuffix(".__init__")
        for name in _imports(path):
            if not name.startswith("readiness."):
                continue
            parts = name.split(".")
            private = [i for i, p in enumerate(parts) if p.startswith("_") and p != "__init__"]
            if not private:
                continue
            owner = ".".join(parts[:private[0]])  # the package or module that holds the private name
            if not (owner == package or owner.startswith(package + ".") or package.startswith(owner)):
                found.append(f"{here}: {name}")
    assert found == []
