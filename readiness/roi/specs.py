"""The catalogue of ROI inputs: benefit shapes, each input's meaning, unit and bounds, the costs.

:data:`SHAPE_INPUTS` says which inputs each benefit shape needs and which it may take;
:data:`INPUT_SPECS` gives each input's label, unit and bounds, as the assumptions table and the
error messages show them. ``NO_*`` pair what a use case may leave out with what to add, as a use
case that cannot be valued says.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BENEFIT_SHAPES", "DEFAULTS", "DEFAULT_RAMP_MONTHS", "DISTRIBUTIONS", "INPUT_SPECS", "MAX_DRAWS",
    "MAX_HORIZON_YEARS", "NO_BENEFIT", "NO_COSTS", "NO_REVENUE_VARIANT", "NO_SHAPE", "ONE_OFF_COSTS",
    "OTHER_STAGES_KEYS", "OWN_KEYS", "RECURRING_COSTS", "SHAPE_INPUTS", "InputSpec", "Missing",
]

DISTRIBUTIONS = ("pert", "triangular")
BENEFIT_SHAPES = ("model_decisions", "time_saved", "revenue")
DEFAULT_RAMP_MONTHS = 6.0
MAX_HORIZON_YEARS = 30
MAX_DRAWS = 1_000_000


@dataclass(frozen=True)
class InputSpec:
    """What one input means, its unit (``money`` is shown in the run's currency) and its bounds."""

    label: str
    unit: str
    minimum: float | None = None
    maximum: float | None = None
    below_maximum: bool = False  # the maximum itself is not allowed


_SHARE = {"minimum": 0.0, "maximum": 1.0}
INPUT_SPECS: dict[str, InputSpec] = {
    "value.true_positive": InputSpec("value of a true positive", "money per decision"),
    "value.false_positive": InputSpec("value of a false positive", "money per decision"),
    "value.false_negative": InputSpec("value of a false negative", "money per decision"),
    "value.true_negative": InputSpec("value of a true negative", "money per decision"),
    "value.decisions_per_year": InputSpec("decisions per year", "decisions a year", minimum=0.0),
    "benefit.adoption": InputSpec("adoption at full use", "share", **_SHARE),
    "benefit.hours_saved_per_year": InputSpec("hours saved per year", "hours a year", minimum=0.0),
    "benefit.hourly_rate": InputSpec("loaded hourly rate", "money per hour", minimum=0.0),
    "benefit.rework_share": InputSpec("share of saved time lost to rework", "share", **_SHARE),
    "benefit.customers": InputSpec("customers reached per year", "customers a year", minimum=0.0),
    "benefit.uplift": InputSpec("extra revenue per customer", "money per customer a year", minimum=0.0),
    "benefit.margin_rate": InputSpec("margin on extra revenue", "share", **_SHARE),
    "benefit.churn_reduction": InputSpec("fewer customers lost per year", "share of customers", **_SHARE),
    "benefit.margin_per_customer": InputSpec("margin per customer per year", "money per customer a year",
                                             minimum=0.0),
    "benefit.retention_rate": InputSpec("yearly retention rate", "share", 0.0, 1.0, below_maximum=True),
}
ONE_OFF_COSTS = {
    "data_preparation": "data preparation", "build": "build", "integration": "integration",
    "training": "training", "change_management": "change management", "other_one_off": "other one-off cost",
}
RECURRING_COSTS = {
    "licences": "licences", "hosting": "hosting", "maintenance": "maintenance", "monitoring": "monitoring",
    "run_per_year": "running cost", "other_per_year": "other yearly cost",
}
for _name, _label in ONE_OFF_COSTS.items():
    INPUT_SPECS[f"costs.{_name}"] = InputSpec(f"{_label} (one-off)", "money", minimum=0.0)
for _name, _label in RECURRING_COSTS.items():
    INPUT_SPECS[f"costs.{_name}"] = InputSpec(f"{_label} (yearly)", "money a year", minimum=0.0)

# shape -> variant -> (required inputs, optional inputs); a variant is chosen by its first input.
SHAPE_INPUTS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "model_decisions": {"decisions": (("value.true_positive", "value.decisions_per_year"),
                                      ("value.false_positive", "value.false_negative", "value.true_negative",
                                       "benefit.adoption"))},
    "time_saved": {"time": (("benefit.hours_saved_per_year", "benefit.hourly_rate"),
                            ("benefit.adoption", "benefit.rework_share"))},
    "revenue": {"churn": (("benefit.churn_reduction", "benefit.customers", "benefit.margin_per_customer",
                           "benefit.retention_rate"), ("benefit.adoption",)),
                "uplift": (("benefit.uplift", "benefit.customers", "benefit.margin_rate"), ("benefit.adoption",))},
}
DEFAULTS = {"benefit.adoption": 1.0, "benefit.rework_share": 0.0, "value.false_positive": 0.0,
            "value.false_negative": 0.0, "value.true_negative": 0.0}
OWN_KEYS = ("id", "title", "benefit", "value", "costs", "p_success", "feasibility")
OTHER_STAGES_KEYS = {"table", "target", "kind", "positive", "time_column", "group_column", "exclude", "protected",
                     "domain", "text_column", "extra", "threshold"}

# (what is missing, what to add), used when a use case leaves out what its value needs
NO_BENEFIT = ("neither `benefit` nor `value` is given",
              "benefit: {shape: time_saved | revenue | model_decisions, ...} (or value: {true_positive: ..., "
              "decisions_per_year: ...} for model decisions)")
NO_SHAPE = ("`benefit.shape` is not given", "benefit.shape: model_decisions | time_saved | revenue")
NO_COSTS = ("no `costs` are given", "costs: {build: [low, likely, high], run_per_year: [low, likely, high]}")
NO_REVENUE_VARIANT = ("a revenue benefit needs `benefit.uplift` or `benefit.churn_reduction`, and neither is given",
                      "benefit.uplift (with customers and margin_rate) for customers x uplift x margin, or "
                      "benefit.churn_reduction (with customers, margin_per_customer and retention_rate) for retention")
Missing = tuple[str, str]
