"""Data-level bias: does the history already treat groups differently, before any model?

Per protected attribute (and per intersection of two), each group's size, share and label base
rate, compared with a reference group by the disparate impact ratio (``rate_g / rate_ref``)
and the statistical parity difference (``rate_g - rate_ref``), with seeded bootstrap
intervals. Groups below a minimum size stay in the table, marked ``small``; missing protected
values form their own group. A second check asks whether features are missing more often
for some groups (chi-square test of independence).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from readiness.errors import ConfigError, DataError
from readiness.profiling.groups import (  # noqa: F401  (the ethics stage's names for them)
    AGE_EDGES,
    AGE_LABELS,
    MAX_LEVELS,
    MISSING_GROUP,
    binary_labels,
    binary_target,
    prepare_protected,
    quartile_edges,
)

MIN_GROUP_SIZE = 30
N_BOOT = 500
DI_BAND = (0.8, 1.25)  # the four-fifths rule and its mirror: a reference line, not a legal test
MISSINGNESS_ALPHA = 0.001
MISSINGNESS_MIN_GAP = 0.05

GROUP_COLUMNS = [
    "attribute", "group", "rows", "share", "positives", "base_rate", "reference", "small", "disparate_impact",
    "di_low", "di_high", "statistical_parity_difference", "spd_low", "spd_high",
]
MISSINGNESS_COLUMNS = [
    "attribute", "feature", "null_rate", "lowest_group", "lowest_rate", "highest_group", "highest_rate", "gap",
    "chi2", "p_value", "flagged",
]








def choose_reference(groups: pd.Series, reference: str | None, *, attribute: str) -> str:
    """The reference group: the one named, else the largest group with a known value (ties by name)."""
    return _pick_reference(groups[groups != MISSING_GROUP].value_counts(), reference, attribute=attribute)


def _pick_reference(sizes: pd.Series, reference: str | None, *, attribute: str) -> str:
    """:func:`choose_reference` from the rows of each known group (indexed by group)."""
    if reference is None or str(reference) == "":
        if sizes.empty:
            raise DataError(f"Protected attribute '{attribute}' has no known value, so no reference group exists.")
        top = sizes[sizes == sizes.max()].index
        return sorted(str(g) for g in top)[0]
    if str(reference) not in sizes.index:
        names = sorted(str(g) for g in sizes.index)
        folded = {n.strip().lower(): n for n in names}
        close = difflib.get_close_matches(str(reference).strip().lower(), list(folded), n=1, cutoff=0.4)
        hint = f"the closest is '{folded[close[0]]}'; " if close else ""
        raise ConfigError(f"`reference_groups.{attribute}` is '{reference}', which is not a group of "
                          f"'{attribute}'; {hint}groups are: {', '.join(names[:20])}.")
    return str(reference)


def group_rates(
    groups: pd.Series,
    y: np.ndarray,
    *,
    attribute: str,
    reference: str | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> pd.DataFrame:
    """Size, base rate, disparate impact and statistical parity difference of each group.

    Parameters
    ----------
    groups : pandas.Series
        Group label of each row (from :func:`prepare_protected`).
    y : numpy.ndarray
        1 for the positive label, 0 otherwise, NaN where the label is missing (those rows are left out).
    attribute, reference, min_group_size, n_boot, seed
        As for :func:`rates_from_counts`, which this counts the rows for.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GROUP_COLUMNS`, largest group first, the missing group last.

    Examples
    --------
    >>> g = pd.Series(["a"] * 4 + ["b"] * 2)
    >>> t = group_rates(g, np.array([1, 1, 0, 0, 1, 0.0]), attribute="x", n_boot=0)
    >>> t.set_index("group")["disparate_impact"].to_dict()
    {'a': 1.0, 'b': 1.0}
    """
    keep = ~np.isnan(y)
    frame = pd.DataFrame({"group": groups.to_numpy(dtype=object)[keep], "y": y[keep]})
    counts = frame.groupby("group", sort=True)["y"].agg(["size", "sum"])
    counts = counts.rename(columns={"size": "rows", "sum": "positives"}).reset_index()
    return rates_from_counts(counts, attribute=attribute, reference=reference, min_group_size=min_group_size,
                             n_boot=n_boot, seed=seed)


def rates_from_counts(
    counts: pd.DataFrame,
    *,
    attribute: str,
    reference: str | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`group_rates` from each group's labelled rows and positives, however they were counted.

    The bootstrap resamples each group within itself, which for a 0/1 label is a binomial draw
    of the group's size at its base rate: the counts are all it needs. Counts made on every row
    of a table too large for pandas (the Spark engine) thus give the same table as
    :func:`group_rates` on that table.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``group``, ``rows`` (rows with a label) and ``positives``; a group may appear on several
        rows (they are added up), groups without labelled rows are left out.
    attribute : str
        The attribute's name, repeated in the output.
    reference : str, optional
        The group others are compared with; the largest known group by default.
    min_group_size : int
        Groups with fewer labelled rows are marked ``small``.
    n_boot : int
        Bootstrap resamples for the 95% intervals (each group resampled within itself).
    seed : int
        Seeds the bootstrap.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GROUP_COLUMNS`, largest group first, the missing group last.

    Raises
    ------
    DataError
        No labelled row has a known group.
    ConfigError
        ``reference`` is not a group with labelled rows.

    Examples
    --------
    >>> c = pd.DataFrame({"group": ["a", "b"], "rows": [4, 2], "positives": [2, 0]})
    >>> rates_from_counts(c, attribute="x", n_boot=0)["disparate_impact"].tolist()
    [1.0, 0.0]
    """
    frame = counts.assign(group=counts["group"].astype(str)).groupby("group", sort=True)[["rows", "positives"]].sum()
    frame = frame[frame["rows"] > 0].astype({"rows": "int64", "positives": "float64"})
    ref = _pick_reference(frame.loc[frame.index != MISSING_GROUP, "rows"], reference, attribute=attribute)
    total = int(frame["rows"].sum())
    frame["base_rate"] = frame["positives"] / frame["rows"]
    ref_rate = frame.loc[ref, "base_rate"]
    rng = np.random.default_rng(seed)
    ref_boot = rng.binomial(int(frame.loc[ref, "rows"]), ref_rate, size=n_boot) / frame.loc[ref, "rows"]
    rows = []
    for group, r in frame.iterrows():
        boot = ref_boot if group == ref else rng.binomial(int(r["rows"]), r["base_rate"], size=n_boot) / r["rows"]
        with np.errstate(divide="ignore", invalid="ignore"):
            di_boot = np.where(ref_boot > 0, boot / np.where(ref_boot > 0, ref_boot, 1), np.nan)
        di_low, di_high = _interval(di_boot)
        spd_low, spd_high = _interval(boot - ref_boot)
        rows.append({
            "attribute": attribute, "group": str(group), "rows": int(r["rows"]), "share": r["rows"] / total,
            "positives": int(r["positives"]), "base_rate": r["base_rate"], "reference": group == ref,
            "small": bool(r["rows"] < min_group_size),
            "disparate_impact": r["base_rate"] / ref_rate if ref_rate > 0 else np.nan,
            "di_low": di_low, "di_high": di_high,
            "statistical_parity_difference": r["base_rate"] - ref_rate, "spd_low": spd_low, "spd_high": spd_high,
        })
    out = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    order = out["group"].eq(MISSING_GROUP).astype(int) * 10**12 - out["rows"]
    return out.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)


def _interval(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return (np.nan, np.nan)
    low, high = np.quantile(finite, [0.025, 0.975])
    return float(low), float(high)


def intersections(protected: Mapping[str, pd.Series]) -> dict[str, pd.Series]:
    """Group labels of every pair of protected attributes, ``'F & 18-24'``, keyed ``'gender & age_band'``."""
    names = list(protected)
    out = {}
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            label = protected[first].astype(str) + " & " + protected[second].astype(str)
            out[f"{first} & {second}"] = label
    return out


def out_of_band(rates: pd.DataFrame, band: tuple[float, float] = DI_BAND) -> pd.DataFrame:
    """Groups large enough to judge whose disparate impact lies outside ``band`` (the reference excluded)."""
    di = rates["disparate_impact"]
    judged = ~rates["small"] & ~rates["reference"] & rates["group"].ne(MISSING_GROUP)
    return rates[judged & ((di < band[0]) | (di > band[1]))]


def missingness_disparity(
    frame: pd.DataFrame,
    groups: pd.Series,
    *,
    attribute: str,
    features: Sequence[str],
    min_group_size: int = MIN_GROUP_SIZE,
    alpha: float = MISSINGNESS_ALPHA,
    min_gap: float = MISSINGNESS_MIN_GAP,
) -> pd.DataFrame:
    """Per feature, whether it is missing more often for some groups.

    Groups smaller than ``min_group_size`` are left out of the test. A feature is ``flagged``
    when the chi-square test of groups x (missing, present) gives ``p < alpha`` and the highest
    and lowest group null rates differ by at least ``min_gap``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MISSINGNESS_COLUMNS`, one row per feature with some (not all) values missing.
    """
    from scipy.stats import chi2_contingency  # imported here: scipy.stats takes seconds to import

    sizes = groups.value_counts()
    big = groups.isin(sizes[sizes >= min_group_size].index).to_numpy()
    rows = []
    for feature in features:
        isnull = frame[feature].isna().to_numpy()
        if not isnull[big].any() or isnull[big].all():
            continue
        table = pd.crosstab(groups[big].to_numpy(), isnull[big])
        if table.shape[0] < 2 or table.shape[1] < 2:
            continue
        chi2, p_value, _, _ = chi2_contingency(table.to_numpy())
        rates = table[True] / table.sum(axis=1)
        gap = float(rates.max() - rates.min())
        rows.append({
            "attribute": attribute, "feature": feature, "null_rate": float(isnull.mean()),
            "lowest_group": str(rates.idxmin()), "lowest_rate": float(rates.min()),
            "highest_group": str(rates.idxmax()), "highest_rate": float(rates.max()), "gap": gap,
            "chi2": float(chi2), "p_value": float(p_value), "flagged": bool(p_value < alpha and gap >= min_gap),
        })
    return pd.DataFrame(rows, columns=MISSINGNESS_COLUMNS)


SHOWN_GROUPS = 12  # a chart or table shows at most this many groups of one attribute; the JSON keeps all


def largest_groups(rates: pd.DataFrame, *, top: int = SHOWN_GROUPS) -> pd.DataFrame:
    """One attribute's group rates cut to the reference and its largest groups, the rest pooled into one row.

    The pooled row, ``other (N groups)``, counts the rows and positives of every group left out;
    its base rate, disparate impact and parity difference are those of the pooled rows against the
    reference (no interval). Rows keep their order otherwise.

    Examples
    --------
    >>> rates = pd.DataFrame({"attribute": "country", "group": ["US", "MX", "PH", "DE"], "rows": [90, 5, 3, 2],
    ...                       "positives": [9, 1, 0, 1], "base_rate": [0.1, 0.2, 0.0, 0.5],
    ...                       "reference": [True, False, False, False]})
    >>> largest_groups(rates, top=2)[["group", "rows", "positives"]].to_dict("records")
    [{'group': 'US', 'rows': 90, 'positives': 9}, {'group': 'other (3 groups)', 'rows': 10, 'positives': 2}]
    """
    if len(rates) <= top:
        return rates.reset_index(drop=True)
    order = rates.assign(_ref=rates["reference"].astype(bool)).sort_values(["_ref", "rows"], ascending=False,
                                                                          kind="stable")
    kept = rates.loc[order.index[: top - 1]]
    rest = rates.drop(index=kept.index)
    rows, positives = int(rest["rows"].sum()), float(rest["positives"].sum())
    ref = rates[rates["reference"].astype(bool)]
    ref_rate = float(ref["base_rate"].iloc[0]) if len(ref) else np.nan
    rate = positives / rows if rows else np.nan
    pooled = {column: np.nan for column in rates.columns}
    pooled.update(attribute=rates["attribute"].iloc[0], group=f"other ({len(rest)} groups)", rows=rows,
                  positives=positives, base_rate=rate, reference=False, small=False)
    if "share" in rates:
        pooled["share"] = float(rest["share"].sum())
    if "disparate_impact" in rates:
        pooled["disparate_impact"] = rate / ref_rate if ref_rate else np.nan
        pooled["statistical_parity_difference"] = rate - ref_rate
    positives_type = rates["positives"].dtype
    out = pd.concat([rates.loc[sorted(kept.index)], pd.DataFrame([pooled])], ignore_index=True)
    return out.astype({"positives": positives_type}) if pd.api.types.is_integer_dtype(positives_type) else out
