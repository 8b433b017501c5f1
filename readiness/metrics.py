"""The typed contracts between stages: the parts of a stage's metrics that other stages read.

A stage writes its metrics as a plain JSON object (``StageResult.metrics``, unchanged on disk);
a stage that reads another's result parses them with that stage's model
(``result.metrics_as(FeasibilityMetrics)``) and reads attributes, never string keys. Each model
names the fields other stages rely on and keeps every other field as it is (``extra="allow"``),
so a stage may add metrics without breaking its readers, and a reader fails loudly (a
:class:`pydantic.ValidationError`) when a field it relies on has the wrong shape.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator


class _Metrics(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Confusion(BaseModel):
    """Out-of-fold decision counts at a threshold."""

    model_config = ConfigDict(extra="forbid")

    tp: float = Field(ge=0)
    fp: float = Field(ge=0)
    fn: float = Field(ge=0)
    tn: float = Field(ge=0)


class QualityMetrics(_Metrics):
    """What a data-quality result tells other stages: the table's size, types and personal columns."""

    rows: int = 0
    columns: int = 0
    scores: dict[str, float | None] = {}
    semantic_types: dict[str, str] = {}
    personal_columns: dict[str, str] = {}


class FeasibilityMetrics(_Metrics):
    """What the ROI stage and the summary read of a feasibility result."""

    use_case: str | None = None
    title: str | None = None
    kind: str | None = None
    table: str | None = None
    threshold: float | None = Field(default=None, ge=0, le=1)
    confusion_matrix: Confusion | None = None
    confusion_matrix_at_0_5: Confusion | None = None
    leakage_suspected: StrictBool = False

    @field_validator("leakage_suspected", mode="before")
    @classmethod
    def _missing_is_false(cls, value: Any) -> Any:
        return False if value is None else value


class ChecklistCounts(_Metrics):
    """How the ethics checklist was answered."""

    items: int = 0
    yes: int = 0
    no: int = 0
    not_applicable: int = Field(default=0, validation_alias=AliasChoices("n/a", "not_applicable"))
    open: int = Field(default=0, validation_alias=AliasChoices("open", "unanswered"))
    score: float | None = None

    @property
    def share_yes(self) -> float | None:
        """Items answered yes, 0-100, over the items that apply (``n/a`` left out, open items counted)."""
        if self.score is not None:
            return float(self.score)
        applicable = self.yes + self.no + self.open
        return 100.0 * self.yes / applicable if applicable else None


class AiAct(_Metrics):
    """The EU AI Act reading of a use case."""

    tier: str | None = None


class EthicsMetrics(_Metrics):
    """What the summary reads of an ethics result: the AI Act tier and the checklist."""

    ai_act: AiAct | None = None
    ai_act_tier: str | None = None
    checklist: ChecklistCounts | None = None
    checklist_score: float | None = None

    @property
    def tier(self) -> str | None:
        """The EU AI Act tier, however the result gives it."""
        return self.ai_act_tier or (self.ai_act.tier if self.ai_act else None)

    @property
    def checklist_share_yes(self) -> float | None:
        """The checklist measured as a share of items answered yes, 0-100."""
        if self.checklist_score is not None:
            return float(self.checklist_score)
        return self.checklist.share_yes if self.checklist else None


class UseCaseMoney(_Metrics):
    """One use case's money figures in ``roi.json``."""

    title: str | None = None
    npv: float | None = None
    risk_adjusted_npv: float | None = None
    payback_months: float | None = None
    prob_npv_positive: float | None = None


class NotValuedInfo(_Metrics):
    """Why the ROI stage could not value a use case, and what to add."""

    title: str | None = None
    reason: str | None = None
    to_add: str | None = None


class RoiMetrics(_Metrics):
    """What the summary reads of ``roi.json``: each use case's money, the ones not valued, the currency."""

    currency: str | None = None
    use_cases: dict[str, UseCaseMoney] = {}
    titles: dict[str, str] = {}
    not_valued: dict[str, NotValuedInfo] = {}

    @field_validator("use_cases", mode="before")
    @classmethod
    def _by_id(cls, value: Any) -> Any:
        # a list of figures, each with its id, is accepted as well as figures keyed by id
        if isinstance(value, list):
            return {str(row.get("id", row.get("use_case"))): row for row in value if isinstance(row, dict)}
        return value


class SummaryMetrics(_Metrics):
    """What the index page reads of the summary: the readiness index, tier, adopter category, dimensions."""

    readiness_index: float | None = None
    tier_title: str | None = None
    adopter_title: str | None = None
    dimensions: dict[str, dict[str, Any]] = {}
    executive_summary: list[str] = []


# ---------------------------------------------------------------- read by the progress stage
# Extensions of the contracts above with the fields the progress report compares between two runs.
# They are read with ``metrics_as`` but not enforced on save: the stages keep their own contracts.


class Estimate(_Metrics):
    """A cross-validated estimate: the mean over folds with its 95 % interval."""

    mean: float | None = None
    std: float | None = None
    ci: list[float | None] | None = None

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95 % interval as ``(low, high)``, or None when it is not known."""
        if not self.ci or len(self.ci) != 2 or self.ci[0] is None or self.ci[1] is None:
            return None
        return float(self.ci[0]), float(self.ci[1])

    @property
    def half_width(self) -> float | None:
        """Half the width of the 95 % interval, or None when it is not known."""
        bounds = self.interval
        return None if bounds is None else (bounds[1] - bounds[0]) / 2


class Lift(Estimate):
    """The best model's primary metric minus the baseline's, paired by fold (``metrics.lift``)."""

    metric: str | None = None
    model: str | None = None
    baseline: float | None = None
    value: float | None = None


class FeasibilityScores(FeasibilityMetrics):
    """A feasibility result's models: each model's cross-validated metrics, the best one and its lift."""

    primary_metric: str | None = None
    best_model: str | None = None
    models: dict[str, dict[str, Estimate]] = {}
    lift: Lift | None = None

    @field_validator("models", mode="before")
    @classmethod
    def _estimates_only(cls, value: Any) -> Any:
        # keep the metric estimates (dicts) of each model; anything else a stage adds is not an estimate
        if not isinstance(value, dict):
            return {}
        return {str(model): {str(k): v for k, v in (metrics or {}).items() if isinstance(v, dict)}
                for model, metrics in value.items() if isinstance(metrics, dict)}

    @property
    def best_primary(self) -> Estimate | None:
        """The best model's estimate of the primary metric (``models[best_model][primary_metric]``)."""
        if not self.best_model or not self.primary_metric:
            return None
        return self.models.get(self.best_model, {}).get(self.primary_metric)


class EthicsLights(EthicsMetrics):
    """An ethics result's traffic lights: check -> ``green``, ``amber``, ``red`` or None (not assessed)."""

    checks: dict[str, str | None] = {}


class SuccessChance(_Metrics):
    """P(success) the ROI stage used for a use case, and where it came from."""

    value: float | None = None
    source: str | None = None
    feasibility_verdict: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _number_alone(cls, value: Any) -> Any:
        return {"value": value} if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class RoiDrivers(RoiMetrics):
    """What an ROI result rests on besides its inputs: verdicts, P(success), horizon and rate."""

    verdicts: dict[str, str | None] = {}
    p_success: dict[str, SuccessChance] = {}
    horizon_years: float | None = None
    discount_rate: float | None = None
    draws: int | None = None
    seed: int | None = None


class DimensionScore(_Metrics):
    """One readiness dimension of the summary."""

    title: str | None = None
    score: float | None = None


class SummaryScores(SummaryMetrics):
    """The summary's readiness index and its dimensions, read by attribute."""

    tier: str | None = None
    dimensions: dict[str, DimensionScore] = {}  # type: ignore[assignment]


class ProgressSide(_Metrics):
    """One of the two runs a progress report compares."""

    client: str | None = None
    slug: str | None = None
    as_of: str | None = None
    path: str | None = None


class ProgressMetrics(_Metrics):
    """What the index page and the summary read of ``progress.json``: the two runs and the headline."""

    before: ProgressSide = ProgressSide()
    after: ProgressSide = ProgressSide()
    readiness_index: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    unmatched: list[dict[str, Any]] = []
    headline: str | None = None


class RealisedMetric(_Metrics):
    """One metric measured on the pilot's decisions, with its 95 % bootstrap interval and the feasibility estimate."""

    metric: str | None = None
    realised: float | None = None
    low: float | None = None
    high: float | None = None
    estimate: float | None = None
    estimate_low: float | None = None
    estimate_high: float | None = None
    position: str | None = None  # within, above or below the feasibility interval; None without one


class PilotValue(_Metrics):
    """What the pilot's decisions were worth, per decision and a year, against the ROI stage's estimate."""

    per_decision: float | None = None
    per_decision_low: float | None = None
    per_decision_high: float | None = None
    estimated_per_decision: float | None = None
    per_year: float | None = None
    estimated_per_year: float | None = None


class PilotCalibration(_Metrics):
    """How well the pilot's scores read as probabilities."""

    brier: float | None = None
    expected_calibration_error: float | None = None


class PilotMetrics(_Metrics):
    """What the summary and the index read of a pilot review: the realised figures, drift, fairness, reasons."""

    use_case: str | None = None
    title: str | None = None
    decisions: int = 0
    labelled: int = 0
    headline: str | None = None
    headline_metric: RealisedMetric | None = None
    realised: dict[str, RealisedMetric] = {}
    value: PilotValue | None = None
    calibration: PilotCalibration | None = None
    drift: dict[str, float | None] = {}
    max_psi: float | None = None
    fairness_gaps: list[dict[str, Any]] = []
    checks: dict[str, str | None] = {}
    reasons: list[str] = []


CONTRACTS: dict[str, type[BaseModel]] = {
    "quality": QualityMetrics, "feasibility": FeasibilityMetrics, "ethics": EthicsMetrics, "roi": RoiMetrics,
    "summary": SummaryMetrics, "progress": ProgressMetrics, "pilot": PilotMetrics,
}
"""Stage -> the contract its metrics keep: :meth:`readiness.results.StageResult.save` checks it before writing."""
