"""How a column's values form groups: protected attributes banded and labelled, a target read as yes/no.

The ethics stage compares these groups; the feasibility stage counts a sampled table's target by
them; a table source that counts groups on every row (:mod:`readiness.sources`) labels each
distinct value with the same rules, so every engine forms the same groups.
"""

from __future__ import annotations

import difflib
from datetime import date

import numpy as np
import pandas as pd

from readiness.errors import ConfigError
from readiness.privacy import name_tokens, safe_text
from readiness.profiling.detect import positive_class

MISSING_GROUP = "(missing)"
MAX_LEVELS = 12  # a numeric attribute with more distinct values than this is cut into bands
AGE_EDGES = (0, 18, 25, 35, 45, 65, np.inf)
AGE_LABELS = ("<18", "18-24", "25-34", "35-44", "45-64", "65+")


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def prepare_protected(series: pd.Series, *, name: str, weights: np.ndarray | None = None,
                      as_of: date | None = None) -> tuple[pd.Series, str | None]:
    """Group labels of one protected attribute, as text, with missing values as ``(missing)``.

    A numeric attribute with more than :data:`MAX_LEVELS` distinct values is cut into bands:
    ages (a name containing ``age``) into 18-24, 25-34, 35-44, 45-64, 65+ (and <18), anything
    else into quartiles. The second value says how, or is None when nothing was binned.

    A date column (a date of birth) becomes each person's age on ``as_of`` (today by default), cut
    into the same age bands.

    ``weights`` is for a column given as its distinct values (the Spark engine counts them on
    every row): the rows each value stands for. Only the quartile edges depend on it; they are
    those of the column with each value repeated that many times, as :func:`pandas.qcut` finds them.

    Examples
    --------
    >>> ages = pd.Series([19.0, 20, 22, 26, 30, 33, 36, 40, 44, 50, 60, 66, 70, None])  # 13 values: banded
    >>> labels, how = prepare_protected(ages, name="age")
    >>> sorted(set(labels))
    ['(missing)', '18-24', '25-34', '35-44', '45-64', '65+']
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _ages_from_birth_dates(series, name=name, as_of=as_of)
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    if numeric and series.nunique(dropna=True) > MAX_LEVELS:
        if "age" in name_tokens(name):
            cut = pd.cut(series, bins=list(AGE_EDGES), labels=list(AGE_LABELS), right=False)
            how = f"'{name}' is numeric, so it was cut into age bands {', '.join(AGE_LABELS[1:])} (and <18)."
        else:
            if weights is None:
                cut = pd.qcut(series, q=4, duplicates="drop")
            else:  # pd.qcut is pd.cut at the quartiles, with the same edge rounding and lowest edge
                edges = quartile_edges(series.to_numpy(dtype=float), np.asarray(weights))
                cut = pd.cut(series, bins=edges, include_lowest=True, duplicates="drop")
            cut = cut.cat.rename_categories([f"{_number_text(c.left)}-{_number_text(c.right)}"
                                             for c in cut.cat.categories])
            how = f"'{name}' is numeric, so it was cut into quartile bands of about equal size."
        labels = cut.astype(object).where(cut.notna(), MISSING_GROUP).astype(str)
        return pd.Series(labels.to_numpy(), index=series.index, name=name), how
    if numeric:
        text = series.map(lambda v: _number_text(v) if pd.notna(v) else None)
    else:
        # a group's name is shown in charts, tables, messages and the JSON: it passes the personal-data gate
        distinct = {v: safe_text(str(v).strip()) for v in pd.unique(series.dropna())}
        text = series.astype(object).map(lambda v: distinct[v] if pd.notna(v) else None)
        text = text.where(text != "", None)
    return pd.Series(text.fillna(MISSING_GROUP).to_numpy(dtype=object), index=series.index, name=name), None


def _ages_from_birth_dates(series: pd.Series, *, name: str, as_of: date | None) -> tuple[pd.Series, str]:
    day = pd.Timestamp(as_of or date.today())
    born = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
    years = day.year - born.dt.year
    before_birthday = (born.dt.month > day.month) | ((born.dt.month == day.month) & (born.dt.day > day.day))
    ages = (years - before_birthday.astype("Int64")).astype("Float64").astype(float)
    cut = pd.cut(ages.where(ages >= 0), bins=list(AGE_EDGES), labels=list(AGE_LABELS), right=False)
    labels = cut.astype(object).where(cut.notna(), MISSING_GROUP).astype(str)
    how = (f"'{name}' holds dates of birth, so each person's age on {day.date().isoformat()} was cut into age bands "
           f"{', '.join(AGE_LABELS[1:])} (and <18).")
    return pd.Series(labels.to_numpy(), index=series.index, name=name), how


def quartile_edges(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Quartiles of ``values``, each repeated ``weights`` times, as :func:`pandas.qcut` computes them.

    numpy's linear method: the quantile ``q`` of ``n`` sorted values lies at rank ``(n - 1) q``,
    interpolated between the two ranks around it, with numpy's own formula so the edges match
    to the last bit. NaN values are left out.

    Examples
    --------
    >>> quartile_edges(np.array([1.0, 2.0, 10.0]), np.array([2, 1, 1])).tolist()
    [1.0, 1.0, 1.5, 4.0, 10.0]
    """
    known = ~np.isnan(values) & (weights > 0)
    order = np.argsort(values[known], kind="stable")
    v, ends = values[known][order], np.cumsum(weights[known][order])  # ends[i] - 1: last rank holding v[i]
    n = int(ends[-1])
    edges = []
    for q in np.linspace(0, 1, 5):
        h = (n - 1) * q
        low = int(np.floor(h))
        a = v[np.searchsorted(ends, low, side="right")]
        b = v[np.searchsorted(ends, min(low + 1, n - 1), side="right")]
        t, diff = h - low, b - a
        edges.append(a + diff * t if t < 0.5 else b - diff * (1 - t))
    return np.array(edges)


def binary_labels(series: pd.Series, positive_label: str | bool | float | None, *,
                  column: str) -> np.ndarray | None:
    """:func:`binary_target`, guessing the positive label of a two-valued target when none is given.

    The guess is the feasibility stage's (:func:`readiness.profiling.detect.positive_class`): a
    yes-like value, else the rarer one. Returns None when no label is given and the target does
    not hold exactly two values: base rates are then not compared.
    """
    if positive_label in (None, ""):
        text = series.dropna().astype(str).str.strip()
        counts = text[text != ""].value_counts()
        if len(counts) != 2:
            return None
        positive_label = positive_class({str(k): int(v) for k, v in counts.items()})[0]
    return binary_target(series, positive_label, column=column)


def binary_target(series: pd.Series, positive_label: str | bool | float, *, column: str) -> np.ndarray:
    """The target as 1.0 (positive), 0.0 (any other value) or NaN (missing).

    Raises
    ------
    ConfigError
        ``positive_label`` is not one of the target's values (the message lists them).
    """
    present = series.dropna()
    wanted = str(positive_label).strip().lower()
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        try:
            hit = present.astype(float) == float(wanted)
        except ValueError:
            hit = pd.Series(False, index=present.index)
        values = sorted({_number_text(v) for v in present.unique()[:50]})
    else:
        text = present.astype(str).str.strip().str.lower()
        hit = text == wanted
        values = sorted(set(present.astype(str).str.strip().unique()[:50]))
    if not hit.any():
        close = difflib.get_close_matches(str(positive_label), values, n=1, cutoff=0.4)
        hint = f" The closest is '{close[0]}'." if close else ""
        raise ConfigError(f"`positive_label` is '{positive_label}', which never occurs in target column "
                          f"'{column}'; its values are: {', '.join(values[:10])}.{hint} Fix `positive_label` "
                          "(the use case's `positive`).")
    out = np.full(len(series), np.nan)
    out[series.notna().to_numpy()] = hit.to_numpy(dtype=float)
    return out
