"""A draft ``engagement.yaml`` written from a folder of client extracts.

:func:`draft_engagement` reads and profiles each extract once (:mod:`readiness.scaffold.sketch`),
finds the references between them (:mod:`readiness.scaffold.references`) and the use cases they
suggest (:mod:`readiness.scaffold.suggest`), and writes it all as a commented engagement that
loads and runs as it is: every detected key, reference and use case carries a comment saying
why, for the analyst to check. The same extracts give the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from readiness.params import slug
from readiness.privacy import name_tokens
from readiness.scaffold.references import Reference, find_references
from readiness.scaffold.sketch import TableSketch, sketch_extracts
from readiness.scaffold.suggest import Suggestion

COMMENT_COLUMN = 34  # inline comments start here when the line is shorter
WIDTH = 110  # flow lists longer than this are written one item a line
DOMAIN_HINTS = {
    "classification": ("marketing", "scheduling", "churn_prediction", "fraud_detection"),
    "forecast": ("demand_forecasting", "scheduling", "worker_management"),
    "text_classification": ("customer_support_routing", "document_processing", "chatbot"),
}
CHECK_WHAT = {
    "classification": "check target, positive and protected, then add value and costs",
    "forecast": "check target, time and group columns, then add benefit and costs",
    "text_classification": "check target and text column, then add benefit and costs",
}
VALUE_TEMPLATES = {
    "classification": ("# value: {true_positive: ..., false_positive: ..., false_negative: 0, true_negative: 0, "
                       "decisions_per_year: ...}",),
    "forecast": ("# benefit: {shape: time_saved, hours_saved_per_year: [low, likely, high], "
                 "hourly_rate: [low, likely, high]}",),
    "text_classification": ("# benefit: {shape: time_saved, hours_saved_per_year: [low, likely, high], "
                            "hourly_rate: [low, likely, high]}",),
}
DOMAIN_WORDS = {  # words in a classification's target that point at a domain
    "churn_prediction": frozenset({"churn", "churned", "attrition", "lapsed", "retained", "renewed", "exited"}),
    "scheduling": frozenset({"noshow", "attended", "cancelled", "canceled", "cancellation", "booked", "late"}),
    "fraud_detection": frozenset({"fraud", "fraudulent"}),
    "credit_scoring": frozenset({"default", "defaulted", "arrears"}),
}
COSTS_TEMPLATE = "# costs: {build: [low, likely, high], run_per_year: [low, likely, high]}"
_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9_ ./()+-]*")


@dataclass
class Draft:
    """A drafted engagement: its text and what it was made from.

    Attributes
    ----------
    text : str
        The ``engagement.yaml`` to write.
    tables : list of TableSketch
        The extracts read, in file-name order.
    references : dict
        ``{table: {column: Reference}}``.
    use_cases : list of (str, Suggestion)
        Each suggested use case with its id, in the order written.
    as_of : date
        The ``as_of`` written, with ``as_of_source`` (``table.column`` it came from, or "").
    outside : bool
        The extracts lie outside the engagement's folder (``allow_outside_paths: true`` is written).
    paths : dict
        Table -> path as written (relative to the engagement's folder).
    """

    text: str
    tables: list[TableSketch]
    references: dict[str, dict[str, Reference]]
    use_cases: list[tuple[str, Suggestion]]
    as_of: date
    as_of_source: str
    outside: bool
    paths: dict[str, str]

    def summary_lines(self) -> list[str]:
        """One line per table (rows, key, references) and one per suggested use case."""
        lines = []
        for t in self.tables:
            refs = self.references.get(t.name, {})
            found = ", ".join(f"{c} -> {r.target}" for c, r in refs.items()) or "none found"
            key = t.key or "none found"
            lines.append(f"{t.name}: {t.rows:,} rows, key {key}, references {found}")
        for case_id, s in self.use_cases:
            lines.append(f"use case {case_id}: {s.kind.replace('_', ' ')} of {s.table}.{s.target} ({s.title})")
        return lines


def draft_engagement(extracts: str | Path, *, folder: str | Path, client: str, as_of: date | None = None,
                     today: date | None = None, with_checklist: bool = True,
                     echo: Callable[[str], None] = print) -> Draft:
    """Draft an engagement from the client's extracts.

    Parameters
    ----------
    extracts : path
        A folder of extracts (csv, tsv, txt, xlsx, parquet); nothing is copied.
    folder : path
        The engagement's folder: the draft's paths are relative to it. When the extracts lie
        outside it, the draft says ``allow_outside_paths: true``.
    client : str
        The client's name.
    as_of : date, optional
        The extract date; by default the newest date in the extracts not after ``today``.
    today : date, optional
        The day of drafting (today by default): later dates are in the future.
    with_checklist : bool
        Write ``checklist: ethics_checklist.yaml`` (else it is left commented out).
    echo : callable
        Receives a note per unreadable file, then :meth:`Draft.summary_lines`.

    Returns
    -------
    Draft

    Raises
    ------
    ConfigError
        ``extracts`` is not a folder or holds no readable table.

    Examples
    --------
    >>> draft = draft_engagement("sample_data/harbour_physio", folder="sample_data/harbour_physio",
    ...                          client="Harbour Physio Group", echo=lambda _: None)  # doctest: +SKIP
    >>> draft.references["appointments"]["customer_id"].target  # doctest: +SKIP
    'customers.customer_id'
    """
    today = today or date.today()
    tables = sketch_extracts(extracts, today=today, echo=echo)
    references = find_references(tables)
    use_cases = name_use_cases(tables)
    paths, outside = {}, False
    for t in tables:
        paths[t.name], out = relative_path(t.path, Path(folder)) if t.path else (t.name, False)
        outside = outside or out
    if as_of is not None:
        chosen, source = as_of, "given"
    else:
        newest = [(t.newest[0], f"{t.name}.{t.newest[1]}") for t in tables if t.newest]
        chosen, source = max(newest, key=lambda pair: pair[0]) if newest else (today, "")
    draft = Draft(text="", tables=tables, references=references, use_cases=use_cases, as_of=chosen,
                  as_of_source=source, outside=outside, paths=paths)
    extracts_text = relative_path(Path(extracts), Path(folder))[0]
    draft.text = render_draft(draft, client=client, extracts=extracts_text, with_checklist=with_checklist)
    for summary in draft.summary_lines():
        echo(summary)
    return draft


def name_use_cases(tables: Iterable[TableSketch]) -> list[tuple[str, Suggestion]]:
    """The suggestions to write, with unique ids: classifications, the one forecast, text classifications.

    Of the tables that suggest a forecast, the one with the most rows a day is kept.
    """
    tables = list(tables)
    suggestions = [s for t in tables for s in t.suggestions if s.kind == "classification"]
    forecasts = [t.forecast for t in tables if t.forecast is not None]
    if forecasts:
        suggestions.append(max(forecasts, key=lambda s: s.strength))  # max keeps the first of equals
    suggestions += [s for t in tables for s in t.suggestions if s.kind == "text_classification"]
    taken: set[str] = set()
    named = []
    for s in suggestions:
        case_id = slug(s.name, fallback="use_case")
        if case_id in taken:
            case_id = slug(f"{s.name}_{s.table}", fallback="use_case")
        base, n = case_id, 2
        while case_id in taken:
            case_id, n = f"{base}_{n}", n + 1
        taken.add(case_id)
        named.append((case_id, s))
    return named


def relative_path(path: Path, folder: Path) -> tuple[str, bool]:
    """``path`` as the engagement writes it (relative to ``folder``, with ``/``), and whether it lies outside."""
    absolute, base = os.path.abspath(path), os.path.abspath(folder)
    outside = not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    try:
        text = Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive
        text = Path(absolute).as_posix()
    return text, outside


# ---------------------------------------------------------------------------- YAML text


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as ``value``: plain when safe, else double-quoted.

    Examples
    --------
    >>> scalar("customer_id"), scalar("true"), scalar(">50K"), scalar("Order Date")
    ('customer_id', '"true"', '">50K"', 'Order Date')
    """
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_list(values: Iterable[Any]) -> str:
    """``[a, b, "c d"]``."""
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def line(indent: int, body: str, comment: str = "") -> str:
    """One line, its comment aligned at :data:`COMMENT_COLUMN` when there is room."""
    text = " " * indent + body
    if not comment:
        return text
    comment = " ".join(comment.split())
    return f"{text.ljust(COMMENT_COLUMN - 1)} # {comment}" if len(text) < COMMENT_COLUMN - 1 else f"{text}  # {comment}"


def comment_block(indent: int, text: str) -> list[str]:
    """A comment wrapped to :data:`WIDTH`, continuation lines indented."""
    prefix = " " * indent + "# "
    return textwrap.wrap(" ".join(text.split()), width=WIDTH, initial_indent=prefix,
                         subsequent_indent=prefix + "  ", break_on_hyphens=False, break_long_words=False)


def list_lines(indent: int, key: str, values: list[Any], comment: str = "") -> list[str]:
    """``key: [a, b]`` in flow style, or one item a line when too long."""
    flow = line(indent, f"{key}: {flow_list(values)}", comment)
    if len(flow) <= WIDTH:
        return [flow]
    return [line(indent, f"{key}:", comment), *(" " * (indent + 2) + f"- {scalar(v)}" for v in values)]


def render_draft(draft: Draft, *, client: str, extracts: str, with_checklist: bool) -> str:
    """The text of the drafted ``engagement.yaml``."""
    out = _header(draft, client=client, extracts=extracts)
    out += ["", "# One entry per extract. Read from the data: the key (the column that identifies a row), date",
            "# columns, columns holding personal data (pii: masked in every report) and references (a column",
            "# whose values are another table's keys). Check each, and remove what is wrong.",
            "tables:"]
    for t in draft.tables:
        out += _table_lines(t, draft.paths[t.name], draft.references.get(t.name, {}))
    out += [""] + _use_case_lines(draft.use_cases)
    checklist = (line(0, "checklist: ethics_checklist.yaml", "the ethics checklist answers (yes / no / n/a per item)")
                 if with_checklist else
                 "# checklist: ethics_checklist.yaml   # no checklist was installed when this file was written")
    out += ["", line(0, "survey: survey.yaml", "the readiness questionnaire answers"), checklist]
    return "\n".join(out) + "\n"


def _header(draft: Draft, *, client: str, extracts: str) -> list[str]:
    name = " ".join(client.split())
    if draft.as_of_source == "given":
        why = []
    elif draft.as_of_source:
        why = [f"# as_of: the newest date in the extracts that is not in the future ({draft.as_of_source});",
               "# change it to the date the extracts were taken if that differs."]
    else:
        why = ["# as_of: no date found in the extracts, so the day this was drafted; change it to the date",
               "# the extracts were taken."]
    where = "this folder" if extracts == "." else extracts
    out = [
        f"# Engagement for {name}, drafted by `readiness new --from` from {len(draft.tables)} extract(s) in {where}.",
        "# Keys, references, personal-data columns and use cases were read from the data: each comment says",
        "# why. Check them, then add value and costs to the use cases. Paths are relative to this file.",
        "# `readiness check engagement.yaml` lists what is still missing; `readiness run engagement.yaml`",
        "# writes the reports.",
        "",
        line(0, f"client: {json.dumps(client, ensure_ascii=False)}", "shown in every report header"),
        *why,
        line(0, f"as_of: {draft.as_of.isoformat()}", "freshness and future dates are judged against it"),
        line(0, "currency: EUR", "a guess: change it to the client's three-letter currency code"),
        line(0, "seed: 42", "drives every random choice, so a rerun gives the same reports"),
        line(0, "freshness_days: 90", "the newest record may be at most this many days older than as_of"),
    ]
    if draft.outside:
        out += [f"# allow_outside_paths: the extracts stay in {extracts}, outside this file's folder; copy them",
                "# here and remove this line to keep the engagement in one folder.",
                line(0, "allow_outside_paths: true", "tables may lie outside this folder")]
    return out


def _table_lines(t: TableSketch, path: str, refs: dict[str, Reference]) -> list[str]:
    out = [f"  {scalar(t.name)}:", line(4, f"path: {scalar(path)}", f"{t.rows:,} rows")]
    if t.key is not None:
        out.append(line(4, f"key: {scalar(t.key)}", t.key_reason))
    else:
        out.append("    # key: none found (no column is filled and distinct on (almost) every row); "
                   "name it if the table has one")
    if t.date_columns:
        out += list_lines(4, "date_columns", t.date_columns)
    if t.pii:
        out += list_lines(4, "pii", t.pii, "personal data: masked in every report")
    if refs:
        out.append(line(4, "references:", "values that must exist in another table's key"))
        out += [line(6, f"{scalar(column)}: {scalar(r.target)}", r.evidence) for column, r in refs.items()]
    out += _rule_example(t)
    return out


def _rule_example(t: TableSketch) -> list[str]:
    if t.rule_column is None:
        return ["    # rules:                      # checks beyond the profile, e.g. - {column: ..., expect: not_null}"]
    options = "min: ..., max: ..." if t.rule_kind == "between" else "values: [...]"
    return ["    # rules:                      # checks beyond the profile, for example:",
            f"    #   - {{column: {scalar(t.rule_column)}, expect: {t.rule_kind}, {options}}}"]


def _use_case_lines(use_cases: list[tuple[str, Suggestion]]) -> list[str]:
    intro = ["# Use cases the data suggests, each written so that `readiness run` assesses it. A use case",
             "# without value (or benefit) and costs is reported as not valued: add them from the client's figures",
             "# as one number or [low, likely, high]."]
    if not use_cases:
        return [*intro[:1], "# None was found: add them as in the README, e.g.",
                "#  - {id: no_show, title: Predict no-shows, table: appointments, target: no_show}", "use_cases: []"]
    out = [*intro, "use_cases:"]
    for case_id, s in use_cases:
        out += [*comment_block(2, f"suggestion: {s.evidence}; {CHECK_WHAT[s.kind]}"),
                f"  - id: {case_id}", f"    title: {scalar(s.title)}", f"    table: {scalar(s.table)}",
                f"    target: {scalar(s.target)}", f"    kind: {s.kind}"]
        for key, value in s.settings.items():
            reason = "found by name and values" if key == "protected" else s.reasons.get(key, "")
            out += (list_lines(4, key, value, reason) if isinstance(value, list)
                    else [line(4, f"{key}: {scalar(value)}", reason)])
        out += [_domain_line(s), *("    " + t for t in VALUE_TEMPLATES[s.kind]), "    " + COSTS_TEMPLATE, ""]
    return out[:-1]


def domain_hints(kind: str, target: str) -> list[str]:
    """A few EU AI Act domains (``readiness/data/ai_act.yaml``) that may fit a use case, likeliest first."""
    from readiness.ethics.regulation import domain_keys

    known = set(domain_keys())
    words = {*name_tokens(target), "".join(name_tokens(target))}
    hints = [domain for domain, named in DOMAIN_WORDS.items() if kind == "classification" and words & named]
    hints += DOMAIN_HINTS[kind]
    return [d for d in dict.fromkeys(hints) if d in known][:4]


def _domain_line(s: Suggestion) -> str:
    first, *others = domain_hints(s.kind, s.target) or ["..."]
    return line(4, f"# domain: {first}", f"or {', '.join([*others, '...'])} (readiness/data/ai_act.yaml): "
                                         "the EU AI Act tier")


__all__ = ["Draft", "draft_engagement", "name_use_cases", "relative_path", "render_draft", "scalar"]
