"""The ethics stage's finding codes, catalogued with their meaning in :mod:`readiness.findings`."""

from __future__ import annotations

from readiness.findings import (  # noqa: F401 - the stage's codes are part of its API
    ETH_AI_ACT_TIER,
    ETH_BASE_RATE_DISPARITY,
    ETH_CHECKLIST_MISSING,
    ETH_CHECKLIST_NO,
    ETH_CHECKLIST_UNANSWERED,
    ETH_DOMAIN_MISSING,
    ETH_MISSINGNESS_DISPARITY,
    ETH_MODEL_DISPARITY,
    ETH_NO_BINARY_TARGET,
    ETH_NO_PREDICTIONS,
    ETH_PERSONAL_DATA,
    ETH_PII_IN_TEXT,
    ETH_PROTECTED_BINNED,
    ETH_PROTECTED_EMPTY,
    ETH_PROTECTED_MISSING,
    ETH_PROXY,
    ETH_SMALL_GROUP,
    ETH_SPECIAL_CATEGORY,
    codes_of,
)

CODES = codes_of("ethics")
