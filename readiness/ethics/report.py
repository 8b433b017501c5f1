"""The ethics report: the stage result, the traffic light of each check and every table the notebook shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.ethics import bias, regulation
from readiness.params import Assumption
from readiness.results import StageResult

LIGHT_POINTS = {"green": 100.0, "amber": 50.0, "red": 0.0}
LIGHT_ORDER = ("red", "amber", "green")
CHECKS = ("personal_data", "data_bias", "proxies", "model_fairness", "regulation", "checklist")


@dataclass
class EthicsReport:
    """Everything the ethics notebook shows about one use case."""

    result: StageResult
    lights: dict[str, str | None]
    personal_data: pd.DataFrame
    group_rates: pd.DataFrame
    missingness: pd.DataFrame
    proxies: pd.DataFrame
    ai_act: regulation.AiActAssessment
    nist: pd.DataFrame
    checklist: pd.DataFrame
    by_group: pd.DataFrame = field(default_factory=pd.DataFrame)
    disparity: pd.DataFrame = field(default_factory=pd.DataFrame)
    fairness_summary: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    assumed: list[Assumption] = field(default_factory=list)
    scope_note: str | None = None
    group_rates_caption: str = "Base rates by group (per attribute its largest groups, the rest pooled as 'other')"

    @property
    def title(self) -> str:
        """The use case in words (its id when no title was given)."""
        return str(self.result.metrics.get("title") or self.result.subject)

    @property
    def model_level(self) -> bool:
        """True when predictions were given and the model-level checks ran."""
        return bool(self.fairness_summary)

    @property
    def headline(self) -> str:
        """One sentence on the verdict."""
        worst = [c.replace("_", " ") for c, v in self.lights.items() if v == self.result.verdict]
        word = {"green": "No ethical blocker found", "amber": "Proceed with care",
                "red": "Do not proceed until fixed"}[self.result.verdict]
        scope = "" if self.model_level else " Only data-level checks ran: no predictions were given."
        driven = ", ".join(worst) or "an error finding"
        return f"{word} (traffic light {self.result.verdict}; driven by {driven}).{scope}"

    @property
    def attributes(self) -> list[str]:
        """Protected attributes and intersections with group rates, in order."""
        return list(dict.fromkeys(self.group_rates["attribute"])) if len(self.group_rates) else []

    def rates_records(self, attribute: str) -> list[dict[str, Any]]:
        """Group rates of one attribute as records (for the charts): the largest groups, the rest as one row."""
        return bias.largest_groups(self.group_rates[self.group_rates["attribute"] == attribute]).to_dict("records")

    def group_rates_frame(self) -> pd.DataFrame:
        """Group rates for display: per attribute the reference and largest groups, the rest pooled as one row.

        Every group stays in the result's metrics (``group_size``, ``base_rate``, ``disparate_impact``).
        """
        if self.group_rates.empty:
            return self.group_rates
        parts = [bias.largest_groups(part) for _, part in self.group_rates.groupby("attribute", sort=False)]
        return pd.concat(parts, ignore_index=True)

    def disparity_records(self, attribute: str) -> list[dict[str, Any]]:
        """Model disparities of one attribute as records (for the charts): the reference and the largest groups."""
        part = self.disparity[self.disparity["attribute"] == attribute]  # reference first, then by size
        return part.head(bias.SHOWN_GROUPS).to_dict("records")

    @property
    def cards(self) -> dict[str, Any]:
        """Headline figures for a row of metric cards."""
        strong = int((self.proxies["strength"] == "strong").sum()) if len(self.proxies) else 0
        return {
            "Rows": self.result.metrics.get("rows", 0),
            "Personal columns": int(self.personal_data["column"].nunique()) if len(self.personal_data) else 0,
            "Strong proxies": strong,
            "EU AI Act": regulation.TIER_WORDS[self.ai_act.tier].capitalize(),
            "Checklist open": int(self.checklist["answer"].isna().sum()),
            # as the verdict box writes it
            "Score": "n/a" if self.result.score is None else f"{self.result.score:.1f} / 100",
        }

    def summary_frame(self) -> pd.DataFrame:
        """Per attribute: demographic parity difference and ratio, equalized odds difference, with intervals."""
        rows = [{"attribute": a, **{k: v for k, v in s.items()}} for a, s in self.fairness_summary.items()]
        return pd.DataFrame(rows)

    def ai_act_frame(self) -> pd.DataFrame:
        """The EU AI Act assessment as a two-column table."""
        a = self.ai_act
        items = {"Domain": a.domain or "not given", "What it covers": a.title, "Tier": regulation.TIER_WORDS[a.tier],
                 "Where it comes from": a.article, "What it means": a.summary, "Applies from": a.applies_from,
                 "Decision effect": a.decision_effect, "Rules version": a.rules_version}
        return pd.DataFrame({"item": list(items), "value": [str(v or "") for v in items.values()]})


def save_report(report: EthicsReport, results_dir: str | Path) -> dict[str, Path]:
    """Write ``<use_case>.json`` (the stage result) into ``results_dir``; returns ``{"result": path}``."""
    folder = Path(results_dir)
    return {"result": report.result.save(folder / f"{report.result.subject}.json")}
