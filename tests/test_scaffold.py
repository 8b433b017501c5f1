"""`readiness new`: ready-to-fill files that load as they are, and the list of what is still missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from readiness.engagement import load_engagement
from readiness.errors import ConfigError, PipelineError
from readiness.scaffold import missing_inputs, write_new_engagement
from readiness.survey import load_answers, load_questionnaire

CLIENT = 'Bright "Salon" & Spa'


def test_new_engagement_loads_and_carries_the_client(tmp_path: Path) -> None:
    written = write_new_engagement(tmp_path / "bright", client=CLIENT, as_of=date(2026, 1, 31))
    assert [p.name for p in written] == ["engagement.yaml", "survey.yaml", "ethics_checklist.yaml"]
    engagement = load_engagement(written[0])
    assert engagement.client == CLIENT and engagement.as_of == date(2026, 1, 31)
    assert engagement.survey == written[1] and engagement.checklist == written[2]
    assert "# " in written[0].read_text(encoding="utf-8")  # commented for the analyst


def test_blank_survey_lists_every_item_with_its_text(tmp_path: Path) -> None:
    survey = write_new_engagement(tmp_path, client="X")[1]
    text = survey.read_text(encoding="utf-8")
    q = load_questionnaire()
    for item in q.items:
        assert f"  {item.id}:" in text and " ".join(item.text.split()) in text
    answers = load_answers(survey, q)
    assert answers.answered == 0 and len(answers.answers) == len(q.items)


def test_blank_checklist_has_every_item_unanswered(tmp_path: Path) -> None:
    checklist = Path(__file__).parents[1] / "readiness" / "data" / "ethics_checklist.yaml"
    if not checklist.exists():
        pytest.skip("no ethics checklist installed")
    ids = [i["id"] for s in yaml.safe_load(checklist.read_text(encoding="utf-8"))["sections"] for i in s["items"]]
    blank = yaml.safe_load(write_new_engagement(tmp_path, client="X")[2].read_text(encoding="utf-8"))
    assert list(blank["answers"]) == ids
    assert all(v == {"answer": None, "note": ""} for v in blank["answers"].values())


def test_missing_checklist_is_skipped_and_said(tmp_path: Path) -> None:
    notes: list[str] = []
    written = write_new_engagement(tmp_path, client="X", checklist_path=tmp_path / "absent.yaml", echo=notes.append)
    assert [p.name for p in written] == ["engagement.yaml", "survey.yaml"]
    assert len(notes) == 1 and "checklist" in notes[0]
    assert load_engagement(written[0]).checklist is None


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "survey.yaml").write_text("answers: {org_budget: 4}\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="survey.yaml already exist"):
        write_new_engagement(tmp_path, client="X")
    assert "org_budget: 4" in (tmp_path / "survey.yaml").read_text(encoding="utf-8")


def test_empty_client_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--client"):
        write_new_engagement(tmp_path, client="  ")


def test_missing_inputs_of_a_fresh_engagement(tmp_path: Path) -> None:
    engagement = load_engagement(write_new_engagement(tmp_path, client="X")[0])
    gaps = missing_inputs(engagement)
    assert any("tables.customers.path: customers.csv not found" in g for g in gaps)
    assert any("use_cases: none listed" in g for g in gaps)
    n = len(load_questionnaire().items)
    assert any(g.startswith(f"survey.yaml: {n} of {n} questions unanswered") for g in gaps)
    if engagement.checklist is not None:
        assert any("checklist items unanswered" in g for g in gaps)


def test_missing_inputs_shrink_as_the_analyst_fills_them(tmp_path: Path) -> None:
    written = write_new_engagement(tmp_path, client="X", checklist_path=tmp_path / "absent.yaml", echo=lambda _: None)
    (tmp_path / "customers.csv").write_text("customer_id\nC1\n", encoding="utf-8")
    q = load_questionnaire()
    answers = {i: 3 for i in q.item_ids}
    answers["org_budget"] = None
    written[1].write_text(yaml.safe_dump({"answers": answers}), encoding="utf-8")
    gaps = missing_inputs(load_engagement(written[0]))
    assert not any("customers.csv" in g for g in gaps)
    assert f"survey.yaml: 1 of {len(q.items)} questions unanswered (org_budget)" in gaps
    assert any("checklist: not set" in g for g in gaps)


def test_missing_inputs_reports_a_bad_answer_in_one_line(tmp_path: Path) -> None:
    written = write_new_engagement(tmp_path, client="X", echo=lambda _: None)
    written[1].write_text("answers:\n  org_budget: 9\n", encoding="utf-8")
    gaps = missing_inputs(load_engagement(written[0]))
    assert any("answers.org_budget: found 9" in g for g in gaps)


def test_sample_engagement_lists_its_gaps_without_error() -> None:
    sample = load_engagement(Path(__file__).parents[1] / "sample_data" / "harbour_physio" / "engagement.yaml")
    gaps = missing_inputs(sample)
    assert not any("not found in" in g and "tables." in g for g in gaps)  # every sample table exists
