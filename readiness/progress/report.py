"""What a comparison of two runs holds: :class:`ProgressReport`, and the parts only one run has (:class:`Unmatched`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readiness.progress.changes import FindingChange
from readiness.progress.measures import LightChange, MetricChange, ScoreChange
from readiness.progress.money import RoiChange
from readiness.progress.runs import RunFolder
from readiness.results import StageResult


@dataclass(frozen=True)
class Unmatched:
    """A table, use case or stage result that only one run has, or that failed in one."""

    stage: str
    subject: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "subject": self.subject, "reason": self.reason}


@dataclass
class ProgressReport:
    """The comparison of two runs: the stage result and the parts the notebook displays."""

    result: StageResult
    baseline: RunFolder
    later: RunFolder
    readiness: list[ScoreChange]
    quality: list[ScoreChange]
    scores: list[ScoreChange]  # every 0-100 score of both runs, for the overview chart
    findings: list[FindingChange]
    feasibility: list[MetricChange]
    lights: list[LightChange]
    roi: list[RoiChange]
    unmatched: list[Unmatched]
    material_points: float = 1.0
    roi_share: float = 0.05
    assumed: list[Any] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Findings resolved, new, persisting, and errors still open, and the changes counted each way."""
        return self.result.metrics["counts"]
