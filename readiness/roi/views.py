"""What the ROI notebook displays beyond the plain tables, built from the report."""

from __future__ import annotations

from IPython.display import HTML

from readiness import display
from readiness.roi.report import RoiReport

__all__ = ["not_valued_view"]


def not_valued_view(report: RoiReport) -> HTML:
    """The use cases that cannot be valued, each with why and what to add; or a note that every one was valued."""
    if not report.not_valued:
        return HTML('<div class="rd-empty">Every use case was valued.</div>')
    return display.table(report.not_valued_frame(), caption="Use cases not valued")
