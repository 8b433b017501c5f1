"""Start a new engagement: ready-to-fill files, blank or drafted from the client's extracts.

:func:`write_new_engagement` writes ``engagement.yaml`` (commented), a blank survey answers file
listing every questionnaire item, and a blank ethics checklist answers file when the checklist
(``readiness/data/ethics_checklist.yaml``) is installed. Given a folder of extracts, the
engagement is drafted from them (:func:`readiness.scaffold.draft.draft_engagement`) instead of
written from the template.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from readiness.errors import ConfigError, PipelineError
from readiness.survey import Questionnaire, load_questionnaire

CHECKLIST_PATH = Path(__file__).parents[1] / "data" / "ethics_checklist.yaml"
ENGAGEMENT_FILE = "engagement.yaml"
SURVEY_FILE = "survey.yaml"
CHECKLIST_FILE = "ethics_checklist.yaml"
_TEXT_KEYS = ("text", "question", "prompt", "title")


def write_new_engagement(folder: str | Path, *, client: str, as_of: date | None = None,
                         extracts: str | Path | None = None, checklist_path: str | Path | None = None,
                         echo: Callable[[str], None] = print) -> list[Path]:
    """Write a ready-to-fill engagement into ``folder``.

    Parameters
    ----------
    folder : path
        Created if needed. Existing files are never overwritten.
    client : str
        The client's name, shown in every report header.
    as_of : date, optional
        The extract date written into the engagement; by default today, or with ``extracts`` the
        newest date in them that is not in the future.
    extracts : path, optional
        A folder of client extracts (csv, tsv, txt, xlsx, parquet): ``engagement.yaml`` is then
        drafted from them, with their tables, keys, references and suggested use cases.
    checklist_path : path, optional
        The ethics checklist YAML; the bundled one by default. When it does not exist the blank
        checklist answers file is skipped, ``checklist:`` is left commented out and ``echo`` says so.
    echo : callable
        Receives one line per note (and, with ``extracts``, one per table and per use case).

    Returns
    -------
    list of Path
        The files written: ``engagement.yaml``, ``survey.yaml`` and, when the checklist is
        available, ``ethics_checklist.yaml``.

    Raises
    ------
    ConfigError
        The client's name is empty, or ``extracts`` holds no readable table.
    PipelineError
        One of the files already exists, or the folder cannot be written.
    """
    if not str(client).strip():
        raise ConfigError("--client: the client's name is empty; pass e.g. --client \"Harbour Physio Group\"")
    client = str(client).strip()
    folder = Path(folder)
    targets = [folder / ENGAGEMENT_FILE, folder / SURVEY_FILE, folder / CHECKLIST_FILE]
    existing = [p.name for p in targets if p.exists()]
    if existing:
        raise PipelineError(f"{folder}: {', '.join(existing)} already exist(s); choose an empty folder so no "
                            "filled-in answers are overwritten")
    checklist = _load_checklist(Path(checklist_path) if checklist_path else CHECKLIST_PATH)
    questionnaire = load_questionnaire()
    if extracts is None:
        engagement = engagement_template(client=client, as_of=as_of or date.today(),
                                         with_checklist=checklist is not None)
    else:
        from readiness.scaffold.draft import draft_engagement

        engagement = draft_engagement(extracts, folder=folder, client=client, as_of=as_of,
                                      with_checklist=checklist is not None, echo=echo).text
    contents = {targets[0]: engagement, targets[1]: survey_template(questionnaire, client=client)}
    if checklist is not None:
        contents[targets[2]] = checklist_template(checklist, client=client)
    else:
        echo(f"note: the ethics checklist ({CHECKLIST_PATH.name}) is not installed, so no blank checklist answers "
             f"file was written; add one later and set `checklist:` in {ENGAGEMENT_FILE}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in contents.items():
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PipelineError(f"{folder}: cannot write the new engagement ({exc.strerror}); "
                            "choose another folder") from exc
    return list(contents)


def engagement_template(*, client: str, as_of: date, with_checklist: bool = True) -> str:
    """The text of a new, commented ``engagement.yaml``; it loads as it is (with one example table)."""
    checklist = ("checklist: ethics_checklist.yaml     # the ethics checklist answers (yes / no / n/a per item)"
                 if with_checklist else
                 "# checklist: ethics_checklist.yaml   # no checklist was installed when this file was written")
    return f"""\
# Engagement for {client}. Paths are relative to this file.
# 1. Put the client's exports next to this file and list them under `tables`.
# 2. Add the use cases to assess, fill in survey.yaml with the owner or manager, and answer the
#    ethics checklist.
# 3. `readiness check <this file>` lists what is still missing; `readiness run <this file>` writes
#    the reports.

client: {json.dumps(client, ensure_ascii=False)}    # shown in every report header
as_of: {as_of.isoformat()}                  # date of the data extract: freshness and future dates are judged against it
currency: EUR                     # three-letter code used for every amount of money
seed: 42                          # drives every random choice, so a rerun gives the same reports
freshness_days: 90                # the newest record may be at most this many days older than as_of

# One entry per exported table (csv, tsv, txt, xlsx or parquet).
#   key:          the column that identifies a row
#   pii:          columns holding personal data; reports always mask them
#   date_columns: columns to read as dates
#   references:   a column that must match another table's key, e.g. {{customer_id: customers.customer_id}}
#   rules:        extra checks, e.g. - {{column: duration_min, expect: between, min: 10, max: 180}}
tables:
  customers:
    path: customers.csv           # replace with the client's export
    key: customer_id
    pii: []
    date_columns: []

# The AI use cases to assess; each names a table and the column to predict, for example:
#  - id: no_show
#    title: Predict appointment no-shows
#    table: appointments
#    target: no_show
#    kind: classification         # classification | regression | forecast | text_classification
#    positive: "true"             # the positive label, as text
#    time_column: starts_at
#    protected: [gender, age_band]
#    domain: scheduling           # drives the EU AI Act tier
#    value: {{true_positive: 38, false_positive: -2, false_negative: 0, true_negative: 0, decisions_per_year: 42000}}
#    costs: {{build: [8000, 12000, 20000], run_per_year: [2400, 3600, 6000]}}   # low, likely, high
use_cases: []

survey: survey.yaml               # the readiness questionnaire answers
{checklist}
"""


def _yaml_comment(text: str, indent: str = "  ") -> str:
    return f"{indent}# {' '.join(str(text).split())}"


def survey_template(questionnaire: Questionnaire, *, client: str) -> str:
    """A blank answers file listing every item's text and both anchor sentences."""
    lines = [
        f"# Readiness questionnaire for {client} (questionnaire version {questionnaire.version}).",
        "# Answer each question with a whole number from 1 to 5: 1 when the '1:' sentence describes the",
        "# business, 5 when the '5:' sentence does, 2-4 in between. Leave an answer blank when unsure:",
        "# blank answers are left out of the scores, never counted as zero.",
        f"questionnaire_version: {json.dumps(questionnaire.version)}",
        'respondent: ""                    # the respondent\'s role, e.g. practice manager (not a name)',
        "answered_on:                      # YYYY-MM-DD",
        "answers:",
    ]
    titles = {**{d: str(spec["title"]) for d, spec in questionnaire.dimensions.items()},
              questionnaire.adopter_dimension: "Innovativeness"}
    current = None
    for item in questionnaire.items:
        if item.dimension != current:
            current = item.dimension
            lines.append(f"  # ---------------- {titles.get(current, current)}")
        lines += [_yaml_comment(item.text), _yaml_comment(f"1: {item.low}"), _yaml_comment(f"5: {item.high}"),
                  f"  {item.id}:", ""]
    return "\n".join(lines).rstrip() + "\n"


def _load_checklist(path: Path) -> list[dict[str, str]] | None:
    """The checklist's items as ``{id, section, text}``, or None when the file is absent."""
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return _checklist_items(data, source=path.name)


def _checklist_items(data: Any, *, source: str) -> list[dict[str, str]]:
    sections = data.get("sections") if isinstance(data, Mapping) else None
    if isinstance(sections, Mapping):
        sections = [{"id": k, **(v if isinstance(v, Mapping) else {"items": v})} for k, v in sections.items()]
    if isinstance(sections, list):
        pairs = [(str(s.get("title", s.get("id", ""))), i) for s in sections for i in s.get("items", [])]
    else:
        raw = data.get("items", []) if isinstance(data, Mapping) else data
        pairs = [(str(i.get("section", "")), i) for i in raw or [] if isinstance(i, Mapping)]
    items = []
    for section, item in pairs:
        text = next((item[k] for k in _TEXT_KEYS if item.get(k)), None)
        if not item.get("id") or text is None:
            raise ConfigError(f"{source}: checklist item {item!r} needs an `id` and a `text`")
        items.append({"id": str(item["id"]), "section": section, "text": str(text)})
    return items


def checklist_template(items: list[dict[str, str]], *, client: str) -> str:
    """A blank ethics checklist answers file: ``answers: {item_id: {answer: , note: ""}}``."""
    lines = [
        f"# Ethics checklist answers for {client}.",
        "# Answer each item yes, no or n/a, with a short note on how (or why not). Unanswered items and",
        "# 'no' answers become findings in the ethics report.",
        "answers:",
    ]
    current = None
    for item in items:
        if item["section"] and item["section"] != current:
            current = item["section"]
            lines.append(f"  # ---------------- {current}")
        lines += [_yaml_comment(item["text"]), f'  {item["id"]}: {{answer: , note: ""}}', ""]
    return "\n".join(lines).rstrip() + "\n"



__all__ = ["CHECKLIST_FILE", "CHECKLIST_PATH", "ENGAGEMENT_FILE", "SURVEY_FILE", "checklist_template",
           "engagement_template", "survey_template", "write_new_engagement"]
