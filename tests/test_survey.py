"""Questionnaire scoring on hand-computed answers: items, dimensions, penalty, tiers, adopter, fix-first."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from readiness.errors import ConfigError
from readiness.survey import (
    SUM_DIMENSION_INCOMPLETE,
    SUM_SELF_REPORT_GAP,
    SUM_SURVEY_EMPTY,
    SUM_UNANSWERED,
    load_answers,
    load_questionnaire,
    score_survey,
)

# A small questionnaire whose every number is easy to follow by hand.
TINY = {
    "version": "t1",
    "scale": {"min": 1, "max": 5},
    "target": 75,
    "min_answered_share": 0.5,
    "dimensions": {
        "tech": {"title": "Technology", "weight": 3, "floor": 40},
        "org": {"title": "Organisation", "weight": 1, "floor": 50},
    },
    "penalty": {"per_point": 0.5, "cap": 10},
    "tiers": [{"id": "low", "title": "Low", "min": 0, "verdict": "not_ready"},
              {"id": "mid", "title": "Mid", "min": 50, "verdict": "needs_work"},
              {"id": "high", "title": "High", "min": 75, "verdict": "ready"}],
    "adopter": {"dimension": "inn", "min_answered": 2,
                "categories": [{"id": "laggard", "title": "Laggard", "min": 0},
                               {"id": "early", "title": "Early adopter", "min": 60}]},
    "evidence": {"max_gap": 20, "items": {"t1": "quality_score"}},
    "risks": {},
    "items": [
        {"id": "t1", "dimension": "tech", "topic": "Data quality", "text": "T1", "low": "l", "high": "h", "weight": 1},
        {"id": "t2", "dimension": "tech", "topic": "Cloud", "text": "T2", "low": "l", "high": "h", "weight": 3},
        {"id": "o1", "dimension": "org", "topic": "Skills", "text": "O1", "low": "l", "high": "h", "weight": 1},
        {"id": "o2", "dimension": "org", "topic": "Budget", "text": "O2", "low": "l", "high": "h", "weight": 1},
        {"id": "i1", "dimension": "inn", "topic": "Innovativeness", "text": "I1", "low": "l", "high": "h"},
        {"id": "i2", "dimension": "inn", "topic": "Innovativeness", "text": "I2", "low": "l", "high": "h"},
    ],
}


@pytest.fixture
def tiny(tmp_path: Path):
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    return lambda **overrides: load_questionnaire(path, overrides=overrides or None)


def test_scores_follow_the_hand_computation(tiny) -> None:
    q = tiny()
    s = score_survey({"t1": 5, "t2": 3, "o1": 2, "o2": None, "i1": 4, "i2": 3}, q)
    # t1 = 100, t2 = 50 -> tech = (1*100 + 3*50) / 4 = 62.5; o1 = 25 -> org = 25 (o2 left out, not zero)
    assert s.dimensions["tech"].score == pytest.approx(62.5)
    assert s.dimensions["org"].score == pytest.approx(25.0)
    assert s.dimensions["org"].answered == 1 and not s.dimensions["org"].incomplete  # 1 of 2 >= 0.5 share
    assert s.weighted_mean == pytest.approx((3 * 62.5 + 1 * 25) / 4)  # 53.125
    # org is 25 points below its floor of 50: 12.5 points of penalty, capped at 10
    assert s.penalty == pytest.approx(10.0)
    assert s.overall == pytest.approx(43.125)
    assert s.tier.id == "low"
    assert s.unanswered == ["o2"]
    assert s.innovativeness == pytest.approx(62.5) and s.adopter.id == "early"


def test_unanswered_items_are_not_counted_as_zero(tiny) -> None:
    q = tiny()
    only_high = score_survey({"t1": 5, "t2": None}, q)
    assert only_high.dimensions["tech"].score == 100.0
    assert only_high.dimensions["org"].score is None and only_high.dimensions["org"].incomplete
    # the unscored dimension is left out of the overall; tech alone carries it
    assert only_high.overall == 100.0
    codes = [f.code for f in only_high.findings]
    assert SUM_UNANSWERED in codes and SUM_DIMENSION_INCOMPLETE in codes


def test_penalty_below_the_cap_and_no_penalty_at_the_floor(tiny) -> None:
    q = tiny()
    # org: o1 = 3 (50), o2 = 2 (25) -> 37.5, 12.5 below its floor -> 6.25 points off
    s = score_survey({"t1": 3, "t2": 3, "o1": 3, "o2": 2}, q)
    assert s.penalty == pytest.approx(6.25)
    assert s.overall == pytest.approx((3 * 50 + 37.5) / 4 - 6.25)
    at_floor = score_survey({"t1": 3, "t2": 3, "o1": 3, "o2": 3}, q)  # org exactly 50 = its floor
    assert at_floor.penalty == 0.0


@pytest.mark.parametrize(("answer", "tier"), [(3, "mid"), (4, "high"), (2, "low")])
def test_scores_exactly_at_a_cut_off_reach_the_higher_tier(tiny, answer: int, tier: str) -> None:
    q = tiny(penalty={"per_point": 0})  # no weakest-link penalty: the overall is the plain mean
    s = score_survey(dict.fromkeys(["t1", "t2", "o1", "o2"], answer), q)
    assert s.overall == pytest.approx((answer - 1) / 4 * 100)  # 50 and 75 are the cut-offs themselves
    assert s.tier.id == tier


def test_adopter_category_boundaries_and_too_few_answers(tiny) -> None:
    q = tiny(adopter={"categories": [{"id": "laggard", "title": "Laggard", "min": 0},
                                     {"id": "early", "title": "Early adopter", "min": 50}]})
    assert score_survey({"i1": 3, "i2": 3}, q).adopter.id == "early"  # exactly 50
    assert score_survey({"i1": 3, "i2": 2}, q).adopter.id == "laggard"  # 37.5
    assert score_survey({"i1": 5}, q).adopter is None  # one answer, two needed


def test_fix_first_ranks_by_index_points_gained(tiny) -> None:
    q = tiny()
    s = score_survey({"t1": 5, "t2": 3, "o1": 2, "o2": None}, q)
    # t2: share 3/4 * 3/4 = 0.5625, gap 25 -> 14.0625 points; o1: share 1/4 * 1, gap 50 -> 12.5; t1 at 100: none
    assert [r["item"] for r in s.fix_first] == ["t2", "o1"]
    assert s.fix_first[0]["points"] == pytest.approx(14.0625)
    raised = score_survey({"t1": 5, "t2": 4, "o1": 2, "o2": None}, q)  # t2 at its target of 75
    assert raised.weighted_mean - s.weighted_mean == pytest.approx(14.0625)


def test_evidence_replaces_the_answer_and_large_gaps_become_findings(tiny) -> None:
    q = tiny()
    s = score_survey({"t1": 5, "t2": 5}, q, evidence={"quality_score": 70.0})
    assert s.dimensions["tech"].score == pytest.approx((70 + 3 * 100) / 4)
    gap = [f for f in s.findings if f.code == SUM_SELF_REPORT_GAP]
    assert len(gap) == 1 and gap[0].evidence["gap"] == pytest.approx(30.0) and gap[0].severity == "warning"
    exactly_20 = score_survey({"t1": 5}, q, evidence={"quality_score": 80.0})
    assert SUM_SELF_REPORT_GAP not in [f.code for f in exactly_20.findings]  # only gaps above 20 count


def test_survey_with_no_answers_is_a_finding_not_a_crash(tiny) -> None:
    s = score_survey({}, tiny())
    assert s.overall is None and s.tier is None
    assert [f.code for f in s.findings] == [SUM_SURVEY_EMPTY]


def test_answer_outside_the_scale_names_the_item(tiny, tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    for bad in (6, 0, 2.5, "often", True):
        path.write_text(yaml.safe_dump({"answers": {"t2": bad}}), encoding="utf-8")
        with pytest.raises(ConfigError, match=r"survey.yaml: answers.t2: found .*whole numbers from 1 to 5"):
            load_answers(path, tiny())


def test_unknown_item_suggests_the_closest_id(tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text("answers:\n  org_budgte: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="answers.org_budgte: unknown item; did you mean 'org_budget'"):
        load_answers(path, load_questionnaire())


def test_blank_words_leave_an_item_unanswered(tiny, tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text("answers:\n  t1: n/a\n  t2: '4'\n  o1:\n", encoding="utf-8")
    answers = load_answers(path, tiny())
    assert answers.answers["t1"] is None and answers.answers["t2"] == 4 and answers.answered == 1


@pytest.mark.parametrize(("overrides", "message"), [
    ({"items": {"t1": {"weight": -1}}}, "items.t1.weight: -1 is negative"),
    ({"dimensions": {"tech": {"weight": 0}, "org": {"weight": 0}}}, "dimension weights sum to zero"),
    ({"items": {"t1": {"weight": 0}, "t2": {"weight": 0}}}, "dimension 'tech': their weights sum to zero"),
    ({"items": {"t3": {"weight": 1}}}, "items.t3: no such item"),
    ({"dimensoins": {}}, "unknown key; did you mean 'dimensions'"),
    ({"tiers": [{"id": "a", "min": 10}]}, "must start at 0"),
])
def test_bad_weights_and_overrides_are_config_errors(tiny, overrides: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        tiny(**overrides)


def test_overrides_change_the_scores(tiny) -> None:
    heavier_org = tiny(dimensions={"org": {"weight": 3}})
    s = score_survey({"t1": 5, "t2": 5, "o1": 1, "o2": 1}, heavier_org)
    assert s.weighted_mean == pytest.approx(50.0)  # (3*100 + 3*0) / 6


def test_bundled_questionnaire_is_complete() -> None:
    q = load_questionnaire()
    assert 28 <= len(q.items) <= 36
    assert {i.dimension for i in q.items} == {"technology", "organisation", "environment", "innovativeness"}
    assert all(i.text and i.low and i.high for i in q.items)
    assert len(set(q.item_ids)) == len(q.items)
    assert [b.id for b in q.adopter_categories] == ["laggard", "late_majority", "early_majority", "early_adopter",
                                                    "innovator"]


def test_sample_client_answers_score_with_a_few_gaps() -> None:
    q = load_questionnaire()
    answers = load_answers(Path(__file__).parents[1] / "sample_data/harbour_physio/survey.yaml", q)
    s = score_survey(answers, q)
    assert 1 <= len(s.unanswered) <= 5
    assert s.overall is not None and s.tier is not None and s.adopter is not None
    assert not any(d.incomplete for d in s.dimensions.values())
