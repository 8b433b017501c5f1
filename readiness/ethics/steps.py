"""The steps of :func:`readiness.ethics.assess_ethics` that combine tables and findings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from readiness.errors import DataError
from readiness.ethics import bias, fairness, findings, proxies
from readiness.ethics.checklist import checklist_light
from readiness.ethics.codes import (
    ETH_BASE_RATE_DISPARITY,
    ETH_MISSINGNESS_DISPARITY,
    ETH_MODEL_DISPARITY,
    ETH_PII_IN_TEXT,
    ETH_PROXY,
    ETH_SPECIAL_CATEGORY,
)
from readiness.ethics.regulation import AiActAssessment
from readiness.ethics.report import EthicsReport
from readiness.results import Finding


def data_bias(labels: Mapping[str, pd.Series], y: np.ndarray | None, *, reference_groups: Mapping[str, str],
              target: str, min_group_size: int, n_boot: int, seed: int, found: list[Finding],
              precomputed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Group rates for each attribute and each pair of attributes; appends findings to ``found``.

    ``precomputed`` rates (counted on the full table) are used as they are instead of ``labels`` and ``y``.
    """
    if precomputed is not None:
        tables = [part for _, part in precomputed.groupby("attribute", sort=False)]
    elif y is None or not labels:
        return pd.DataFrame(columns=bias.GROUP_COLUMNS)
    else:
        every = {**labels, **bias.intersections(labels)}
        tables = [bias.group_rates(groups, y, attribute=attribute, reference=reference_groups.get(attribute),
                                   min_group_size=min_group_size, n_boot=n_boot, seed=seed + i)
                  for i, (attribute, groups) in enumerate(every.items())]
    for rates in tables:
        found += findings.rate_findings(rates, attribute=str(rates["attribute"].iloc[0]), target=target,
                                        min_group_size=min_group_size)
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=bias.GROUP_COLUMNS)


def proxy_check(table: str, typed: pd.DataFrame, labels: Mapping[str, pd.Series], *, features: list[str],
                others: Mapping[str, tuple[pd.DataFrame, list[str]]], seed: int,
                found: list[Finding]) -> pd.DataFrame:
    """Proxies in the use case's table and in other tables that hold a protected attribute."""
    out = [proxies.proxy_table(typed, labels, features=features, seed=seed).assign(table=table)]
    for name, (frame, columns) in others.items():
        held = {a: bias.prepare_protected(frame[a], name=a)[0] for a in labels if a in frame.columns}
        if held:
            out.append(proxies.proxy_table(frame, held, features=[c for c in columns if c not in held],
                                           seed=seed).assign(table=name))
    for part in out:
        found += findings.proxy_findings(part, table=str(part["table"].iloc[0]) if len(part) else table)
    frame = pd.concat(out, ignore_index=True)
    return frame[["table", *proxies.PROXY_COLUMNS]].sort_values("association", ascending=False, kind="stable") \
        .reset_index(drop=True)


def decisions(typed: pd.DataFrame, y: np.ndarray | None, *, prediction_column: str | None,
              predictions_path: str | Path | None, key: str | None, positive_label: str | None,
              target: str | None) -> pd.DataFrame | None:
    """Aligned ``position``, ``y_true``, ``y_pred`` (0/1) rows with both known, or None without predictions."""
    if (not prediction_column and not predictions_path) or y is None:
        return None
    label = positive_label if positive_label not in (None, "") else "true"
    if prediction_column:
        pred = fairness.as_binary(typed[prediction_column], label, what=f"Column '{prediction_column}'")
        frame = pd.DataFrame({"position": np.arange(len(typed)), "y_true": y, "y_pred": pred})
    else:
        loaded = fairness.load_predictions(predictions_path, rows=len(typed),
                                           keys=typed[key] if key else None)
        pred = fairness.as_binary(loaded["decision"], label, what=f"{predictions_path}: 'decision'")
        frame = pd.DataFrame({"position": loaded["position"].to_numpy(), "y_true": y[loaded["position"].to_numpy()],
                              "y_pred": pred})
        if "y_true" in loaded.columns:
            given = fairness.as_binary(loaded["y_true"], label, what=f"{predictions_path}: 'y_true'")
            both = ~np.isnan(given) & ~np.isnan(frame["y_true"].to_numpy())
            wrong = int((given[both] != frame["y_true"].to_numpy()[both]).sum())
            if wrong:
                raise DataError(f"{predictions_path}: y_true disagrees with '{target}' on {wrong:,} of "
                                f"{int(both.sum()):,} rows; the predictions' row_id does not point at the same rows "
                                "as this table.")
    return frame.dropna(subset=["y_true", "y_pred"]).astype({"y_true": int, "y_pred": int})


def model_fairness(decided: pd.DataFrame | None, labels: Mapping[str, pd.Series], rates: pd.DataFrame, *,
                   decision_effect: str, min_group_size: int, n_boot: int, seed: int,
                   found: list[Finding]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, dict[str, float]]]:
    """fairlearn's by-group metrics, summary differences and the disparity table for each attribute."""
    if decided is None or decided.empty or not labels:
        return pd.DataFrame(), pd.DataFrame(), {}
    by_group, disparity, summary = [], [], {}
    yt, yp = decided["y_true"].to_numpy(), decided["y_pred"].to_numpy()
    for i, (attribute, groups) in enumerate(labels.items()):
        g = groups.to_numpy(dtype=object)[decided["position"].to_numpy()]
        frame = fairness.metric_frame(yt, yp, g).by_group
        by_group.append(frame.rename_axis("group").reset_index().assign(attribute=attribute))
        summary[attribute] = fairness.fairness_summary(yt, yp, g, n_boot=min(n_boot, fairness.N_BOOT), seed=seed + i)
        ref = rates.loc[(rates["attribute"] == attribute) & rates["reference"], "group"]
        # the rates' reference may have no row with a prediction (rates counted on more rows than were predicted)
        known = bool(len(ref)) and str(ref.iloc[0]) in set(g)
        reference = str(ref.iloc[0]) if known else bias.choose_reference(pd.Series(g), None, attribute=attribute)
        table = fairness.disparity_table(yt, yp, g, attribute=attribute, reference=reference,
                                         min_group_size=min_group_size)
        disparity.append(table)
        found += findings.model_findings(table, summary[attribute], attribute=attribute,
                                         decision_effect=decision_effect)
    columns = ["attribute", "group", *fairness.BY_GROUP_COLUMNS]
    return pd.concat(by_group, ignore_index=True)[columns], pd.concat(disparity, ignore_index=True), summary


def traffic_lights(found: list[Finding], *, ai_act: AiActAssessment, answers: pd.DataFrame, has_rates: bool,
                   has_protected: bool, model_ran: bool) -> dict[str, str | None]:
    """The light of each check (see :mod:`readiness.ethics.assess` for the rules)."""
    def has(code: str, severity: str | None = None) -> bool:
        return any(f.code == code and (severity is None or f.severity == severity) for f in found)

    personal = "red" if has(ETH_PII_IN_TEXT, "error") else (
        "amber" if has(ETH_PII_IN_TEXT) or has(ETH_SPECIAL_CATEGORY) else "green")
    data = None if not has_rates else (
        "amber" if has(ETH_BASE_RATE_DISPARITY) or has(ETH_MISSINGNESS_DISPARITY) else "green")
    proxy = None if not has_protected else ("amber" if has(ETH_PROXY) else "green")
    model = None if not model_ran else (
        "red" if has(ETH_MODEL_DISPARITY, "error") else "amber" if has(ETH_MODEL_DISPARITY) else "green")
    return {"personal_data": personal, "data_bias": data, "proxies": proxy, "model_fairness": model,
            "regulation": ai_act.light, "checklist": checklist_light(answers)}


def _nested(frame: pd.DataFrame, column: str) -> dict[str, dict[str, Any]]:
    return {a: dict(zip(part["group"], part[column], strict=True))
            for a, part in frame.groupby("attribute", sort=False)}


def stage_metrics(report: EthicsReport, *, rows: int, y: np.ndarray | None, decision_effect: str,
                  protected: list[str]) -> dict[str, Any]:
    """The JSON metrics: values keyed by attribute and group, as other tools read them."""
    rates, scan = report.group_rates, report.personal_data
    metrics: dict[str, Any] = {
        "rows": rows, "protected": protected, "checks": report.lights, "model_level": report.model_level,
        "decision_effect": decision_effect,
        "positive_rate": None if y is None or np.isnan(y).all() else float(np.nanmean(y)),
        "reference_groups": {a: str(p.loc[p["reference"], "group"].iloc[0])
                             for a, p in rates.groupby("attribute", sort=False)} if len(rates) else {},
    }
    for column in ("rows", "base_rate", "disparate_impact", "statistical_parity_difference"):
        metrics["group_size" if column == "rows" else column] = _nested(rates, column) if len(rates) else {}
    by_attribute = list(rates.groupby("attribute", sort=False))
    metrics["disparate_impact_interval"] = {
        a: {g: [lo, hi] for g, lo, hi in zip(p["group"], p["di_low"], p["di_high"], strict=True)}
        for a, p in by_attribute}
    metrics["small_groups"] = {a: list(p.loc[p["small"], "group"]) for a, p in by_attribute}
    for name in ("demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference"):
        metrics[name] = {a: s[name] for a, s in report.fairness_summary.items()}
        metrics[f"{name}_interval"] = {a: [s[f"{name}_low"], s[f"{name}_high"]]
                                       for a, s in report.fairness_summary.items()}
    for name in fairness.DISPARITY_METRICS:
        metrics[f"{name}_disparity"] = _nested(report.disparity, f"{name}_disparity") if report.model_level else {}
    if report.model_level:
        metrics["by_group"] = {m: _nested(report.by_group, m) for m in fairness.BY_GROUP_COLUMNS}
    strong = report.proxies[report.proxies["strength"] == "strong"]
    metrics["strong_proxies"] = [{"table": r.table, "feature": r.feature, "attribute": r.attribute,
                                  "association": r.association} for r in strong.itertuples(index=False)]
    metrics["personal_data"] = [{"table": r.table, "column": r.column, "kind": r.kind, "rows": r.rows,
                                 "special_category": r.special_category or None} for r in scan.itertuples(index=False)]
    metrics["ai_act"] = report.ai_act.as_dict()
    metrics["nist_ai_rmf"] = report.nist.groupby("function", sort=False)["findings"].sum().to_dict() \
        if len(report.nist) else {}
    answered = report.checklist["answer"]
    metrics["checklist"] = {"items": len(answered), "yes": int((answered == "yes").sum()),
                            "no": int((answered == "no").sum()), "n/a": int((answered == "n/a").sum()),
                            "open": int(answered.isna().sum())}
    return metrics
