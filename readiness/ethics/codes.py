"""Stable finding codes of the ethics stage; tests and the summary rely on them."""

from __future__ import annotations

ETH_PERSONAL_DATA = "ETH_PERSONAL_DATA"
"""A column holds personal data (by name or by validated values): handle it under GDPR."""
ETH_PII_IN_TEXT = "ETH_PII_IN_TEXT"
"""Free text holds personal data (contact details, identifiers, dates of birth, addresses)."""
ETH_SPECIAL_CATEGORY = "ETH_SPECIAL_CATEGORY"
"""A column's name or values touch a GDPR Article 9 special category (health, ethnicity, ...)."""
ETH_PROTECTED_MISSING = "ETH_PROTECTED_MISSING"
"""A protected attribute has missing values; they are kept as their own group."""
ETH_PROTECTED_EMPTY = "ETH_PROTECTED_EMPTY"
"""A protected attribute is missing on every row, so no group can be compared."""
ETH_PROTECTED_BINNED = "ETH_PROTECTED_BINNED"
"""A numeric protected attribute (age) was cut into bands before comparing groups."""
ETH_SMALL_GROUP = "ETH_SMALL_GROUP"
"""A group is below the minimum size: shown, but its rates are too noisy to judge."""
ETH_BASE_RATE_DISPARITY = "ETH_BASE_RATE_DISPARITY"
"""A group's label base rate differs from the reference group's beyond the 0.8-1.25 band."""
ETH_NO_BINARY_TARGET = "ETH_NO_BINARY_TARGET"
"""No binary target (or positive label) was given, so base rates cannot be compared."""
ETH_MISSINGNESS_DISPARITY = "ETH_MISSINGNESS_DISPARITY"
"""A feature is missing far more often for some groups (chi-square test)."""
ETH_PROXY = "ETH_PROXY"
"""A feature is strongly associated with a protected attribute and can stand in for it."""
ETH_NO_PREDICTIONS = "ETH_NO_PREDICTIONS"
"""No predictions were given: only the data-level checks ran."""
ETH_MODEL_DISPARITY = "ETH_MODEL_DISPARITY"
"""A model's error or selection rate for a group is outside the 0.8-1.25 band of the reference group."""
ETH_AI_ACT_TIER = "ETH_AI_ACT_TIER"
"""The EU AI Act risk tier of the use case, with the article it comes from."""
ETH_DOMAIN_MISSING = "ETH_DOMAIN_MISSING"
"""The use case has no domain, so its EU AI Act tier cannot be looked up."""
ETH_CHECKLIST_NO = "ETH_CHECKLIST_NO"
"""An ethics checklist item was answered ``no``."""
ETH_CHECKLIST_UNANSWERED = "ETH_CHECKLIST_UNANSWERED"
"""An ethics checklist item has no answer."""
ETH_CHECKLIST_MISSING = "ETH_CHECKLIST_MISSING"
"""No checklist answers file was given: every item is still open."""

CODES = (
    ETH_PERSONAL_DATA, ETH_PII_IN_TEXT, ETH_SPECIAL_CATEGORY, ETH_PROTECTED_MISSING, ETH_PROTECTED_EMPTY,
    ETH_PROTECTED_BINNED, ETH_SMALL_GROUP, ETH_BASE_RATE_DISPARITY, ETH_NO_BINARY_TARGET,
    ETH_MISSINGNESS_DISPARITY, ETH_PROXY, ETH_NO_PREDICTIONS, ETH_MODEL_DISPARITY, ETH_AI_ACT_TIER,
    ETH_DOMAIN_MISSING, ETH_CHECKLIST_NO, ETH_CHECKLIST_UNANSWERED, ETH_CHECKLIST_MISSING,
)
