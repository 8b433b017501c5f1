"""Which findings were resolved, which are new and which persist between two runs.

Findings are matched within one stage and subject (a table, or a use case) by their ``code`` and
``column``. Findings that share both (the ethics checklist's items, e-mails and phone numbers in one
free-text column, rules on one column) are told apart by the item, kind, table or expectation their
evidence names; any that still share a key are paired in order of severity and message, and the
unpaired ones are resolved (only before) or new (only after).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from readiness.privacy import safe_text
from readiness.results import SEVERITY_ORDER, Finding

Status = Literal["resolved", "new", "persisting"]
IDENTITY_KEYS = ("table", "item", "kind", "expectation", "input")  # evidence that tells same-code findings apart
COUNTED = frozenset({"warning", "error"})  # info findings are listed, never counted as progress


@dataclass(frozen=True)
class FindingChange:
    """One finding's fate between the two runs.

    ``severity_before`` / ``rows_before`` are None for a new finding, ``severity_after`` /
    ``rows_after`` for a resolved one; ``message`` is the latest sentence (the later run's, or the
    earlier one's for a resolved finding), passed through the personal-data gate.
    """

    status: Status
    stage: str
    subject: str
    code: str
    column: str | None
    detail: str | None
    severity_before: str | None
    severity_after: str | None
    rows_before: int | None
    rows_after: int | None
    message: str

    @property
    def severity(self) -> str:
        """The severity that matters for this change: the later one, or the earlier one when resolved."""
        return self.severity_after or self.severity_before or "info"

    @property
    def counts(self) -> bool:
        """True when the change counts as progress (a warning or error resolved) or regress (one new)."""
        return self.status != "persisting" and self.severity in COUNTED

    @property
    def where(self) -> str:
        """``table · column`` (or use case), as reports name the place."""
        return " · ".join(part for part in (self.subject, self.column, self.detail) if part)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form, as kept in ``progress.json``."""
        return asdict(self)


def finding_key(finding: Finding) -> tuple[str, str | None, str | None]:
    """``(code, column, detail)``: what a finding is matched on within its stage and subject."""
    evidence = finding.evidence or {}
    detail = "/".join(str(evidence[k]) for k in IDENTITY_KEYS if isinstance(evidence.get(k), (str, int)))
    return finding.code, finding.column, detail or None


def _rows(finding: Finding | None) -> int | None:
    rows = (finding.evidence or {}).get("rows") if finding else None
    return int(rows) if isinstance(rows, (int, float)) and not isinstance(rows, bool) else None


def _order(finding: Finding) -> tuple[int, str]:
    return SEVERITY_ORDER[finding.severity], finding.message


def match_findings(stage: str, subject: str, before: Iterable[Finding], after: Iterable[Finding]
                   ) -> list[FindingChange]:
    """Pair the findings of one subject in the two runs.

    Parameters
    ----------
    stage, subject : str
        Where the findings come from (``"quality"``, ``"customers"``).
    before, after : iterable of Finding
        The earlier and the later run's findings for that subject.

    Returns
    -------
    list of FindingChange
        Resolved, new and persisting findings, in the order of their keys.

    Examples
    --------
    >>> old = [Finding("warning", "DQ_INVALID_EMAIL", "bad", column="email")]
    >>> [c.status for c in match_findings("quality", "customers", old, [])]
    ['resolved']
    """
    groups: dict[tuple[str, str | None, str | None], tuple[list[Finding], list[Finding]]] = {}
    for side, findings in enumerate((before, after)):
        for f in findings:
            groups.setdefault(finding_key(f), ([], []))[side].append(f)
    changes = []
    for key in sorted(groups, key=lambda k: tuple(str(part or "") for part in k)):
        old, new = (sorted(side, key=_order) for side in groups[key])
        for i in range(max(len(old), len(new))):
            b = old[i] if i < len(old) else None
            a = new[i] if i < len(new) else None
            changes.append(_change(stage, subject, key, b, a))
    return changes


def _change(stage: str, subject: str, key: tuple[str, str | None, str | None], before: Finding | None,
            after: Finding | None) -> FindingChange:
    status: Status = "persisting" if before and after else ("new" if after else "resolved")
    latest = after or before
    assert latest is not None
    return FindingChange(
        status=status, stage=stage, subject=subject, code=key[0], column=key[1], detail=key[2],
        severity_before=before.severity if before else None, severity_after=after.severity if after else None,
        rows_before=_rows(before), rows_after=_rows(after), message=safe_text(latest.message))
