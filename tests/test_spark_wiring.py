"""The Spark engine wired through the suite: engagement keys, job parameters, sampling, and one Spark run.

Engagement and planning tests need no PySpark. The others start a local Spark: they are skipped
when PySpark is missing, except in CI (env CI set), where its absence fails them.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness.engagement import load_engagement, spark_parameters, with_engine
from readiness.errors import ConfigError, DataError
from readiness.planning import plan_jobs
from readiness.sources.spark.sampling import stratum_fractions

HEAD = "client: Spark Client\nas_of: 2026-06-30\ncurrency: EUR\nseed: 7\n"
ENGINE_KEYS = ("engine", "spark_master", "spark_driver_memory", "spark_conf")


def write(folder: Path, body: str) -> Path:
    path = folder / "engagement.yaml"
    path.write_text(HEAD + textwrap.dedent(body))
    return path


def message(folder: Path, body: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_engagement(write(folder, body))
    return info.value.one_line()


# ------------------------------------------------------------------ engagement


def test_spark_tables_accept_urls_and_folders_and_keep_the_url_as_written(tmp_path: Path) -> None:
    engagement = load_engagement(write(tmp_path, """\
        tables:
          calls: {path: 's3a://bucket/calls/', engine: spark}
          visits: {path: parts/, engine: spark}
          customers: {path: customers.csv}
        spark: {master: 'local[4]', driver_memory: 2g, conf: {spark.sql.shuffle.partitions: 64}}
        """))
    assert engagement.tables["calls"].location == "s3a://bucket/calls/"
    assert engagement.tables["visits"].location == str(tmp_path / "parts")
    assert engagement.tables["customers"].engine == "pandas"
    assert spark_parameters(engagement, "spark") == {
        "engine": "spark", "spark_master": "local[4]", "spark_driver_memory": "2g",
        "spark_conf": {"spark.sql.shuffle.partitions": 64}}


def test_a_url_outside_the_folder_is_fine_but_a_local_path_outside_is_not(tmp_path: Path) -> None:
    assert "lies outside the engagement's folder" in message(
        tmp_path, "tables: {calls: {path: ../calls.parquet, engine: spark}}")
    load_engagement(write(tmp_path, "tables: {calls: {path: 'hdfs://nn:8020/calls', engine: spark}}"))


@pytest.mark.parametrize(("body", "expected"), [
    ("tables: {t: {path: 's3a://b/t'}}",
     "tables.t.path: 's3a://b/t' is a URL, which only the Spark engine reads; add engine: spark"),
    ("tables: {t: {path: t.csv, engine: sparc}}",
     "tables.t.engine: expected one of pandas, spark, got 'sparc'; did you mean 'spark'?"),
    ("tables: {t: {path: t.xlsx, engine: spark}}",
     "tables.t.path: the Spark engine reads csv, tsv, txt and parquet files or folders of them, not .xlsx"),
    ("tables: {t: {path: t.csv}}\nspark: {master: localhost}",
     "spark.master: 'localhost' is not a Spark master URL; write local[N], spark://host:port, yarn"),
    ("tables: {t: {path: t.csv}}\nspark: {driver_memory: plenty}",
     "spark.driver_memory: 'plenty' is not a memory size; write a size such as 4g"),
    ("tables: {t: {path: t.csv}}\nspark: {conf: {spark.hadoop.fs.s3a.secret.key: x}}",
     "spark.conf.spark.hadoop.fs.s3a.secret.key: this looks like a credential"),
    ("tables: {t: {path: t.csv}}\nspark: {conf: {fs.s3a.endpoint: x}}",
     "spark.conf.fs.s3a.endpoint: a Spark setting's name starts with 'spark.'; write e.g. spark.hadoop.fs.s3a"),
    ("tables: {t: {path: t.csv}}\nspark: {mastr: yarn}", "spark.mastr: unknown key; did you mean 'master'?"),
    ("tables: {t: {path: 's3a://b/t', engine: spark}}\n"
     "use_cases: [{id: a, title: A, table: t, target: y, engine: pandas}]",
     "use_cases[0].engine: table 't' is at a URL, which only the Spark engine reads"),
])
def test_engine_and_spark_errors_are_one_line_with_a_hint(tmp_path: Path, body: str, expected: str) -> None:
    assert message(tmp_path, body).startswith(f"engagement.yaml: {expected}")


def test_command_line_override_changes_a_copy(tmp_path: Path) -> None:
    engagement = load_engagement(write(tmp_path, """\
        tables: {t: {path: t.csv}}
        use_cases: [{id: a, title: A, table: t, target: y}]
        """))
    forced = with_engine(engagement, engine="spark", spark_master="yarn")
    assert (forced.tables["t"].engine, forced.use_cases[0].engine, forced.spark.master) == ("spark", "spark", "yarn")
    assert (engagement.tables["t"].engine, engagement.spark) == ("pandas", None)
    assert with_engine(engagement) is engagement
    with pytest.raises(ConfigError, match="--spark-master: 'nowhere' is not a Spark master URL"):
        with_engine(engagement, spark_master="nowhere")


def test_check_spark_path_needs_a_local_path_but_not_a_url(tmp_path: Path) -> None:
    from readiness.engagement import check_spark_path

    engagement = load_engagement(write(tmp_path, """\
        tables:
          calls: {path: 's3a://bucket/calls/', engine: spark}
          visits: {path: parts/, engine: spark}
        """))
    check_spark_path(engagement, "calls")
    with pytest.raises(DataError, match=r"parts/: tables.visits.path: no file or folder at"):
        check_spark_path(engagement, "visits")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "_SUCCESS").write_text("")
    with pytest.raises(DataError, match="holds no data files"):
        check_spark_path(engagement, "visits")
    (tmp_path / "parts" / "part-0.parquet").write_bytes(b"PAR1")
    check_spark_path(engagement, "visits")


# ------------------------------------------------------------------ planning


def test_jobs_carry_their_engine(tmp_path: Path) -> None:
    engagement = load_engagement(write(tmp_path, """\
        tables:
          calls: {path: 's3a://bucket/calls/', engine: spark}
          customers: {path: customers.csv}
          notes: {path: notes.xlsx, sheet: 0}
        spark: {master: yarn, conf: {spark.executor.memory: 8g}}
        use_cases:
          - {id: churn, title: Churn, table: calls, target: churned}
          - {id: upsell, title: Upsell, table: customers, target: bought}
        """))
    jobs = {(j.stage, j.subject): j.parameters for j in plan_jobs(engagement, results_root=tmp_path / "out")}
    spark_job = {"engine": "spark", "spark_master": "yarn", "spark_driver_memory": "",
                 "spark_conf": {"spark.executor.memory": "8g"}}
    pandas_job = {"engine": "pandas", "spark_master": "", "spark_driver_memory": "", "spark_conf": {}}
    for stage, subject, expected in [("quality", "calls", spark_job), ("quality", "customers", pandas_job),
                                     ("feasibility", "churn", spark_job), ("feasibility", "upsell", pandas_job),
                                     ("ethics", "churn", spark_job), ("ethics", "upsell", pandas_job)]:
        assert {k: jobs[stage, subject][k] for k in ENGINE_KEYS} == expected, (stage, subject)
    assert jobs["quality", "calls"]["data_path"] == "s3a://bucket/calls/"
    assert jobs["feasibility", "churn"]["data_path"] == "s3a://bucket/calls/"
    # the first use case runs on Spark: the Excel table, which Spark cannot read, is not handed to it
    assert jobs["ethics", "churn"]["tables"] == {}


def test_every_stage_notebook_declares_the_engine_parameters() -> None:
    import nbformat

    from readiness.notebooks import NOTEBOOKS_DIR

    for name in ("01_data_quality.ipynb", "02_feasibility.ipynb", "03_ethics.ipynb"):
        nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1, name
        for line in ('engine: str = "pandas"', 'spark_master: str = ""', 'spark_driver_memory: str = ""',
                     "spark_conf: dict = {}"):
            assert line in params[0].source, (name, line)
        # the engine is the package's business: no notebook cell branches on it or starts a session
        code = [c.source for c in nb.cells if c.cell_type == "code" and c is not params[0]]
        assert not any("spark" in source.lower() or "engine" in source for source in code), name


# ------------------------------------------------------------------ sampling


def test_fractions_keep_rare_strata_whole_and_the_expectation_within_the_bound() -> None:
    fractions = stratum_fractions({"no": 90_000, "yes": 9_000, "rare": 12}, max_rows=10_000)
    assert fractions["rare"] == 1.0
    assert fractions["no"] == pytest.approx(fractions["yes"])  # the big strata keep their proportion
    assert 90_000 * fractions["no"] + 9_000 * fractions["yes"] + 12 <= 10_000
    assert stratum_fractions({"a": 5, "b": 5}, max_rows=10) == {"a": 1.0, "b": 1.0}


@pytest.fixture(scope="module")
def churn(spark):
    n = 6_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"row": [str(i) for i in range(n)],
                          "churned": np.where(rng.random(n) < 0.2, "yes", "no").astype(object),
                          "gender": rng.choice(["f", "m"], n).astype(object)})
    frame.loc[:7, "churned"] = "maybe"  # a stratum of 8 rows
    frame.loc[8:12, "churned"] = None  # a null stratum of 5 rows
    return spark.createDataFrame(frame), frame


def test_stratified_sample_is_bounded_keeps_every_stratum_and_repeats(churn) -> None:
    from readiness.sources.spark.sampling import model_sample, stratified_sample

    sdf, frame = churn
    sample, note = model_sample(sdf, column="churned", max_rows=600, seed=3)
    assert len(sample) <= 600 and len(sample) > 400
    counts = sample["churned"].value_counts(dropna=False)
    assert counts["maybe"] == 8 and counts[pd.NA] == 5  # small and null strata whole
    share = counts["yes"] / (counts["yes"] + counts["no"])
    full = (frame["churned"] == "yes").sum() / frame["churned"].isin(["yes", "no"]).sum()
    assert abs(share - full) < 0.05
    assert (note.full_rows, note.sample_rows, note.strata, note.stratified) == (6_000, len(sample), 4, True)
    assert f"{len(sample):,} of the table's 6,000 rows" in note.text
    again = stratified_sample(sdf, column="churned", max_rows=600, seed=3)
    pd.testing.assert_frame_equal(sample, again)
    assert str(sample["row"].dtype) == "string"
    whole, note = model_sample(sdf, column="churned", max_rows=10_000, seed=3)
    assert len(whole) == 6_000 and note.is_full


def test_group_counts_come_from_every_row(spark) -> None:
    from readiness.ethics.every_row import group_rates_on_every_row
    from readiness.feasibility.every_row import target_counts
    from readiness.sources.spark import SparkSource

    frame = pd.DataFrame({"gender": ["f"] * 6 + ["m"] * 3 + [None],
                          "y": ["yes", "yes", "yes", "no", "no", "no", "yes", "no", "no", "yes"]})
    sdf = SparkSource.of(spark.createDataFrame(frame), name="people")
    counts, notes = group_rates_on_every_row(sdf, protected=["gender"], target="y", positive_label="yes")
    rows = counts.set_index("group")
    assert list(counts["group"]) == ["f", "m", "(missing)"]
    assert rows.loc["f", "rows"] == 6 and rows.loc["f", "base_rate"] == pytest.approx(0.5)
    assert rows.loc["m", "base_rate"] == pytest.approx(1 / 3)
    assert rows.loc["m", "disparate_impact"] == pytest.approx(2 / 3)
    assert bool(rows.loc["f", "reference"]) and notes == []
    labels = target_counts(sdf, target="y")
    assert labels.to_dict("list") == {"y": ["no", "yes"], "rows": [5, 5], "share": [0.5, 0.5]}


# ------------------------------------------------------------------ one run


@pytest.mark.slow
def test_readiness_run_on_spark_writes_every_report(spark, tmp_path: Path) -> None:
    from readiness.cli import main

    n = 400
    rng = np.random.default_rng(1)
    tenure = rng.integers(1, 60, n)
    churned = np.where(rng.random(n) < 1 / (1 + np.exp((tenure - 20) / 6)), "yes", "no")
    pd.DataFrame({"customer_id": [f"C{i:04d}" for i in range(n)], "gender": rng.choice(["f", "m"], n),
                  "tenure_months": tenure, "visits": rng.integers(0, 30, n), "churned": churned}
                 ).to_csv(tmp_path / "customers.csv", index=False)
    path = write(tmp_path, """\
        tables:
          customers: {path: customers.csv, key: customer_id, engine: spark}
        spark: {master: 'local[1]', driver_memory: 1g, conf: {spark.sql.shuffle.partitions: 1}}
        use_cases:
          - {id: churn, title: Predict churn, table: customers, target: churned, positive: 'yes',
             protected: [gender], engine: spark, time_budget_s: 10,
             value: {true_positive: 40, false_positive: -5, decisions_per_year: 1000},
             costs: {build: [1000, 2000, 3000], run_per_year: [100, 200, 300]}}
        """)
    assert main(["run", str(path), "--out", str(tmp_path / "reports"), "--jobs", "2"]) == 0
    report = tmp_path / "reports" / "spark-client"
    for name in ("index.html", "quality/customers.html", "feasibility/churn.html", "ethics/churn.html",
                 "summary.html"):
        assert (report / name).is_file(), name
    run = json.loads((report / "run.json").read_text())
    engines = {(o["stage"], o["subject"]): o["parameters"].get("engine") for o in run["notebooks"]}
    assert engines["quality", "customers"] == engines["feasibility", "churn"] == "spark"
    feasibility = (report / "feasibility" / "churn.html").read_text()
    assert "every row was brought to pandas through Arrow" in feasibility
    assert "churned on all 400 rows, counted by Spark" in feasibility
    ethics = (report / "ethics" / "churn.html").read_text()
    assert "Group sizes and base rates on all 400 rows, counted by Spark" in ethics
