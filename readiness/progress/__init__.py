"""Progress stage: compare two runs of one client, the baseline and a later assessment.

:func:`compare_runs` reads two report folders written by ``readiness run`` and returns a
:class:`ProgressReport` whose ``result`` is the ``progress`` stage's result (verdict ``improved``,
``mixed``, ``worse``, ``unchanged`` or ``incomplete``; ``PROG_*`` findings). The notebook
``notebooks/07_progress.ipynb`` calls :func:`assess_from_params`, saves ``progress.json`` with
:func:`save_progress` and shows :mod:`readiness.progress.views`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.faces import lazy_face

if TYPE_CHECKING:  # the face; each name is imported on first use (readiness.faces)
    from readiness.progress.assess import compare_runs
    from readiness.progress.changes import FindingChange, match_findings
    from readiness.progress.entry import RESULT_FILE, assess_from_params, index_progress, save_progress
    from readiness.progress.judge import CODES
    from readiness.progress.measures import NOISE_RULE, LightChange, MetricChange, ScoreChange
    from readiness.progress.money import RoiChange
    from readiness.progress.params import ProgressParams
    from readiness.progress.report import ProgressReport, Unmatched
    from readiness.progress.runs import RunFolder, read_run, same_client
    from readiness.progress.write import TITLE, ProgressRun, write_progress_report

__all__ = [
    "CODES", "NOISE_RULE", "RESULT_FILE", "TITLE", "FindingChange", "LightChange", "MetricChange", "ProgressParams",
    "ProgressReport", "ProgressRun", "RoiChange", "RunFolder", "ScoreChange", "Unmatched", "assess_from_params",
    "compare_runs", "index_progress", "match_findings", "read_run", "same_client", "save_progress",
    "write_progress_report",
]

__getattr__, __dir__ = lazy_face(__name__)
