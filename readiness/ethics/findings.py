"""Turn the ethics tables into findings with stable codes and plain-language messages.

Messages never carry raw values of personal columns: group labels of protected attributes
(``F``, ``18-24``) are categories, and examples of personal data are masked before they get here.
"""

from __future__ import annotations

import pandas as pd

from readiness.ethics.bias import DI_BAND, MISSING_GROUP, out_of_band
from readiness.ethics.codes import (
    ETH_BASE_RATE_DISPARITY,
    ETH_MISSINGNESS_DISPARITY,
    ETH_MODEL_DISPARITY,
    ETH_PERSONAL_DATA,
    ETH_PII_IN_TEXT,
    ETH_PROTECTED_BINNED,
    ETH_PROTECTED_EMPTY,
    ETH_PROTECTED_MISSING,
    ETH_PROXY,
    ETH_SMALL_GROUP,
    ETH_SPECIAL_CATEGORY,
)
from readiness.ethics.fairness import BAND, DECISION_EFFECTS, DISPARITY_METRICS
from readiness.ethics.personal_data import IDENTIFIER_KINDS, KIND_WORDS
from readiness.results import Finding

METRIC_WORDS = {"fpr": "false positive rate", "fnr": "false negative rate", "fdr": "false discovery rate",
                "for": "false omission rate", "pprev": "predicted prevalence"}


def _pct(share: float) -> str:
    return "100%" if share >= 1 else f"{share:.1%}"


def personal_findings(scan: pd.DataFrame) -> list[Finding]:
    """ETH_PERSONAL_DATA per personal column, ETH_PII_IN_TEXT per text column, ETH_SPECIAL_CATEGORY per column."""
    out = []
    for r in scan.itertuples(index=False):
        where = f"'{r.column}' of table '{r.table}'"
        evidence = {"table": r.table, "kind": r.kind, "rows": r.rows, "share": r.share, "found_by": r.found_by,
                    "examples": [e for e in str(r.examples).split("; ") if e]}
        if r.kind == "special_category":
            out.append(Finding("warning", ETH_SPECIAL_CATEGORY,
                               f"Column {where} touches a GDPR Article 9 special category "
                               f"({r.special_category.replace('_', ' ')}), found from its {r.found_by}, in "
                               f"{r.rows:,} rows ({_pct(r.share)}); processing needs an Article 9 condition.",
                               r.column, {**evidence, "category": r.special_category}))
        elif r.found_by == "text":
            severity = "error" if r.kind in IDENTIFIER_KINDS else "warning"
            out.append(Finding(severity, ETH_PII_IN_TEXT,
                               f"Free text in {where} contains {KIND_WORDS.get(r.kind, r.kind)} in {r.rows:,} rows "
                               f"({_pct(r.share)}); remove or mask them before the text is used or shared.",
                               r.column, evidence))
        else:
            severity = "warning" if r.kind in IDENTIFIER_KINDS else "info"
            out.append(Finding(severity, ETH_PERSONAL_DATA,
                               f"Column {where} holds {KIND_WORDS.get(r.kind, r.kind)} (found from its {r.found_by}) "
                               f"in {r.rows:,} rows ({_pct(r.share)}).", r.column, evidence))
    return out


def protected_findings(attribute: str, labels: pd.Series, binned: str | None) -> list[Finding]:
    """ETH_PROTECTED_BINNED, ETH_PROTECTED_MISSING and ETH_PROTECTED_EMPTY for one attribute."""
    out = []
    missing = int((labels == MISSING_GROUP).sum())
    if binned:
        out.append(Finding("info", ETH_PROTECTED_BINNED, binned, attribute))
    if missing == len(labels):
        out.append(Finding("error", ETH_PROTECTED_EMPTY,
                           f"Protected attribute '{attribute}' is missing on every row, so no group can be compared; "
                           "fill it in or drop it from `protected`.", attribute, {"rows": missing}))
    elif missing:
        out.append(Finding("info", ETH_PROTECTED_MISSING,
                           f"Protected attribute '{attribute}' is missing on {missing:,} rows "
                           f"({_pct(missing / len(labels))}); they are kept as their own group '{MISSING_GROUP}'.",
                           attribute, {"rows": missing, "share": missing / len(labels)}))
    return out


def rate_findings(rates: pd.DataFrame, *, attribute: str, target: str, min_group_size: int) -> list[Finding]:
    """ETH_BASE_RATE_DISPARITY and ETH_SMALL_GROUP for one attribute (or intersection)."""
    out = []
    column = None if " & " in attribute else attribute
    small = rates[rates["small"]]
    if len(small):
        out.append(Finding("info", ETH_SMALL_GROUP,
                           f"{len(small)} group(s) of '{attribute}' have fewer than {min_group_size} labelled rows "
                           f"({', '.join(f'{g} ({n})' for g, n in zip(small['group'], small['rows'], strict=True))}); "
                           "they are shown but their rates are too noisy to judge.", column,
                           {"groups": dict(zip(small["group"], small["rows"].astype(int), strict=True))}))
    flagged = out_of_band(rates)
    if flagged.empty:
        return out
    ref = rates[rates["reference"]].iloc[0]
    parts = [f"{r.group} {r.base_rate:.1%} (ratio {r.disparate_impact:.2f}, "
             f"95% interval {r.di_low:.2f}-{r.di_high:.2f})" for r in flagged.itertuples(index=False)]
    out.append(Finding("warning", ETH_BASE_RATE_DISPARITY,
                       f"The rate of '{target}' differs by '{attribute}' beyond the {DI_BAND[0]}-{DI_BAND[1]} band "
                       f"against the reference group {ref['group']} ({ref['base_rate']:.1%}): {'; '.join(parts)}. "
                       "A model trained on this history will learn the difference.", column,
                       {"attribute": attribute, "reference": ref["group"], "reference_rate": ref["base_rate"],
                        "rows": int(flagged["rows"].sum()),
                        "groups": {r.group: {"rows": r.rows, "base_rate": r.base_rate,
                                             "disparate_impact": r.disparate_impact,
                                             "statistical_parity_difference": r.statistical_parity_difference}
                                   for r in flagged.itertuples(index=False)}}))
    return out


def missingness_findings(table: pd.DataFrame) -> list[Finding]:
    """ETH_MISSINGNESS_DISPARITY per flagged (attribute, feature)."""
    return [Finding("warning", ETH_MISSINGNESS_DISPARITY,
                    f"'{r.feature}' is missing for {r.highest_rate:.1%} of '{r.attribute}' group {r.highest_group} but "
                    f"{r.lowest_rate:.1%} of group {r.lowest_group} (chi-square p = {r.p_value:.1e}); a model may "
                    "treat missing values as a signal about the group.", r.feature,
                    {"attribute": r.attribute, "gap": r.gap, "chi2": r.chi2, "p_value": r.p_value})
            for r in table[table["flagged"]].itertuples(index=False)]


def proxy_findings(proxies: pd.DataFrame, *, table: str) -> list[Finding]:
    """ETH_PROXY per strong proxy."""
    return [Finding("warning", ETH_PROXY,
                    f"'{r.feature}' (table '{table}') is a strong proxy for '{r.attribute}': {r.measure} "
                    f"{r.association:.2f}, and alone it predicts '{r.attribute}' with balanced accuracy "
                    f"{r.balanced_accuracy:.0%} (chance {r.baseline_accuracy:.0%}). Leaving '{r.attribute}' out of a "
                    "model does not stop it using this column.", r.feature,
                    {"table": table, "attribute": r.attribute, "measure": r.measure, "association": r.association,
                     "balanced_accuracy": r.balanced_accuracy, "uncertainty_explained": r.uncertainty_explained})
            for r in proxies[proxies["strength"] == "strong"].itertuples(index=False)]


def model_findings(disparity: pd.DataFrame, summary: dict, *, attribute: str, decision_effect: str) -> list[Finding]:
    """ETH_MODEL_DISPARITY when a judged group's key error rates fall outside the 0.8-1.25 band."""
    key = DECISION_EFFECTS[decision_effect]
    judged = disparity[~disparity["small"] & ~disparity["reference"] & disparity["group"].ne(MISSING_GROUP)]
    parts, worst = [], 1.0
    for r in judged.itertuples(index=False):
        for metric in DISPARITY_METRICS:
            ratio = getattr(r, f"{metric}_disparity")
            if pd.notna(ratio) and not BAND[0] <= ratio <= BAND[1] and (metric in key or metric == "pprev"):
                parts.append(f"{r.group}: {METRIC_WORDS[metric]} x{ratio:.2f}")
                worst = max(worst, ratio, 1 / ratio if ratio > 0 else float("inf"))
    if not parts:
        return []
    severity = "error" if worst > 2.0 else "warning"
    column = None if " & " in attribute else attribute
    return [Finding(severity, ETH_MODEL_DISPARITY,
                    f"The model treats '{attribute}' groups differently against the reference group "
                    f"({'; '.join(parts)}). For this {decision_effect} decision the "
                    f"{' and '.join(METRIC_WORDS[m] for m in key)} matter most. Demographic parity difference "
                    f"{summary['demographic_parity_difference']:.3f}, equalized odds difference "
                    f"{summary['equalized_odds_difference']:.3f}.", column,
                    {"attribute": attribute, "decision_effect": decision_effect, "worst_ratio": worst})]
