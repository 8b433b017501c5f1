"""Ethics checklist: the questions a team should have answered before building, and their answers.

The checklist (``readiness/data/ethics_checklist.yaml``, versioned) groups items by stage:
data collection, storage, analysis, modelling, deployment. An answers file maps item ids to
``yes``, ``no`` or ``n/a`` with a note::

    C1: {answer: yes, note: Consent wording updated in 2024}
    S2: no

Unanswered items and ``no`` answers become findings. YAML reads a bare ``yes`` / ``no`` as a
boolean; both spellings are accepted.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from readiness.errors import ConfigError
from readiness.results import Finding

CHECKLIST_PATH = Path(__file__).resolve().parents[1] / "data" / "ethics_checklist.yaml"
ANSWERS = ("yes", "no", "n/a")
CHECKLIST_COLUMNS = ["id", "section", "question", "critical", "answer", "note"]


@lru_cache(maxsize=4)
def load_checklist(path: str | Path = CHECKLIST_PATH) -> dict[str, Any]:
    """The checklist file as a dict (cached)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def checklist_items(checklist: dict[str, Any] | None = None) -> pd.DataFrame:
    """Every item: ``id``, ``section``, ``question``, ``why``, ``critical``."""
    checklist = checklist or load_checklist()
    rows = [{"id": str(item["id"]), "section": section["title"], "question": item["question"],
             "why": item.get("why", ""), "critical": bool(item.get("critical", False))}
            for section in checklist["sections"] for item in section["items"]]
    return pd.DataFrame(rows)


def _answer(value: Any, *, item: str, where: str) -> tuple[str | None, str]:
    note = ""
    if isinstance(value, dict):
        note = str(value.get("note") or "").strip()
        value = value.get("answer")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, note
    if isinstance(value, bool):
        return ("yes" if value else "no"), note
    text = str(value).strip().lower()
    text = "n/a" if text in ("na", "n.a.", "not applicable") else text
    if text not in ANSWERS:
        raise ConfigError(f"{where}: item '{item}' is answered '{value}'; answer yes, no or n/a "
                          "(with an optional note: {answer: yes, note: ...}).")
    return text, note


def read_answers(path: str | Path | None, *, checklist: dict[str, Any] | None = None) -> pd.DataFrame:
    """The checklist with the answers from ``path`` (every item, answered or not).

    Parameters
    ----------
    path : str, Path or None
        YAML mapping item id -> ``yes`` / ``no`` / ``n/a`` or ``{answer: ..., note: ...}``;
        answers may also sit under a top-level ``answers`` key. None or "" gives no answers.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHECKLIST_COLUMNS`; ``answer`` is None for unanswered items.

    Raises
    ------
    ConfigError
        Missing or malformed file, an unknown item id (the closest is named), or an answer that
        is not yes, no or n/a.
    """
    items = checklist_items(checklist)
    answers: dict[str, Any] = {}
    if path:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"`checklist_path`: {path} does not exist; give the answers file or leave it empty.")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({' '.join(str(exc).split())}).") from None
        data = data.get("answers", data) if isinstance(data, dict) else data
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of item id to answer, found {type(data).__name__}.")
        answers = {str(k): v for k, v in data.items() if str(k) not in ("version", "checklist_version")}
        known = set(items["id"])
        for item in answers:
            if item not in known:
                close = difflib.get_close_matches(item, sorted(known), n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ConfigError(f"{path}: '{item}' is not a checklist item{hint} Items are: "
                                  f"{', '.join(items['id'])}.")
    where = str(path) if path else "checklist"
    parsed = [_answer(answers.get(i), item=i, where=where) for i in items["id"]]
    items["answer"] = [a for a, _ in parsed]
    items["note"] = [n for _, n in parsed]
    return items[CHECKLIST_COLUMNS]


def checklist_findings(answers: pd.DataFrame, *, answered_file: bool) -> list[Finding]:
    """ETH_CHECKLIST_NO per ``no``; ETH_CHECKLIST_UNANSWERED per open item, or one ETH_CHECKLIST_MISSING."""
    out = []
    for r in answers.itertuples(index=False):
        if r.answer == "no":
            severity = "error" if r.critical else "warning"
            note = f" Note: {r.note}" if r.note else ""
            out.append(Finding(severity, "ETH_CHECKLIST_NO", f"Checklist {r.id} ({r.section}) answered no: "
                               f"{r.question}{note}", evidence={"item": r.id, "critical": r.critical}))
    open_items = answers[answers["answer"].isna()]
    if not answered_file:
        out.append(Finding("warning", "ETH_CHECKLIST_MISSING",
                           f"No checklist answers were given, so all {len(answers)} ethics checklist items are open; "
                           "fill in the answers file (yes, no or n/a with a note).",
                           evidence={"items": list(answers["id"])}))
        return out
    out += [Finding("info" if not r.critical else "warning", "ETH_CHECKLIST_UNANSWERED",
                    f"Checklist {r.id} ({r.section}) is not answered: {r.question}",
                    evidence={"item": r.id, "critical": bool(r.critical)})
            for r in open_items.itertuples(index=False)]
    return out


def checklist_light(answers: pd.DataFrame) -> str:
    """red when a critical item is answered no; amber when any item is no or open; else green."""
    if ((answers["answer"] == "no") & answers["critical"]).any():
        return "red"
    if (answers["answer"] == "no").any() or answers["answer"].isna().any():
        return "amber"
    return "green"


def blank_answers(checklist: dict[str, Any] | None = None) -> str:
    """A blank answers file (YAML text) listing every item as a comment, for a new engagement."""
    checklist = checklist or load_checklist()
    lines = [f"# Ethics checklist answers (checklist version {checklist.get('version', '')}).",
             "# Answer each item yes, no or n/a, with a note saying why or what is planned.", ""]
    for section in checklist["sections"]:
        lines.append(f"# --- {section['title']}")
        for item in section["items"]:
            lines.append(f"# {item['question']}")
            lines.append(f"{item['id']}: {{answer: , note: \"\"}}")
        lines.append("")
    return "\n".join(lines)
