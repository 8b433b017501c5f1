"""What an engagement still lacks before ``readiness run`` gives a complete report.

:func:`missing_inputs` lists, one line each, the table files not found, the use cases not yet
listed and the survey and ethics checklist answers not yet given.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from readiness.errors import ConfigError
from readiness.survey import load_answers, load_questionnaire


def missing_inputs(engagement: Any) -> list[str]:
    """What an engagement still lacks before a complete report: one line per gap, empty when none.

    Checks that every table's file exists, that use cases are listed, and that the survey and
    ethics checklist answers are set, exist and are answered.

    Parameters
    ----------
    engagement : readiness.engagement.Engagement

    Returns
    -------
    list of str
        e.g. ``"survey.yaml: 3 of 31 questions unanswered (tech_access_control, ...)"``.
    """
    name = engagement.source.name
    gaps = [f"{name}: tables.{table}.path: {spec.path.name} not found in {spec.path.parent}; put the export there "
            "or fix the path" for table, spec in engagement.tables.items() if not Path(spec.path).exists()]
    if not engagement.use_cases:
        gaps.append(f"{name}: use_cases: none listed; add the use cases to assess")
    gaps += _survey_gaps(engagement.survey, name)
    gaps += _checklist_gaps(engagement.checklist, name)
    return gaps


def _survey_gaps(path: Path | None, name: str) -> list[str]:
    if path is None:
        return [f"{name}: survey: not set; add `survey: survey.yaml` (readiness new writes a blank one)"]
    if not Path(path).exists():
        return [f"{name}: survey: {Path(path).name} not found; write it or fix the path"]
    questionnaire = load_questionnaire()
    try:
        answers = load_answers(path, questionnaire)
    except ConfigError as exc:
        return [exc.one_line()]
    blank = [k for k, v in answers.answers.items() if v is None]
    if not blank:
        return []
    shown = ", ".join(blank[:5]) + (", ..." if len(blank) > 5 else "")
    return [f"{Path(path).name}: {len(blank)} of {len(answers.answers)} questions unanswered ({shown})"]


def _checklist_gaps(path: Path | None, name: str) -> list[str]:
    if path is None:
        return [f"{name}: checklist: not set; add `checklist: ethics_checklist.yaml` with the ethics checklist answers"]
    if not Path(path).exists():
        return [f"{name}: checklist: {Path(path).name} not found; write it or fix the path"]
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return [f"{Path(path).name}: not valid YAML; fix the file"]
    answers = data.get("answers", data) if isinstance(data, Mapping) else {}
    blank = [k for k, v in (answers or {}).items()
             if (v.get("answer") if isinstance(v, Mapping) else v) in (None, "")]
    if not answers:
        return [f"{Path(path).name}: no checklist answers yet"]
    return [f"{Path(path).name}: {len(blank)} of {len(answers)} checklist items unanswered"] if blank else []


__all__ = ["missing_inputs"]
