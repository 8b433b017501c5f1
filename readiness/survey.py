"""The readiness questionnaire: load it, read a client's answers and score them.

Scoring rules (the questionnaire YAML holds every number):

* item score = (answer - 1) / 4 x 100 on the 1-5 scale;
* dimension score = weighted mean of its answered items; unanswered items are listed, never
  counted as zero; a dimension with fewer than ``min_answered_share`` of its items answered is
  marked incomplete;
* overall = weighted mean of the scored dimensions, minus a weakest-link penalty (each point a
  dimension lies below its floor costs ``penalty.per_point``, capped at ``penalty.cap``);
* tier and adopter category: the highest band whose ``min`` the score reaches;
* fix-first list: items ranked by the points the overall index would gain if the item reached
  its target (its share of the index x its gap to the target).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from readiness.errors import ConfigError
from readiness.findings import (
    CATALOGUE,
    SUM_ADOPTER_UNKNOWN,
    SUM_BELOW_FLOOR,
    SUM_DIMENSION_INCOMPLETE,
    SUM_SELF_REPORT_GAP,
    SUM_SURVEY_EMPTY,
    SUM_UNANSWERED,
    SUM_VERSION_MISMATCH,
)
from readiness.results import Finding

QUESTIONNAIRE_PATH = Path(__file__).parent / "data" / "questionnaire.yaml"


# Words a respondent may write instead of a number to leave an item unanswered.
BLANK_ANSWERS = frozenset({"", "n/a", "na", "-", "skip", "unknown", "don't know", "dont know"})
_ITEM_OVERRIDABLE = ("weight", "target")
_OVERRIDABLE = ("target", "min_answered_share", "dimensions", "penalty", "tiers", "adopter", "evidence", "items")


@dataclass(frozen=True)
class Item:
    """One question: its text, the anchor sentences for 1 and 5, and its weight."""

    id: str
    dimension: str
    topic: str
    text: str
    low: str
    high: str
    weight: float
    target: float


@dataclass(frozen=True)
class Band:
    """A named score band (maturity tier or adopter category); ``min`` is inclusive."""

    id: str
    title: str
    min: float
    verdict: str | None = None


@dataclass(frozen=True)
class Questionnaire:
    """A validated questionnaire; build it with :func:`load_questionnaire`."""

    version: str
    scale_min: int
    scale_max: int
    min_answered_share: float
    dimensions: dict[str, dict[str, Any]]  # id -> {title, weight, floor}
    penalty_per_point: float
    penalty_cap: float
    tiers: list[Band]
    adopter_dimension: str
    adopter_min_answered: int
    adopter_categories: list[Band]
    evidence: dict[str, str]  # item id -> evidence source
    max_gap: float
    risks: dict[str, dict[str, Any]]
    items: list[Item]
    source: str = "questionnaire.yaml"

    def item(self, item_id: str) -> Item:
        """The item called ``item_id``; raises :class:`ConfigError` naming the closest id."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise ConfigError(f"{self.source}: no item {item_id!r}; {_closest_hint(item_id, self.item_ids)}")

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]


@dataclass(frozen=True)
class ItemScore:
    """One item's answer and score; ``score`` is the measured value when evidence replaced it."""

    id: str
    dimension: str
    answer: int | None
    self_score: float | None
    score: float | None
    source: str  # "answer", "measured" or "unanswered"


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's weighted mean of scored items, with how many items it rests on."""

    id: str
    title: str
    score: float | None
    answered: int
    total: int
    incomplete: bool
    weight: float
    floor: float


@dataclass
class SurveyScore:
    """Everything scored from one set of answers."""

    version: str
    items: list[ItemScore]
    dimensions: dict[str, DimensionScore]
    weighted_mean: float | None
    penalty: float
    overall: float | None
    tier: Band | None
    innovativeness: float | None
    adopter: Band | None
    unanswered: list[str]
    fix_first: list[dict[str, Any]]
    evidence_gaps: list[dict[str, Any]]
    findings: list[Finding] = field(default_factory=list)

    def dimension_scores(self) -> dict[str, float | None]:
        """Dimension title -> score, for charts and the index page."""
        return {d.title: d.score for d in self.dimensions.values()}

# ---------------------------------------------------------------- loading the questionnaire


def load_questionnaire(path: str | Path | None = None, *, overrides: Mapping[str, Any] | None = None
                       ) -> Questionnaire:
    """Read the questionnaire YAML, apply an engagement's overrides and validate every number.

    Parameters
    ----------
    path : path, optional
        The questionnaire file; the bundled ``readiness/data/questionnaire.yaml`` by default.
    overrides : mapping, optional
        Same keys as the file (``dimensions``, ``penalty``, ``tiers``, ``adopter``, ``target``,
        ...); ``items`` maps an item id to the keys to change, e.g.
        ``{"items": {"org_budget": {"weight": 2}}, "dimensions": {"environment": {"weight": 0.1}}}``.

    Returns
    -------
    Questionnaire

    Raises
    ------
    ConfigError
        A weight is negative, the weights of the dimensions (or of one dimension's items) sum to
        zero, a cut-off list is not ascending from 0, or an override names an unknown key or item.

    Examples
    --------
    >>> q = load_questionnaire(overrides={"items": {"org_budget": {"weight": 2}}})
    >>> q.item("org_budget").weight
    2.0
    """
    path = Path(path) if path else QUESTIONNAIRE_PATH
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name + (" (with questionnaire_overrides)" if overrides else "")
    if overrides:
        raw = apply_overrides(raw, overrides, where=path.name)
    return _build(raw, where)


def apply_overrides(raw: Mapping[str, Any], overrides: Mapping[str, Any], *, where: str = "questionnaire.yaml"
                    ) -> dict[str, Any]:
    """A copy of the raw questionnaire with ``overrides`` merged in (see :func:`load_questionnaire`)."""
    merged = copy.deepcopy(dict(raw))
    if not isinstance(overrides, Mapping):
        raise ConfigError(f"questionnaire_overrides: expected a mapping, found {overrides!r}")
    for key, value in overrides.items():
        if key not in _OVERRIDABLE:
            raise ConfigError(f"questionnaire_overrides.{key}: unknown key; {_closest_hint(key, list(_OVERRIDABLE))}")
        if key == "items":
            merged["items"] = _override_items(merged["items"], value, where)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value, f"questionnaire_overrides.{key}")
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _deep_merge(base: Mapping[str, Any], extra: Mapping[str, Any], where: str) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if key not in base:
            raise ConfigError(f"{where}.{key}: unknown key; {_closest_hint(key, [str(k) for k in base])}")
        if isinstance(value, Mapping) and isinstance(base[key], Mapping):
            out[key] = _deep_merge(base[key], value, f"{where}.{key}")
        else:
            out[key] = copy.deepcopy(value)
    return out


def _override_items(items: list[dict], changes: Any, where: str) -> list[dict]:
    if not isinstance(changes, Mapping):
        raise ConfigError(f"questionnaire_overrides.items: expected item id -> {{weight: ...}}, found {changes!r}")
    by_id = {item["id"]: dict(item) for item in items}
    for item_id, change in changes.items():
        if item_id not in by_id:
            raise ConfigError(f"questionnaire_overrides.items.{item_id}: no such item in {where}; "
                              f"{_closest_hint(item_id, list(by_id))}")
        if not isinstance(change, Mapping):
            raise ConfigError(f"questionnaire_overrides.items.{item_id}: expected e.g. {{weight: 2}}, found {change!r}")
        for key, value in change.items():
            if key not in _ITEM_OVERRIDABLE:
                raise ConfigError(f"questionnaire_overrides.items.{item_id}.{key}: only "
                                  f"{' and '.join(_ITEM_OVERRIDABLE)} can be overridden per item")
            by_id[item_id][key] = value
    return list(by_id.values())


def _build(raw: Mapping[str, Any], where: str) -> Questionnaire:
    dims = {str(k): dict(v) for k, v in raw["dimensions"].items()}
    for dim_id, dim in dims.items():
        dim["weight"] = _weight(dim.get("weight"), f"{where}: dimensions.{dim_id}.weight")
        dim["floor"] = _number(dim.get("floor", 0), f"{where}: dimensions.{dim_id}.floor", 0, 100)
        dim.setdefault("title", dim_id.capitalize())
    if sum(d["weight"] for d in dims.values()) <= 0:
        raise ConfigError(f"{where}: dimensions.*.weight: the dimension weights sum to zero; give at least one "
                          "dimension a positive weight")
    target = _number(raw.get("target", 75), f"{where}: target", 0, 100)
    adopter = dict(raw["adopter"])
    known_dims = [*dims, adopter["dimension"]]
    items = [_item(i, raw_item, known_dims, target, where) for i, raw_item in enumerate(raw["items"])]
    _check_item_weights(items, known_dims, where)
    evidence = dict(raw.get("evidence", {}).get("items", {}))
    for item_id in [*evidence, *(i for r in raw.get("risks", {}).values() for i in r.get("items", []))]:
        if item_id not in {i.id for i in items}:
            raise ConfigError(f"{where}: evidence or risks name item {item_id!r}, which is not in `items`; "
                              f"{_closest_hint(item_id, [i.id for i in items])}")
    penalty = raw.get("penalty", {})
    return Questionnaire(
        version=str(raw.get("version", "")), scale_min=int(raw["scale"]["min"]), scale_max=int(raw["scale"]["max"]),
        min_answered_share=_number(raw.get("min_answered_share", 0.6), f"{where}: min_answered_share", 0, 1),
        dimensions=dims,
        penalty_per_point=_number(penalty.get("per_point", 0), f"{where}: penalty.per_point", 0, 100),
        penalty_cap=_number(penalty.get("cap", 0), f"{where}: penalty.cap", 0, 100),
        tiers=_bands(raw["tiers"], f"{where}: tiers"),
        adopter_dimension=str(adopter["dimension"]), adopter_min_answered=int(adopter.get("min_answered", 1)),
        adopter_categories=_bands(adopter["categories"], f"{where}: adopter.categories"),
        evidence=evidence, max_gap=_number(raw.get("evidence", {}).get("max_gap", 20), f"{where}: evidence.max_gap",
                                           0, 100),
        risks={str(k): dict(v) for k, v in raw.get("risks", {}).items()},
        items=items, source=where,
    )


def _item(i: int, raw: Mapping[str, Any], dims: list[str], target: float, where: str) -> Item:
    item_id = str(raw.get("id", f"items[{i}]"))
    if raw.get("dimension") not in dims:
        raise ConfigError(f"{where}: items.{item_id}.dimension: {raw.get('dimension')!r} is not a dimension; "
                          f"{_closest_hint(raw.get('dimension'), dims)}")
    item_target = raw.get("target")
    return Item(
        id=item_id, dimension=str(raw["dimension"]), topic=str(raw.get("topic", "")), text=str(raw["text"]),
        low=str(raw.get("low", "")), high=str(raw.get("high", "")),
        weight=_weight(raw.get("weight", 1.0), f"{where}: items.{item_id}.weight"),
        target=target if item_target is None else _number(item_target, f"{where}: items.{item_id}.target", 0, 100),
    )


def _check_item_weights(items: list[Item], dims: list[str], where: str) -> None:
    for dim in dims:
        weights = [i.weight for i in items if i.dimension == dim]
        if weights and sum(weights) <= 0:
            raise ConfigError(f"{where}: items of dimension {dim!r}: their weights sum to zero; give at least one "
                              "item a positive weight")


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where}: found {value!r}, expected a number from {low:g} to {high:g}")
    if not low <= value <= high:
        raise ConfigError(f"{where}: {value!r} is outside {low:g}-{high:g}; use a number in that range")
    return float(value)


def _weight(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where}: found {value!r}, expected a weight (a number, zero or more)")
    if value < 0:
        raise ConfigError(f"{where}: {value!r} is negative; weights must be zero or more")
    return float(value)


def _bands(raw: list[Mapping[str, Any]], where: str) -> list[Band]:
    bands = [Band(id=str(b["id"]), title=str(b.get("title", b["id"])), min=_number(b["min"], f"{where}.{b['id']}.min",
                                                                                  0, 100),
                  verdict=b.get("verdict")) for b in raw]
    mins = [b.min for b in bands]
    if not bands or mins[0] != 0 or mins != sorted(set(mins)):
        raise ConfigError(f"{where}: cut-offs {mins} must start at 0 and rise strictly; list the bands lowest first")
    return bands


def _closest_hint(word: Any, choices: list[str]) -> str:
    match = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.5)
    if match:
        return f"did you mean {match[0]!r}?"
    return f"known names are: {', '.join(choices[:40])}"


# ---------------------------------------------------------------- reading answers


@dataclass
class SurveyAnswers:
    """A client's answers: item id -> 1-5, or None when left blank."""

    answers: dict[str, int | None]
    version: str | None = None
    source: str = "survey.yaml"

    @property
    def answered(self) -> int:
        return sum(1 for v in self.answers.values() if v is not None)


def load_answers(path: str | Path, questionnaire: Questionnaire) -> SurveyAnswers:
    """Read a survey answers file (``answers: {item_id: 1-5 or blank}``).

    Raises
    ------
    ConfigError
        The file is missing or not YAML, has no ``answers`` mapping, names an unknown item (the
        closest id is suggested) or holds an answer outside the scale.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: survey answers file not found; check `survey:` in the engagement, or write one "
                          "with `readiness new`") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not valid YAML ({' '.join(str(exc).split())[:200]})") from None
    data = data or {}
    if not isinstance(data, Mapping) or not isinstance(data.get("answers") or {}, Mapping):
        raise ConfigError(f"{path.name}: expected a mapping with `answers: {{item_id: 1-5}}`")
    version = data.get("questionnaire_version")
    parsed = parse_answers(data.get("answers") or {}, questionnaire, where=path.name)
    return SurveyAnswers(parsed, version=None if version is None else str(version), source=path.name)


def parse_answers(raw: Mapping[str, Any], questionnaire: Questionnaire, *, where: str = "survey.yaml"
                  ) -> dict[str, int | None]:
    """Validate raw answers: every key a known item, every value a whole number on the scale or blank.

    Items not listed count as unanswered. Blank, ``n/a``, ``skip`` or ``-`` leave an item unanswered.
    """
    ids = questionnaire.item_ids
    answers: dict[str, int | None] = dict.fromkeys(ids)
    low, high = questionnaire.scale_min, questionnaire.scale_max
    for key, value in raw.items():
        if key not in answers:
            raise ConfigError(f"{where}: answers.{key}: unknown item; {_closest_hint(key, ids)}")
        answers[key] = _answer(value, f"{where}: answers.{key}", low, high)
    return answers


def _answer(value: Any, where: str, low: int, high: int) -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in BLANK_ANSWERS):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or not low <= value <= high:
        raise ConfigError(f"{where}: found {value!r}; answers are whole numbers from {low} to {high}, "
                          "or blank when unknown")
    return int(value)


# ---------------------------------------------------------------- scoring


def item_score(answer: int, *, scale_min: int = 1, scale_max: int = 5) -> float:
    """Score 0-100 of one answer: ``(answer - 1) / 4 x 100`` on the 1-5 scale.

    >>> item_score(1), item_score(3), item_score(5)
    (0.0, 50.0, 100.0)
    """
    return (answer - scale_min) / (scale_max - scale_min) * 100.0


def band_for(score: float | None, bands: list[Band]) -> Band | None:
    """The highest band whose ``min`` the score reaches (a score equal to a cut-off is in the higher band)."""
    if score is None:
        return None
    reached = [b for b in bands if round(score, 6) >= b.min]
    return reached[-1] if reached else bands[0]


def score_survey(answers: SurveyAnswers | Mapping[str, int | None], questionnaire: Questionnaire, *,
                 evidence: Mapping[str, float] | None = None, fix_first_count: int = 5) -> SurveyScore:
    """Score a client's answers.

    Parameters
    ----------
    answers : SurveyAnswers or mapping
        Item id -> answer (1-5) or None; a plain mapping is validated with :func:`parse_answers`.
    questionnaire : Questionnaire
    evidence : mapping, optional
        Evidence source (``"quality_score"``, ``"ethics_checklist"``) -> measured score 0-100.
        Items tied to a source (questionnaire ``evidence.items``) are scored on the measured
        value instead of the answer, and gaps above ``max_gap`` become findings.
    fix_first_count : int
        Length of the fix-first list.

    Returns
    -------
    SurveyScore

    Examples
    --------
    >>> q = load_questionnaire()
    >>> s = score_survey({i: 3 for i in q.item_ids}, q)
    >>> s.overall, s.tier.id
    (50.0, 'exploring')
    """
    if not isinstance(answers, SurveyAnswers):
        answers = SurveyAnswers(parse_answers(answers, questionnaire))
    evidence = dict(evidence or {})
    items = [_score_item(item, answers.answers.get(item.id), questionnaire, evidence) for item in questionnaire.items]
    dims = {d: _dimension(d, spec, items, questionnaire) for d, spec in questionnaire.dimensions.items()}
    mean, penalty, overall = _overall(dims, questionnaire)
    innovativeness = _weighted_mean(items, questionnaire, questionnaire.adopter_dimension)
    inn_answered = sum(1 for i in items if i.dimension == questionnaire.adopter_dimension and i.score is not None)
    if inn_answered < questionnaire.adopter_min_answered:
        innovativeness = None
    score = SurveyScore(
        version=questionnaire.version, items=items, dimensions=dims, weighted_mean=mean, penalty=penalty,
        overall=overall, tier=band_for(overall, questionnaire.tiers), innovativeness=innovativeness,
        adopter=band_for(innovativeness, questionnaire.adopter_categories),
        unanswered=[i.id for i in items if i.answer is None],
        fix_first=fix_first(items, dims, questionnaire, count=fix_first_count),
        evidence_gaps=_evidence_gaps(items, questionnaire, evidence),
    )
    score.findings = _findings(score, answers, questionnaire)
    return score


def _score_item(item: Item, answer: int | None, q: Questionnaire, evidence: Mapping[str, float]) -> ItemScore:
    self_score = None if answer is None else item_score(answer, scale_min=q.scale_min, scale_max=q.scale_max)
    measured = evidence.get(q.evidence.get(item.id, ""))
    if measured is not None:
        return ItemScore(item.id, item.dimension, answer, self_score, float(measured), "measured")
    return ItemScore(item.id, item.dimension, answer, self_score, self_score,
                     "unanswered" if answer is None else "answer")


def _weighted_mean(items: list[ItemScore], q: Questionnaire, dimension: str) -> float | None:
    weights = {i.id: i.weight for i in q.items}
    scored = [(weights[i.id], i.score) for i in items if i.dimension == dimension and i.score is not None]
    total = sum(w for w, _ in scored)
    if not scored or total <= 0:
        return None
    return sum(w * s for w, s in scored) / total


def _dimension(dim_id: str, spec: Mapping[str, Any], items: list[ItemScore], q: Questionnaire) -> DimensionScore:
    mine = [i for i in items if i.dimension == dim_id]
    answered = sum(1 for i in mine if i.score is not None)
    return DimensionScore(
        id=dim_id, title=str(spec["title"]), score=_weighted_mean(items, q, dim_id), answered=answered,
        total=len(mine), incomplete=answered < q.min_answered_share * len(mine), weight=spec["weight"],
        floor=spec["floor"],
    )


def _overall(dims: Mapping[str, DimensionScore], q: Questionnaire) -> tuple[float | None, float, float | None]:
    scored = [d for d in dims.values() if d.score is not None]
    total = sum(d.weight for d in scored)
    if not scored or total <= 0:
        return None, 0.0, None
    mean = sum(d.weight * d.score for d in scored) / total
    shortfall = sum(max(0.0, d.floor - d.score) for d in scored)
    penalty = min(q.penalty_cap, q.penalty_per_point * shortfall)
    return mean, penalty, max(0.0, mean - penalty)


def fix_first(items: list[ItemScore], dims: Mapping[str, DimensionScore], q: Questionnaire, *, count: int = 5
              ) -> list[dict[str, Any]]:
    """Items ranked by the index points gained if each reached its target (weight x gap).

    An item's weight in the index is its dimension's share of the scored dimensions' weight
    times its own share of that dimension's scored items' weight, so ``points`` is exactly what
    the weighted mean would gain (before the penalty).
    """
    by_id = {i.id: i for i in q.items}
    dim_total = sum(d.weight for d in dims.values() if d.score is not None)
    rows = []
    for s in items:
        if s.dimension not in dims or s.score is None or dim_total <= 0:
            continue
        item = by_id[s.id]
        item_total = sum(by_id[o.id].weight for o in items if o.dimension == s.dimension and o.score is not None)
        share = dims[s.dimension].weight / dim_total * (item.weight / item_total if item_total else 0.0)
        gap = max(0.0, item.target - s.score)
        if gap > 0 and share > 0:
            rows.append({"item": s.id, "dimension": s.dimension, "topic": item.topic, "text": item.text,
                         "score": s.score, "target": item.target, "gap": gap, "weight": share,
                         "points": share * gap})
    rows.sort(key=lambda r: (-r["points"], r["item"]))
    return rows[:count]


def _evidence_gaps(items: list[ItemScore], q: Questionnaire, evidence: Mapping[str, float]) -> list[dict[str, Any]]:
    gaps = []
    for s in items:
        source = q.evidence.get(s.id)
        if source is None or s.self_score is None or evidence.get(source) is None:
            continue
        measured = float(evidence[source])
        gaps.append({"item": s.id, "evidence": source, "self_score": s.self_score, "measured": measured,
                     "gap": s.self_score - measured, "finding": abs(s.self_score - measured) > q.max_gap})
    return gaps


def _findings(score: SurveyScore, answers: SurveyAnswers, q: Questionnaire) -> list[Finding]:
    src = answers.source
    if answers.answered == 0:
        return [Finding("error", SUM_SURVEY_EMPTY, f"{src} holds no answer, so the readiness index cannot be "
                        "computed; fill in the questionnaire with the owner or manager.")]
    found = []
    if answers.version and q.version and answers.version != q.version:
        found.append(Finding("warning", SUM_VERSION_MISMATCH, f"{src} was written for questionnaire version "
                             f"{answers.version}, scored with version {q.version}; item wording may differ.",
                             evidence={"answers": answers.version, "questionnaire": q.version}))
    if score.unanswered:
        found.append(Finding("info", SUM_UNANSWERED, f"{len(score.unanswered)} of {len(score.items)} questions were "
                             "left blank; they are left out of the scores, not counted as zero.",
                             evidence={"items": score.unanswered}))
    for d in score.dimensions.values():
        if d.incomplete:
            found.append(Finding("warning", SUM_DIMENSION_INCOMPLETE, f"{d.title}: only {d.answered} of {d.total} "
                                 "questions answered, too few to rely on its score.",
                                 evidence={"dimension": d.id, "answered": d.answered, "total": d.total}))
        if d.score is not None and d.score < d.floor:
            found.append(Finding("warning", SUM_BELOW_FLOOR, f"{d.title} scores {d.score:.1f}, below its floor of "
                                 f"{d.floor:.0f}; the weakest link pulls the readiness index down.",
                                 evidence={"dimension": d.id, "score": d.score, "floor": d.floor}))
    if score.adopter is None:
        found.append(Finding("info", SUM_ADOPTER_UNKNOWN, f"Fewer than {q.adopter_min_answered} innovativeness "
                             "questions answered; no adopter category."))
    found += [_gap_finding(g, q) for g in score.evidence_gaps if g["finding"]]
    return found


def _gap_finding(gap: Mapping[str, Any], q: Questionnaire) -> Finding:
    what = {"quality_score": "the measured data-quality score",
            "ethics_checklist": "the ethics checklist"}.get(gap["evidence"], gap["evidence"])
    direction = "higher" if gap["gap"] > 0 else "lower"
    return Finding(
        "warning" if gap["gap"] > 0 else "info", SUM_SELF_REPORT_GAP,
        f"Self-assessed '{q.item(gap['item']).topic.lower()}' ({gap['self_score']:.0f}) is {abs(gap['gap']):.0f} "
        f"points {direction} than {what} ({gap['measured']:.0f}); the measured value is used in the index.",
        evidence={k: gap[k] for k in ("item", "evidence", "self_score", "measured", "gap")},
    )


CODES = {code: CATALOGUE[code].meaning for code in (
    SUM_SURVEY_EMPTY, SUM_UNANSWERED, SUM_DIMENSION_INCOMPLETE, SUM_BELOW_FLOOR,
    SUM_ADOPTER_UNKNOWN, SUM_SELF_REPORT_GAP, SUM_VERSION_MISMATCH,
)}

__all__ = [
    "CODES", "QUESTIONNAIRE_PATH", "Band", "DimensionScore", "Item", "ItemScore", "Questionnaire", "SurveyAnswers",
    "SurveyScore", "apply_overrides", "band_for", "fix_first", "item_score", "load_answers", "load_questionnaire",
    "parse_answers", "score_survey",
    "SUM_ADOPTER_UNKNOWN", "SUM_BELOW_FLOOR", "SUM_DIMENSION_INCOMPLETE", "SUM_SELF_REPORT_GAP", "SUM_SURVEY_EMPTY",
    "SUM_UNANSWERED", "SUM_VERSION_MISMATCH",
]
