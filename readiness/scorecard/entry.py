"""The summary notebook in one call: parameters in, the scorecard out, with what was assumed.

Parameters left empty are read from the run folder's ``run.json``, which ``readiness run``
writes: the client, the date, the survey answers file and the subjects each stage planned.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from readiness.errors import ConfigError
from readiness.params import Assumption, note_assumptions
from readiness.scorecard.assess import Scorecard, build_scorecard
from readiness.scorecard.params import SummaryParams


def read_run_record(reports_dir: Path) -> dict[str, Any]:
    """The run folder's ``run.json`` as a dict, or {} when there is none or it cannot be read."""
    path = reports_dir / "run.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def planned_subjects(run: dict[str, Any]) -> dict[str, list[str]]:
    """Stage -> subjects of the notebooks a run recorded (the summary itself left out)."""
    out: dict[str, list[str]] = {}
    for notebook in run.get("notebooks") or []:
        stage, subject = notebook.get("stage"), notebook.get("subject")
        if stage and subject and stage != "summary":
            out.setdefault(stage, []).append(subject)
    return out


def assess_from_params(params: SummaryParams, *, today: date | None = None) -> Scorecard:
    """Build the readiness summary as the notebook does.

    Parameters
    ----------
    params : SummaryParams
        The notebook's parameters; empty ones are read from ``<reports_dir>/run.json``.
    today : date, optional
        The date an empty ``as_of`` stands for when the run recorded none.

    Returns
    -------
    Scorecard
        With ``assumed`` listing every choice made for the analyst.

    Raises
    ------
    ConfigError
        ``reports_dir`` is not a folder.
    """
    from readiness.tables import resolve_input_path

    folder = resolve_input_path(params.reports_dir)
    if not folder.is_dir():
        raise ConfigError(f"summary parameter `reports_dir` is '{params.reports_dir}', which is not a folder; run "
                          "`readiness run` first, or give -p reports_dir with the run's report folder.")
    run, assumed = read_run_record(folder), []
    survey = params.survey_path
    recorded = ((run.get("inputs") or {}).get("survey") or {}).get("path")
    if not survey and recorded and Path(recorded).is_file():
        survey = recorded
        assumed.append(Assumption("survey_path", Path(recorded).name, "the survey answers the run used "
                                  "(run.json)", "-p survey_path FILE"))
    elif not survey:
        assumed.append(Assumption("survey_path", "none", "no survey answers were given or recorded by the run, so "
                                  "there is no readiness index", "-p survey_path survey.yaml"))
    client = params.client or str(run.get("client") or "")
    if client and not params.client:
        assumed.append(Assumption("client", client, "the client the run named (run.json)", "-p client NAME"))
    as_of = params.as_of or str(run.get("as_of") or "")
    if not params.as_of:
        reason = "the run's extract date (run.json)"
        if not as_of:
            as_of, reason = (today or date.today()).isoformat(), "no date was given or recorded, so today"
        assumed.append(Assumption("as_of", as_of, reason, "-p as_of YYYY-MM-DD"))
    expected = params.expected or planned_subjects(run)
    card = build_scorecard(folder, survey_path=resolve_input_path(survey) if survey else None,
                           questionnaire_overrides=params.questionnaire_overrides, client=client, as_of=as_of,
                           currency=params.currency, expected=expected)
    return note_assumptions(card, assumed)


def progress_link(params: SummaryParams) -> Any:
    """A sentence linking the summary to the progress report beside it (an IPython HTML object).

    Shown when ``progress.json`` is in the run folder (with its headline), or when the run planned a
    progress report (``expected`` or ``run.json`` names the ``progress`` stage: ``readiness run
    --baseline`` writes it after the summary). Empty otherwise.
    """
    import os
    from html import escape

    from IPython.display import HTML

    from readiness.metrics import ProgressMetrics
    from readiness.results import StageResult
    from readiness.tables import resolve_input_path

    folder = resolve_input_path(params.reports_dir)
    href = os.path.relpath(folder / "progress.html", resolve_input_path(params.results_dir)).replace(os.sep, "/")
    link = f'<a href="{escape(href)}">progress report</a>'
    try:
        result = StageResult.load(folder / "progress.json")
    except (OSError, ValueError, KeyError, TypeError):
        result = None
    if result is not None:
        m = result.metrics_as(ProgressMetrics)
        since = f" as of {m.before.as_of}" if m.before.as_of else ""
        text = m.headline or f"Compared with the earlier assessment{since}: {result.shown_verdict}."
        return HTML(f'<p class="rd-progress-link">{escape(text)} See the {link}.</p>')
    planned = params.expected or planned_subjects(read_run_record(folder))
    if "progress" in planned:
        return HTML(f'<p class="rd-progress-link">This assessment is compared with the earlier one in the {link}: '
                    "what was resolved, what is new, and which scores moved beyond the noise.</p>")
    return HTML("")
