"""The JSON result contract shared by every stage.

Each stage returns a :class:`StageResult`; the summary works from these files alone, so the
field names here are stable: ``schema_version``, ``stage``, ``subject``, ``verdict``,
``score``, ``metrics``, ``findings`` (each with ``severity``, ``code``, ``message``,
``column`` and optional ``evidence``).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

SCHEMA_VERSION = "1.0"
M = TypeVar("M")

Severity = Literal["info", "warning", "error"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
# A positive verdict never stands beside an error finding: it is capped one step, to the verdict
# that says "usable after fixes". A report that cannot be scored says ``incomplete``.
CAPPED_VERDICTS: dict[str, str] = {"ready": "needs_work", "go": "pilot", "green": "amber", "invest": "pilot",
                                   "scale": "adjust"}
POSITIVE_VERDICTS = frozenset(CAPPED_VERDICTS)


@dataclass(frozen=True)
class Finding:
    """One thing a stage noticed, with a stable machine-readable ``code``.

    Parameters
    ----------
    severity : {"info", "warning", "error"}
        ``error`` blocks use of the data until fixed; ``warning`` lowers trust;
        ``info`` is context for the analyst.
    code : str
        Stable identifier such as ``DQ_INVALID_EMAIL``; tests and the summary rely on it.
    message : str
        One plain sentence for the analyst. Never contains raw personal data.
    column : str or None
        The column concerned, if any.
    evidence : dict
        Small JSON-able facts behind the finding (counts, shares, masked examples).
    """

    severity: Severity
    code: str
    message: str
    column: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_ORDER:
            raise ValueError(f"severity must be one of {sorted(SEVERITY_ORDER)}, not {self.severity!r}")


@dataclass
class StageResult:
    """What one notebook run concluded about one subject (a table, a use case, ...)."""

    stage: str
    subject: str
    verdict: str
    score: float | None
    metrics: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def sorted_findings(self) -> list[Finding]:
        """Findings ordered by severity (errors first), then code and column."""
        return sorted(
            self.findings,
            key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.column or ""),
        )

    def count_by_severity(self) -> dict[str, int]:
        """Number of findings per severity, every severity present (zero if none)."""
        counts = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    @property
    def shown_verdict(self) -> str:
        """The verdict as every output shows it: never positive beside an error finding."""
        return consistent_verdict(self.verdict, self.findings)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict, with ``schema_version`` first (the verdict as :attr:`shown_verdict`)."""
        data = asdict(self)
        data["verdict"] = self.shown_verdict
        data["findings"] = [asdict(f) for f in self.sorted_findings()]
        ordered = {"schema_version": data.pop("schema_version")}
        ordered.update(data)
        return to_jsonable(ordered)

    def save(self, path: str | Path) -> Path:
        """Write the result as indented JSON (UTF-8) and return the path.

        The metrics of a stage with a typed contract (:data:`readiness.metrics.CONTRACTS`) are
        checked against it first, so no stage writes what its readers cannot read.
        """
        from readiness.metrics import CONTRACTS

        if self.stage in CONTRACTS:
            CONTRACTS[self.stage].model_validate(self.to_dict()["metrics"])
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def metrics_as(self, model: type[M]) -> M:
        """The metrics parsed with a stage's typed contract (see :mod:`readiness.metrics`), read by attribute.

        Raises
        ------
        pydantic.ValidationError
            A field the contract names has the wrong shape.
        """
        return model.model_validate(self.metrics)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageResult:
        """Rebuild a result from its JSON form."""
        findings = [Finding(**f) for f in data.get("findings", [])]
        return cls(
            stage=data["stage"],
            subject=data["subject"],
            verdict=data["verdict"],
            score=data.get("score"),
            metrics=data.get("metrics", {}),
            findings=findings,
            schema_version=data.get("schema_version", SCHEMA_VERSION),
        )

    @classmethod
    def load(cls, path: str | Path) -> StageResult:
        """Read a result written by :meth:`save`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def consistent_verdict(verdict: str, findings: list[Finding]) -> str:
    """``verdict``, capped one step (ready -> needs_work, go -> pilot, green -> amber, invest -> pilot,
    scale -> adjust) when an error finding stands beside it.

    Examples
    --------
    >>> consistent_verdict("go", [Finding("error", "FEAS_LABEL_LEAKAGE", "a leak was excluded")])
    'pilot'
    >>> consistent_verdict("go", [Finding("warning", "FEAS_WEAK_LIFT", "modest")])
    'go'
    """
    if verdict in CAPPED_VERDICTS and any(f.severity == "error" for f in findings):
        return CAPPED_VERDICTS[verdict]
    return verdict


def to_jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars, NaN and containers into plain JSON values.

    NaN and infinities become ``None`` (JSON has no NaN); dates become ISO strings.
    """
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        try:
            return value.isoformat()
        except ValueError:  # NaT
            return None
    return str(value)
