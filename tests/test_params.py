"""One parameter model per stage: the notebooks, the README and the pipeline follow it."""

from __future__ import annotations

import ast
from pathlib import Path

import papermill
import pytest

from readiness.errors import ConfigError
from readiness.params import Assumption, assumptions_frame, python_literal, slug
from readiness.planning import STAGES, plan_jobs
from readiness.quality.params import QualityParams
from readiness.sync import notebook_parameters_source, readme_section, stage_models

ROOT = Path(__file__).resolve().parents[1]
MODELS = stage_models()


def test_every_stage_has_a_model_for_its_notebook() -> None:
    assert set(MODELS) == set(STAGES)
    for name, model in MODELS.items():
        assert model.notebook == STAGES[name].notebook


@pytest.mark.parametrize("stage", sorted(MODELS))
def test_notebook_parameters_cell_is_the_models(stage: str) -> None:
    model = MODELS[stage]
    assert notebook_parameters_source(ROOT / "notebooks" / model.notebook) == model.parameters_cell(), (
        f"{model.notebook} disagrees with {model.__name__}; run `python -m readiness.sync`")


@pytest.mark.parametrize("stage", sorted(MODELS))
def test_readme_lists_the_models_parameters(stage: str) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = MODELS[stage].markdown_table()
    assert readme_section(text, f"parameters:{stage}") == expected, "run `python -m readiness.sync`"


@pytest.mark.parametrize("stage", sorted(MODELS))
def test_papermill_reads_every_parameter_with_its_type_default_and_help(stage: str) -> None:
    model = MODELS[stage]
    found = papermill.inspect_notebook(str(ROOT / "notebooks" / model.notebook))
    assert list(found) == list(model.model_fields)
    for name, field in model.model_fields.items():
        assert found[name]["help"] == field.description, name
        assert ast.literal_eval(found[name]["default"]) == field.get_default(call_default_factory=True), name


def test_only_data_paths_point_at_the_sample() -> None:
    for model in MODELS.values():
        for name, default in model.defaults().items():
            mentions_sample = "harbour" in str(default).lower()
            assert not mentions_sample or name in ("data_path", "reports_dir"), (model.__name__, name)
            if name in ("key", "target", "table", "use_case", "time_column", "group_column", "protected",
                        "checklist_path", "tables", "pii_columns", "date_columns", "client", "as_of"):
                assert default in ("", [], {}), (model.__name__, name, default)


def test_python_literals_read_back() -> None:
    for value in ("a \"quoted\" text", ["x", "true"], {"k": [1, 2.5, True, None]}, True, 0.08, 42, "é"):
        expected = value
        assert ast.literal_eval(python_literal(value)) == expected


def test_a_wrong_type_names_the_parameter_and_what_to_give() -> None:
    with pytest.raises(ConfigError, match=r"parameter `freshness_days` is 'soon'.*give a int"):
        QualityParams.from_mapping({"freshness_days": "soon"}, where="notebook 01_data_quality.ipynb")


def test_an_unknown_parameter_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown parameter `keys`; the parameters are: data_path, table, key"):
        QualityParams.from_mapping({"keys": "id"})


def test_papermill_guesses_become_the_models_types() -> None:
    # `-p key 2024` arrives as an int, `-p date_columns opened_at` as a plain string
    params = QualityParams.from_mapping({"key": 2024, "date_columns": "opened_at", "pii_columns": ""})
    assert params.key == "2024"
    assert params.date_columns == ["opened_at"]
    assert params.pii_columns == []


def test_the_pipeline_passes_every_parameter_of_each_model(tmp_path: Path) -> None:
    from readiness.engagement import load_engagement

    engagement = load_engagement(ROOT / "sample_data" / "harbour_physio" / "engagement.yaml")
    jobs = plan_jobs(engagement, results_root=tmp_path)
    # the pilot review is planned only for a use case whose entry names its pilot's log
    assert set(MODELS) - {job.stage for job in jobs} <= {"pilot"}
    for job in jobs:
        assert set(job.parameters) == set(MODELS[job.stage].model_fields), job.stage
        MODELS[job.stage].from_mapping(job.parameters)  # and they validate


def test_slugs_and_the_assumptions_table() -> None:
    assert slug("Telco Customer-Churn") == "telco_customer_churn"
    assert slug("customerID") == "customer_id"
    assert slug("2024 sales") == "t_2024_sales"
    frame = assumptions_frame([Assumption("key", "customer_id", "named like an id", "-p key COLUMN")])
    assert list(frame.columns) == ["parameter", "assumed", "why", "to change it"]
    assert frame.iloc[0].tolist() == ["key", "customer_id", "named like an id", "-p key COLUMN"]
