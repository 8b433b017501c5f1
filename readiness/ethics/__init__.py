"""Ethics and bias stage: personal data, data-level bias, proxies, model fairness, regulation, checklist.

:func:`assess_ethics` is the one call a notebook makes; the modules hold the pieces, public for
reuse and tests: :mod:`~readiness.ethics.personal_data` (PII scan and validators),
:mod:`~readiness.ethics.bias` (group base rates, disparate impact, missingness),
:mod:`~readiness.ethics.proxies`, :mod:`~readiness.ethics.fairness` (fairlearn MetricFrame,
Aequitas-style disparities), :mod:`~readiness.ethics.regulation` (EU AI Act, NIST AI RMF) and
:mod:`~readiness.ethics.checklist`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.ethics.codes import *  # noqa: F403 - the documented ETH_ codes
from readiness.ethics.codes import CODES
from readiness.faces import lazy_face

if TYPE_CHECKING:  # the face; each name is imported on first use (readiness.faces)
    from readiness.ethics.assess import assess_ethics
    from readiness.ethics.bias import group_rates, missingness_disparity, prepare_protected, rates_from_counts
    from readiness.ethics.checklist import blank_answers, read_answers
    from readiness.ethics.entry import assess_from_params
    from readiness.ethics.fairness import disparity_table, fairness_summary, load_predictions, metric_frame
    from readiness.ethics.params import EthicsParams
    from readiness.ethics.personal_data import (
        iban_valid,
        luhn_valid,
        mask_pii,
        nhs_number_valid,
        scan_personal_data,
        uk_ni_valid,
        us_ssn_valid,
    )
    from readiness.ethics.protected import ProtectedColumn, detect_protected
    from readiness.ethics.proxies import correlation_ratio, cramers_v, proxy_table
    from readiness.ethics.regulation import classify_use_case, nist_mapping
    from readiness.ethics.report import CHECKS, LIGHT_POINTS, EthicsReport, save_report

__all__ = [
    "CHECKS", "CODES", "LIGHT_POINTS", "EthicsParams", "EthicsReport", "ProtectedColumn", "assess_ethics",
    "assess_from_params", "detect_protected", "blank_answers", "classify_use_case",
    "correlation_ratio", "cramers_v", "disparity_table", "fairness_summary", "group_rates", "iban_valid",
    "load_predictions", "luhn_valid", "mask_pii", "metric_frame", "missingness_disparity",
    "nhs_number_valid", "nist_mapping", "prepare_protected", "proxy_table", "rates_from_counts", "read_answers",
    "save_report", "scan_personal_data", "uk_ni_valid", "us_ssn_valid",
]

__getattr__, __dir__ = lazy_face(__name__)
