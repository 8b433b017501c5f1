"""Small HTML building blocks that notebooks display: verdict, findings, cards, tables, notes.

Every function returns an :class:`IPython.display.HTML` rendered from a macro of
``templates/blocks.html.j2`` (the reports' page templates are Jinja too) with every value escaped,
so a column named ``<script>`` shows as text. The classes used are styled by
``templates/css/components.css``, which every report inlines; in a live notebook, display
:func:`report_style` once (in a setup cell tagged ``hide``) to get the same look.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from IPython.display import HTML
from markupsafe import Markup

from readiness.privacy import safe_text
from readiness.results import SEVERITY_ORDER, Finding, StageResult

_TEMPLATES = Path(__file__).parent / "templates"
_CSS_PATH = _TEMPLATES / "css" / "components.css"

VERDICT_WORDS = {"ready": "Ready", "needs_work": "Needs work", "not_ready": "Not ready"}
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Info"}
MISSING = "—"  # em dash for a missing value
WIDE_COLUMNS = 7  # tables with more columns wrap in a smaller type to fit the page


def report_style() -> HTML:
    """The components' stylesheet as a ``<style>`` element, for live notebooks.

    Returns
    -------
    IPython.display.HTML
    """
    return HTML(f"<style>{_CSS_PATH.read_text(encoding='utf-8')}</style>")


def _escaped(value: Any) -> Any:
    """Every value a block shows is escaped, except a block already rendered (Markup)."""
    return value if isinstance(value, Markup) else escape(str(value))


@functools.cache
def _blocks() -> Any:
    """The macros of ``templates/blocks.html.j2``, in an environment that escapes every value it prints."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=False, finalize=_escaped,
                             undefined=jinja2.StrictUndefined)
    env.filters["safe_html"] = Markup
    return env.get_template("blocks.html.j2").module


def verdict_word(verdict: str | None) -> str:
    """The verdict in the analyst's words: ``"needs_work"`` -> ``"Needs work"``."""
    if not verdict:
        return "No verdict"
    return VERDICT_WORDS.get(verdict, str(verdict).replace("_", " ").capitalize())


def _css_token(value: str) -> str:
    """A value safe to use as a class name suffix (letters, digits, ``_`` and ``-`` only)."""
    return "".join(ch for ch in str(value) if ch.isalnum() or ch in "_-") or "none"


def verdict_box(result: StageResult, *, headline: str | None = None) -> HTML:
    """A coloured box with the verdict in words, the score out of 100 and finding counts.

    Parameters
    ----------
    result : StageResult
        The stage's result.
    headline : str, optional
        One sentence that says what the verdict means for the client.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> box = verdict_box(StageResult("quality", "customers", "needs_work", 72.4))
    >>> "Needs work" in box.data and "72" in box.data
    True
    """
    score = "n/a" if result.score is None else f"{float(result.score):.1f}"
    verdict = result.shown_verdict
    return HTML(_blocks().verdict_box(_css_token(verdict), verdict_word(verdict), headline or "",
                                      result.count_by_severity(), score))


def findings_table(findings: list[Finding]) -> HTML:
    """Findings as a table, errors first, each with a coloured severity pill.

    Findings about the same column are one row: one problem with its facts (a column of numbers
    stored as text with ``NULL`` tokens is one problem, not four), under the worst severity, with
    each finding's code and sentence listed. The result's JSON keeps every finding on its own.

    Parameters
    ----------
    findings : list of Finding

    Returns
    -------
    IPython.display.HTML
        The table, or a "No findings" note when the list is empty.
    """
    if not findings:
        return HTML(_blocks().empty("No findings."))
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.column or ""))
    groups: dict[object, list[Finding]] = {}
    for i, f in enumerate(ordered):
        groups.setdefault(("column", f.column) if f.column else ("alone", i), []).append(f)
    rows = [{"severity": group[0].severity, "severity_word": SEVERITY_WORDS[group[0].severity],
             "codes": [(code, _meaning(code)) for code in dict.fromkeys(f.code for f in group)],
             "column": group[0].column, "messages": [safe_text(f.message) for f in group]}
            for group in groups.values()]
    return HTML(_blocks().findings_table(rows, MISSING))


def _meaning(code: str) -> str:
    """A finding code's one-line meaning from the catalogue (shown when the reader points at the code)."""
    from readiness.findings import CATALOGUE

    entry = CATALOGUE.get(code)
    return entry.meaning if entry else ""


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: not a single missing value
        return False


def format_value(value: Any, *, percent: bool = False, number_format: str = "{:,.2f}") -> str:
    """One value as display text (not yet escaped).

    Booleans become ✓/✗, missing values an em dash, integers get thousands separators,
    floats use ``number_format``, and with ``percent`` a fraction 0.953 becomes ``95.3%``.

    Examples
    --------
    >>> format_value(5020), format_value(0.953, percent=True), format_value(True), format_value(None)
    ('5,020', '95.3%', '✓', '—')
    """
    if _is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "✓" if value else "✗"
    if isinstance(value, (int, np.integer)):
        return f"{value * 100:,.1f}%" if percent else f"{value:,}"
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            return "∞" if value > 0 else "−∞"
        return f"{value * 100:,.1f}%" if percent else number_format.format(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ").removesuffix(" 00:00:00")
    return str(value)


def metric_cards(items: Mapping[str, str | float | int]) -> HTML:
    """A row of small cards, one per metric, e.g. ``{"Rows": 5020, "Columns": 13}``.

    Parameters
    ----------
    items : mapping of str to str, float or int
        Label to value; numbers are formatted (``5,020``; floats with two decimals, or none
        when whole).

    Returns
    -------
    IPython.display.HTML
    """
    cards = []
    for label, value in items.items():
        whole = isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer()
        cards.append((str(label), format_value(int(value) if whole else value)))
    return HTML(_blocks().cards(cards))


def _column_label(name: Any) -> str:
    if isinstance(name, tuple):
        return " · ".join(str(part) for part in name if str(part))
    return str(name)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table(
    df: pd.DataFrame,
    *,
    caption: str | None = None,
    max_rows: int = 200,
    percent_columns: Iterable[str] = (),
    number_format: str = "{:,.2f}",
) -> HTML:
    """An escaped, styled HTML table of a DataFrame.

    Parameters
    ----------
    df : pandas.DataFrame
        A named (non-default) index is shown as leading column(s).
    caption : str, optional
        Shown above the table.
    max_rows : int
        Rows beyond this are left out, with a note saying how many rows there are.
    percent_columns : iterable of str
        Columns holding fractions (0-1) to show as percentages with one decimal.
    number_format : str
        ``str.format`` pattern for floats in the other columns.

    Returns
    -------
    IPython.display.HTML
    """
    if not isinstance(df.index, pd.RangeIndex) or df.index.name is not None:
        df = df.reset_index()
    percent = set(percent_columns)
    shown = df.head(max_rows)
    numeric = [_is_numeric(df.iloc[:, i]) for i in range(df.shape[1])]
    head = [(_column_label(c), num) for c, num in zip(df.columns, numeric, strict=True)]
    body = []
    for row in shown.itertuples(index=False, name=None):
        cells = []
        for value, name, num in zip(row, df.columns, numeric, strict=True):
            text = format_value(value, percent=name in percent, number_format=number_format)
            text = text if num else safe_text(text)  # any value shown passes the one personal-data gate
            cells.append((text, " ".join(c for c in ("rd-num" if num else "", "rd-missing" if text == MISSING else "")
                                         if c)))
        body.append(cells)
    table_css = "rd-table rd-wide" if df.shape[1] > WIDE_COLUMNS else "rd-table"
    note = f"Showing the first {len(shown):,} of {len(df):,} rows." if len(df) > len(shown) else ""
    return HTML(_blocks().table(table_css, caption or "", head, body, max(df.shape[1], 1), note))


def assumptions_table(assumed: Iterable[Any]) -> HTML:
    """The "What was assumed" table: every choice a stage made for the analyst, with how to change it.

    Parameters
    ----------
    assumed : iterable of readiness.params.Assumption or dict
        As a report's ``assumed`` or a result's ``metrics["assumed"]`` holds them.

    Returns
    -------
    IPython.display.HTML
        The table, or a note that every choice was given.
    """
    from readiness.params import assumptions_frame

    frame = assumptions_frame(assumed)
    if frame.empty:
        return HTML(_blocks().empty("Nothing was assumed: every choice was given."))
    return table(frame, caption="What was assumed")


def section_note(text: str | None) -> HTML:
    """A muted explanatory paragraph (the text is escaped, not parsed as HTML or markdown); nothing for no text."""
    if not text:
        return HTML("")
    return HTML(_blocks().note(str(text)))


__all__ = [
    "assumptions_table",
    "findings_table",
    "format_value",
    "metric_cards",
    "report_style",
    "section_note",
    "table",
    "verdict_box",
    "verdict_word",
]
