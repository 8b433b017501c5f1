"""EU AI Act tiers, NIST AI RMF mapping and the ethics checklist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import SAMPLE_DIR
from readiness.errors import ConfigError
from readiness.ethics.checklist import (
    blank_answers,
    checklist_findings,
    checklist_items,
    checklist_light,
    read_answers,
)
from readiness.ethics.codes import CODES
from readiness.ethics.regulation import ai_act_findings, classify_use_case, load_rules, nist_mapping
from readiness.results import Finding


@pytest.mark.parametrize(("domain", "tier", "article", "severity"), [
    ("scheduling", "minimal", "not listed in Art. 5, Annex I or Annex III", "info"),
    ("recruitment", "high_risk", "Art. 6(2) and Annex III, point 4(a)", "warning"),
    ("credit_scoring", "high_risk", "Art. 6(2) and Annex III, point 5(b)", "warning"),
    ("chatbot", "transparency", "Art. 50(1)", "info"),
    ("social_scoring", "prohibited", "Art. 5(1)(c)", "error"),
])
def test_domains_map_to_tier_and_article(domain: str, tier: str, article: str, severity: str) -> None:
    assessment = classify_use_case(domain)
    assert (assessment.tier, assessment.article) == (tier, article)
    finding = ai_act_findings(assessment)[0]
    assert (finding.code, finding.severity) == ("ETH_AI_ACT_TIER", severity)
    assert article in finding.message


def test_dates_are_data_and_versioned() -> None:
    rules = load_rules()
    assert rules["version"] and rules["dates"]["high_risk_annex_iii_and_transparency"] == date(2026, 8, 2)
    assert classify_use_case("recruitment").applies_from == "2026-08-02"
    assert classify_use_case("Customer support routing").domain == "customer_support_routing"


def test_unknown_and_missing_domain() -> None:
    with pytest.raises(ConfigError, match="closest are scheduling"):
        classify_use_case("sheduling")
    missing = classify_use_case("")
    assert missing.tier == "unknown" and missing.light == "amber"
    assert ai_act_findings(missing)[0].code == "ETH_DOMAIN_MISSING"


def test_every_code_maps_to_a_nist_function() -> None:
    mapped = load_rules()["nist_ai_rmf"]["codes"]
    assert set(CODES) == set(mapped)
    table = nist_mapping([Finding("warning", "ETH_PROXY", "m"), Finding("warning", "ETH_PROXY", "m"),
                          Finding("info", "ETH_AI_ACT_TIER", "m")])
    rows = {(r.function, r.subcategory): r.findings for r in table.itertuples(index=False)}
    assert rows == {("Govern", "GOVERN 1.1"): 1, ("Map", "MAP 1.1"): 1, ("Map", "MAP 5.1"): 2,
                    ("Measure", "MEASURE 2.11"): 2}
    assert list(table["function"]) == ["Govern", "Map", "Map", "Measure"]


def _answers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_booleans_na_and_notes(tmp_path: Path) -> None:
    path = _answers(tmp_path, "C1: yes\nC2: {answer: no, note: not yet}\nC3: n/a\nS1: NA\n")
    a = read_answers(path).set_index("id")
    assert a.loc["C1", "answer"] == "yes" and a.loc["C2", "answer"] == "no" and a.loc["C2", "note"] == "not yet"
    assert a.loc["C3", "answer"] == "n/a" and a.loc["S1", "answer"] == "n/a" and a.loc["S2", "answer"] is None
    found = checklist_findings(a.reset_index(), answered_file=True)
    nos = [f for f in found if f.code == "ETH_CHECKLIST_NO"]
    assert len(nos) == 1 and nos[0].severity == "error"  # C2 is critical
    open_items = len(checklist_items()) - 4
    assert sum(f.code == "ETH_CHECKLIST_UNANSWERED" for f in found) == open_items
    assert checklist_light(a.reset_index()) == "red"


@pytest.mark.parametrize(("text", "message"), [
    ("C9: yes\n", "'C9' is not a checklist item; did you mean"),
    ("C1: maybe\n", "answered 'maybe'; answer yes, no or n/a"),
    ("- C1\n", "expected a mapping"),
    ("C1: [yes\n", "not valid YAML"),
])
def test_bad_answers_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read_answers(_answers(tmp_path, text))


def test_missing_answers_file_and_no_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        read_answers(tmp_path / "nope.yaml")
    a = read_answers(None)
    found = checklist_findings(a, answered_file=False)
    assert [f.code for f in found] == ["ETH_CHECKLIST_MISSING"] and checklist_light(a) == "amber"


def test_all_yes_is_green_and_blank_file_lists_every_item(tmp_path: Path) -> None:
    ids = list(checklist_items()["id"])
    a = read_answers(_answers(tmp_path, "".join(f"{i}: yes\n" for i in ids)))
    assert checklist_light(a) == "green" and checklist_findings(a, answered_file=True) == []
    blank = yaml.safe_load(blank_answers())
    assert list(blank) == ids and all(v["answer"] is None for v in blank.values())
    assert read_answers(_answers(tmp_path, blank_answers()))["answer"].isna().all()


def test_sample_client_answers_are_partly_filled() -> None:
    a = read_answers(SAMPLE_DIR / "ethics_checklist_answers.yaml")
    counts = a["answer"].fillna("open").value_counts()
    assert counts["yes"] > 0 and counts["no"] > 0 and counts["open"] > 0 and counts["n/a"] > 0
    assert checklist_light(a) == "amber"
    assert isinstance(a, pd.DataFrame) and len(a) == len(checklist_items())
