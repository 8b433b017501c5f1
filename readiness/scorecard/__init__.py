"""The summary stage: combine every stage's result JSON and the survey into one scorecard.

:func:`build_scorecard` reads a run's report folder (``quality/*.json``, ``feasibility/*.json``,
``ethics/*.json``, ``roi.json``) and the survey answers, and returns the readiness index, the
use-case portfolio, a phased roadmap, the top risks and an executive summary in plain words.
Stages meet only through their JSON files: a missing or unreadable result is reported as a
finding and everything else is still scored. The scorecard is built in
:mod:`readiness.scorecard.assess`, reading lives in :mod:`readiness.scorecard.inputs`, the roadmap,
risks and sentences in :mod:`readiness.scorecard.plan`; this module only gathers the stage's public names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.faces import lazy_face

if TYPE_CHECKING:  # the face; each name is imported on first use (readiness.faces)
    from readiness.scorecard.assess import CODES, Scorecard, build_scorecard, index_scorecard, save_scorecard
    from readiness.scorecard.entry import assess_from_params
    from readiness.scorecard.inputs import (
        FEASIBILITY_CUT,
        QUADRANTS,
        STAGES,
        VALUE_CUT,
        StageRecord,
        build_portfolio,
        ethics_risk,
        measured_evidence,
        read_stage_results,
        roi_by_use_case,
    )
    from readiness.scorecard.params import SummaryParams
    from readiness.scorecard.plan import build_roadmap, executive_summary, foundation_actions, top_risks

__all__ = [
    "CODES", "FEASIBILITY_CUT", "QUADRANTS", "STAGES", "VALUE_CUT", "Scorecard", "StageRecord", "SummaryParams",
    "assess_from_params", "build_portfolio", "build_roadmap", "build_scorecard", "ethics_risk", "executive_summary",
    "foundation_actions", "index_scorecard", "measured_evidence", "read_stage_results", "roi_by_use_case",
    "save_scorecard", "top_risks",
]

__getattr__, __dir__ = lazy_face(__name__)
