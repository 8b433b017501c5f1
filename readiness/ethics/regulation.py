"""Regulation: the EU AI Act tier of a use case and the NIST AI RMF functions its findings fall under.

The rules live in ``readiness/data/ai_act.yaml`` (versioned; dates are data because they move).
A use case names its ``domain`` (``scheduling``, ``recruitment``, ``chatbot`` ...); the domain
gives the tier (prohibited, high-risk, transparency, minimal), the article it comes from and
whether a positive decision helps or costs the person.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from readiness.errors import ConfigError
from readiness.results import Finding

RULES_PATH = Path(__file__).resolve().parents[1] / "data" / "ai_act.yaml"
TIER_WORDS = {
    "prohibited": "prohibited", "high_risk": "high-risk", "transparency": "subject to transparency obligations",
    "minimal": "minimal risk", "unknown": "not assessed",
}


@dataclass(frozen=True)
class AiActAssessment:
    """The EU AI Act tier of one use case, as read from the rules file."""

    domain: str
    tier: str
    article: str
    title: str
    summary: str
    light: str
    applies_from: str | None
    decision_effect: str
    rules_version: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict of every field."""
        return dict(self.__dict__)


@lru_cache(maxsize=4)
def load_rules(path: str | Path = RULES_PATH) -> dict[str, Any]:
    """The AI Act rules file as a dict (cached)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def domain_keys(*, rules: dict[str, Any] | None = None) -> list[str]:
    """The domains the rules know, sorted (the values ``domain`` accepts)."""
    return sorted((rules or load_rules())["domains"])


def classify_use_case(domain: str | None, *, rules: dict[str, Any] | None = None) -> AiActAssessment:
    """The EU AI Act tier of a use case from its domain.

    Parameters
    ----------
    domain : str or None
        A key of ``domains`` in the rules file; empty or None gives tier ``unknown``.
    rules : dict, optional
        The rules (``load_rules()`` by default).

    Returns
    -------
    AiActAssessment

    Raises
    ------
    ConfigError
        The domain is not in the rules (the message names the closest domains).

    Examples
    --------
    >>> classify_use_case("recruitment").article
    'Art. 6(2) and Annex III, point 4(a)'
    """
    rules = rules or load_rules()
    version = str(rules.get("version", ""))
    if not domain:
        return AiActAssessment("", "unknown", "", "", "The use case has no domain, so its tier is not known.",
                               "amber", None, "assistive", version)
    key = str(domain).strip().lower().replace(" ", "_").replace("-", "_")
    domains = rules["domains"]
    if key not in domains:
        close = difflib.get_close_matches(key, list(domains), n=3, cutoff=0.5)
        hint = f"the closest are {', '.join(close)}; " if close else ""
        raise ConfigError(f"`domain` is '{domain}', which is not in {RULES_PATH.name}; {hint}domains are: "
                          f"{', '.join(sorted(domains))}. Fix the use case's `domain`.")
    entry, tier = domains[key], rules["tiers"][domains[key]["tier"]]
    applies = rules.get("dates", {}).get(tier.get("applies_from"))
    return AiActAssessment(
        domain=key, tier=entry["tier"], article=str(entry["article"]), title=str(entry.get("title", "")),
        summary=" ".join(str(tier["summary"]).split()), light=tier["light"],
        applies_from=applies.isoformat() if hasattr(applies, "isoformat") else applies,
        decision_effect=entry.get("decision_effect", "assistive"), rules_version=version,
    )


def ai_act_findings(assessment: AiActAssessment, *, rules: dict[str, Any] | None = None) -> list[Finding]:
    """ETH_AI_ACT_TIER (severity from the tier) or ETH_DOMAIN_MISSING."""
    rules = rules or load_rules()
    if assessment.tier == "unknown":
        return [Finding("warning", "ETH_DOMAIN_MISSING",
                        "The use case has no `domain`, so its EU AI Act tier could not be looked up; add one "
                        f"of the domains in {RULES_PATH.name} (e.g. scheduling, recruitment, chatbot).")]
    severity = rules["tiers"][assessment.tier]["severity"]
    since = f" Applies from {assessment.applies_from}." if assessment.applies_from else ""
    return [Finding(severity, "ETH_AI_ACT_TIER",
                    f"EU AI Act: '{assessment.title}' is {TIER_WORDS[assessment.tier]} ({assessment.article}). "
                    f"{assessment.summary}{since}",
                    evidence={"domain": assessment.domain, "tier": assessment.tier, "article": assessment.article,
                              "rules_version": assessment.rules_version})]


def nist_mapping(findings: Iterable[Finding], *, rules: dict[str, Any] | None = None) -> pd.DataFrame:
    """The NIST AI RMF functions (Govern, Map, Measure, Manage) each finding falls under.

    Returns
    -------
    pandas.DataFrame
        ``function``, ``subcategory``, ``what it asks``, ``findings`` (count) and ``codes``,
        one row per function and subcategory met, in the framework's order.
    """
    rules = rules or load_rules()
    nist = rules["nist_ai_rmf"]
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for f in findings:
        for function, sub in nist["codes"].get(f.code, []):
            key = (function, sub or "")
            row = rows.setdefault(key, {"function": function, "subcategory": sub or "",
                                        "what it asks": nist["subcategories"].get(sub) or nist["functions"][function],
                                        "findings": 0, "codes": set()})
            row["findings"] += 1
            row["codes"].add(f.code)
    order = list(nist["functions"])
    out = pd.DataFrame([{**r, "codes": ", ".join(sorted(r["codes"]))} for r in rows.values()],
                       columns=["function", "subcategory", "what it asks", "findings", "codes"])
    if out.empty:
        return out
    out["_order"] = out["function"].map(order.index)
    return out.sort_values(["_order", "subcategory"]).drop(columns="_order").reset_index(drop=True)
