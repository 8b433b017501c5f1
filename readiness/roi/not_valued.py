"""Use cases the ROI stage cannot value: why, and what to add so that they can be.

A use case is *not valued* when an input the money figures need is absent (no ``benefit`` nor
``value``, no ``costs``, a required benefit input) or when the feasibility evidence a model-based
use case needs is missing, failed or suspected of leaking. It is listed with its reason, left out
of every money figure, and the rest of the portfolio is valued as if it were not there. Inputs
that are present but wrong (a typo, a range with low above high, a share above 1) are still a
:class:`~readiness.errors.ConfigError`: they need fixing, not adding.
"""

from __future__ import annotations

from dataclasses import dataclass

from readiness.findings import ROI_NOT_VALUED
from readiness.results import Finding

__all__ = ["ROI_NOT_VALUED", "NotValued"]



@dataclass(frozen=True)
class NotValued:
    """A use case left out of the money figures, with what to add so that it can be valued.

    Parameters
    ----------
    id, title : str
        The use case.
    reason : str
        What is missing, e.g. ``no `costs` are given``.
    to_add : str
        What to do, e.g. ``add costs: {build: [low, likely, high]}``.

    Examples
    --------
    >>> NotValued("triage", "Ticket triage", "no `costs` are given", "add costs: {build: 2000}").sentence()
    'Ticket triage is not valued: no `costs` are given; add costs: {build: 2000}.'
    """

    id: str
    title: str
    reason: str
    to_add: str

    def sentence(self) -> str:
        """The one-line answer for this use case."""
        return f"{self.title} is not valued: {self.reason}; {self.to_add}."

    def as_dict(self) -> dict[str, str]:
        """The JSON form kept in ``metrics["not_valued"][id]``."""
        return {"title": self.title, "reason": self.reason, "to_add": self.to_add}

    def finding(self) -> Finding:
        """The ``ROI_NOT_VALUED`` warning about this use case."""
        return Finding("warning", ROI_NOT_VALUED, f"{self.title} (use case '{self.id}') is not valued: {self.reason}; "
                       f"{self.to_add}.", evidence={"use_case": self.id, "reason": self.reason, "to_add": self.to_add})
