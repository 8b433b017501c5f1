"""Use cases a table's profile suggests, each with the evidence in words.

Three kinds are suggested: a classification of an outcome column (:func:`classification_suggestions`,
yes/no or status columns found by :func:`readiness.profiling.detect.detect_targets`), a forecast of
daily rows when a date column has many rows a day (:func:`forecast_suggestion`), and a text
classification of a category from a free-text column beside it (:func:`text_suggestion`). Each
returns plain :class:`Suggestion` values; the engagement draft writes them as use cases for the
analyst to check and value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from readiness.ethics.protected import ProtectedColumn, detect_protected
from readiness.privacy import name_tokens
from readiness.profiling.detect import detect_targets, group_candidates, positive_class, time_candidates
from readiness.profiling.profile import TableProfile

MAX_TARGETS = 2  # per table: the best outcome, and a second one only when it is named like an outcome too
SECOND_TARGET_SCORE = 3.0
FORECAST_MIN_ROWS_PER_DAY = 5.0  # median rows a day, on days with rows
FORECAST_MIN_DAYS = 60
FORECAST_GROUPS = (2, 12)  # distinct values of a forecast's group column
TEXT_CATEGORY_VALUES = (3, 20)
PROSE_MIN_SPACED = 0.5  # share of a free-text column's values holding a space
PROSE_SAMPLE = 2_000
LOCATION_WORDS = frozenset({"site", "store", "branch", "location", "region", "clinic", "shop", "office", "outlet",
                            "centre", "center", "area", "city", "depot", "warehouse", "practice", "salon", "gym"})
CATEGORY_WORDS = frozenset({"category", "categories", "type", "topic", "reason", "department", "queue", "class",
                            "intent", "issue", "kind", "team", "label", "subject", "group", "product", "tag"})


@dataclass(frozen=True)
class Suggestion:
    """A use case the data suggests: what to predict in which table, and why.

    ``settings`` are the use case's other keys in the order they are written (``positive``,
    ``time_column``, ``group_column``, ``text_column``, ``protected``); ``reasons`` says why a
    setting was chosen, by key. ``strength`` ranks suggestions of one kind (a forecast's median
    rows a day).
    """

    kind: str
    table: str
    target: str
    title: str
    evidence: str
    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    strength: float = 0.0


def label_counts(frame: pd.DataFrame, typed: pd.DataFrame, column: str) -> dict[str, int]:
    """Rows per value of an outcome column, as trimmed text (missing values left out), largest first."""
    text = frame[column].astype("string").str.strip()
    text = text[typed[column].notna() & (text != "")]
    counts = text.value_counts()
    return {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))}


def classification_suggestions(table: str, profile: TableProfile, frame: pd.DataFrame, typed: pd.DataFrame, *,
                               protected: list[ProtectedColumn] | None = None) -> list[Suggestion]:
    """The table's outcome columns as classification use cases: the best one, and a second named like an outcome.

    Each carries its positive class (two-valued outcomes), the column that dates each row, the
    column that groups rows of one customer and the protected attributes found beside it
    (``protected``: those of the whole table when already found, to save a pass over the rows).
    """
    found = detect_targets(profile)
    if protected is None:
        protected = detect_protected(typed, profile)
    chosen = found[:1] + [t for t in found[1:MAX_TARGETS] if t.score >= SECOND_TARGET_SCORE]
    out = []
    for target in chosen:
        counts = label_counts(frame, typed, target.column)
        settings: dict[str, Any] = {}
        reasons: dict[str, str] = {}
        total = sum(counts.values())
        if len(counts) == 2:
            positive, why = positive_class(counts)
            settings["positive"], reasons["positive"] = positive, why
            seen = f"'{positive}' on {counts[positive]:,} of {total:,} rows ({counts[positive] / total:.1%})"
        else:
            seen = f"{len(counts)} values over {total:,} rows"
        exclude = {target.column}
        for key, candidates in (("time_column", time_candidates(profile, exclude=exclude)),
                                ("group_column", group_candidates(profile, exclude=exclude))):
            if candidates:
                settings[key], reasons[key] = candidates[0].column, candidates[0].reason
        beside = (protected if target.column not in {p.column for p in protected}
                  else detect_protected(typed, profile, exclude=exclude))
        if beside:
            settings["protected"] = [p.column for p in beside]
            reasons["protected"] = "; ".join(f"{p.column}: {p.reason}" for p in beside)
        evidence = f"{table}.{target.column} is {target.reason}, {seen}"
        out.append(Suggestion("classification", table, target.column, f"Predict {target.column}", evidence,
                              name=target.column, settings=settings, reasons=reasons))
    return out


def rows_per_day(dates: pd.Series) -> tuple[float, int]:
    """Median rows a day on days with rows, and the number of such days."""
    if not pd.api.types.is_datetime64_any_dtype(dates):
        return 0.0, 0
    days = dates.dropna().dt.normalize().value_counts()
    return (float(days.median()), len(days)) if len(days) else (0.0, 0)


def forecast_suggestion(table: str, profile: TableProfile, typed: pd.DataFrame, *,
                        exclude: set[str] | frozenset[str] = frozenset(),
                        protected: list[ProtectedColumn] | None = None) -> Suggestion | None:
    """A forecast of the table's daily rows, when it has a key and a date column with many rows a day.

    The first date column (most filled, then latest reaching) with a median of at least 5 rows
    a day over at least 60 days; grouped by a category of 2-12 values (a site before any other),
    protected attributes and ``exclude`` left out.
    """
    if profile.key is None:
        return None
    for candidate in time_candidates(profile):
        median, days = rows_per_day(typed[candidate.column])
        if median < FORECAST_MIN_ROWS_PER_DAY or days < FORECAST_MIN_DAYS:
            continue
        settings: dict[str, Any] = {"time_column": candidate.column}
        reasons = {"time_column": f"{median:g} rows a day (median) over {days:,} days"}
        if protected is None:
            protected = detect_protected(typed, profile)
        group = _forecast_group(profile, exclude={*exclude, *(p.column for p in protected)})
        if group is not None:
            settings["group_column"] = group
            reasons["group_column"] = f"a forecast per value ({profile.columns[group].distinct} values)"
        evidence = (f"{table}.{candidate.column} has a median of {median:g} rows a day over {days:,} days, "
                    f"and {table} has a key ({profile.key}) to count them by")
        return Suggestion("forecast", table, profile.key, f"Forecast daily rows of {table}", evidence,
                          name=f"{table}_forecast", settings=settings, reasons=reasons, strength=median)
    return None


def _forecast_group(profile: TableProfile, *, exclude: set[str]) -> str | None:
    low, high = FORECAST_GROUPS
    options = [name for name, col in profile.columns.items()
               if col.semantic_type == "category" and low <= col.distinct <= high and not col.personal_kind
               and name not in exclude]
    located = [name for name in options if set(name_tokens(name)) & LOCATION_WORDS]
    return (located or options or [None])[0]


def is_prose(values: pd.Series, *, sample: int = PROSE_SAMPLE) -> bool:
    """True when most filled values hold a space: sentences, not codes the profile could not place (``C0042``)."""
    text = values.dropna().astype("string").str.strip()
    text = text[text != ""]
    if not len(text):
        return False
    if len(text) > sample:
        text = text.iloc[np.linspace(0, len(text) - 1, sample).astype(int)]
    return bool(text.str.contains(" ", regex=False).mean() >= PROSE_MIN_SPACED)


def text_suggestion(table: str, profile: TableProfile, typed: pd.DataFrame) -> Suggestion | None:
    """Routing by a category from free text: a free-text column beside a category of 3-20 values named like one.

    The most filled free-text column that holds sentences and no personal data, and the first
    category column whose name says category, type, topic, reason, department, queue and the like.
    """
    texts = [(col.non_null, name) for name, col in profile.columns.items()
             if col.semantic_type == "free_text" and not col.personal_kind and is_prose(typed[name])]
    low, high = TEXT_CATEGORY_VALUES
    categories = [name for name, col in profile.columns.items()
                  if col.semantic_type == "category" and low <= col.distinct <= high and not col.personal_kind
                  and set(name_tokens(name)) & CATEGORY_WORDS]
    if not texts or not categories:
        return None
    text = max(texts, key=lambda pair: pair[0])[1]  # max keeps the first of equals
    target = categories[0]
    evidence = (f"{table}.{text} is free text ({profile.columns[text].non_null:,} filled rows) beside "
                f"{target}, a category with {profile.columns[target].distinct} values")
    return Suggestion("text_classification", table, target, f"Route {table} by {target}", evidence,
                      name=f"{table}_{target}", settings={"text_column": text},
                      reasons={"text_column": "free text"})


def newest_date(profile: TableProfile, typed: pd.DataFrame, *, today: date) -> tuple[date, str] | None:
    """The newest date of the table that is not after ``today``, and its column (dates of birth left out)."""
    end = pd.Timestamp(today) + pd.Timedelta(days=1)
    best: tuple[date, str] | None = None
    for name, col in profile.columns.items():
        if col.semantic_type not in ("date", "date_as_text") or col.personal_kind:
            continue
        values = typed[name]
        if not pd.api.types.is_datetime64_any_dtype(values):
            continue
        if getattr(values.dt, "tz", None) is not None:  # a parquet timestamp with a time zone
            values = values.dt.tz_localize(None)
        values = values[values < end].dropna()
        if len(values) and (best is None or values.max().date() > best[0]):
            best = (values.max().date(), name)
    return best


__all__ = ["Suggestion", "classification_suggestions", "forecast_suggestion", "is_prose", "label_counts", "newest_date",
           "rows_per_day", "text_suggestion"]
