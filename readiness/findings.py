"""The one catalogue of finding codes: every code any stage writes, its stage, severities and meaning.

A finding's ``code`` is stable: tests, the summary and other tools rely on it. Each code is defined
here once, as a constant registered with :func:`_code`; the stages import the constants they write.
The README's lists are generated from :data:`CATALOGUE` (``python -m readiness.sync``), and a test
fails on a code written anywhere in the package but not catalogued, or catalogued but never written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FindingCode:
    """A catalogued finding code: its ``stage``, the ``severities`` it is written with, and its ``meaning``."""

    code: str
    stage: str
    severities: tuple[str, ...]
    meaning: str


CATALOGUE: dict[str, FindingCode] = {}
STAGES = ("quality", "feasibility", "ethics", "roi", "summary", "progress", "pilot")


def _code(code: str, stage: str, severities: str, meaning: str) -> str:
    """Register ``code`` (``severities`` separated by spaces) and return it, for a module-level constant."""
    if code in CATALOGUE:
        raise ValueError(f"finding code {code} is catalogued twice")
    CATALOGUE[code] = FindingCode(code, stage, tuple(severities.split()), meaning)
    return code


def codes_of(stage: str) -> tuple[str, ...]:
    """The codes of one stage, in catalogue order."""
    return tuple(c.code for c in CATALOGUE.values() if c.stage == stage)


# -------- Data quality (DQ_)

DQ_COLUMN_NAME_FIXED = _code("DQ_COLUMN_NAME_FIXED", "quality", "warning",
    "A column name was blank, repeated or unreadable and was renamed on reading.")
DQ_CONSTANT_COLUMN = _code("DQ_CONSTANT_COLUMN", "quality", "info",
    "A column holds the same value in every non-empty row, so it carries no information.")
DQ_DISGUISED_NULLS = _code("DQ_DISGUISED_NULLS", "quality", "warning",
    "Blanks or null tokens ('N/A', 'unknown') as values.")
DQ_DUPLICATE_KEY = _code("DQ_DUPLICATE_KEY", "quality", "error",
    "A key value is used by more than one row, so the key does not identify a row.")
DQ_DUPLICATE_ROWS = _code("DQ_DUPLICATE_ROWS", "quality", "warning",
    "Rows identical in every column to an earlier row.")
DQ_ENCODING_FALLBACK = _code("DQ_ENCODING_FALLBACK", "quality", "warning",
    "The file is not UTF-8; it was read as cp1252 and odd characters may be wrong.")
DQ_FUTURE_DATE = _code("DQ_FUTURE_DATE", "quality", "error",
    "Dates after the assessment date (as_of): typing errors or records not yet due.")
DQ_INCONSISTENT_FORMAT = _code("DQ_INCONSISTENT_FORMAT", "quality", "warning",
    "A phone, id or code column is written in several shapes; the commonest covers under 90 %.")
DQ_INVALID_EMAIL = _code("DQ_INVALID_EMAIL", "quality", "warning",
    "Values of an e-mail column that are not well-formed e-mail addresses.")
DQ_INVALID_PHONE = _code("DQ_INVALID_PHONE", "quality", "warning",
    "Values of a phone column that are not phone numbers of 9 to 15 digits.")
DQ_MALFORMED_ROWS = _code("DQ_MALFORMED_ROWS", "quality", "warning",
    "Lines with the wrong number of fields were skipped on reading.")
DQ_MISSING_CONCENTRATED = _code("DQ_MISSING_CONCENTRATED", "quality", "warning",
    "Nulls concentrated in one category level.")
DQ_MISSING_VALUES = _code("DQ_MISSING_VALUES", "quality", "info warning error",
    "Cells that are empty, blank or a null token: info below 5 % of rows, warning from 5 %, error "
    "from 50 %.")
DQ_MIXED_DATE_FORMATS = _code("DQ_MIXED_DATE_FORMATS", "quality", "warning",
    "One date column written in several layouts.")
DQ_NEAR_DUPLICATE_RECORDS = _code("DQ_NEAR_DUPLICATE_RECORDS", "quality", "warning",
    "Same record up to case/spacing, key ignored.")
DQ_NEGATIVE_QUANTITY = _code("DQ_NEGATIVE_QUANTITY", "quality", "warning",
    "Negative values in a count (quantity, units).")
DQ_NON_POSITIVE_AMOUNT = _code("DQ_NON_POSITIVE_AMOUNT", "quality", "warning",
    "A money amount (price, fee, payment) that is zero or negative where it should be positive.")
DQ_NULL_KEY = _code("DQ_NULL_KEY", "quality", "error",
    "Rows without a value in the key column, which cannot be told apart.")
DQ_NUMBER_AS_TEXT = _code("DQ_NUMBER_AS_TEXT", "quality", "warning",
    "Numbers stored as text with blanks, tokens or symbols.")
DQ_ORPHAN_REFERENCE = _code("DQ_ORPHAN_REFERENCE", "quality", "error",
    "Values not among the parent table's keys.")
DQ_OUTLIERS = _code("DQ_OUTLIERS", "quality", "info",
    "Values beyond 3 x IQR from the quartiles.")
DQ_PERSONAL_DATA = _code("DQ_PERSONAL_DATA", "quality", "info",
    "Column holds personal data (shown masked).")
DQ_PII_IN_TEXT = _code("DQ_PII_IN_TEXT", "quality", "warning",
    "E-mails or phone numbers inside free text.")
DQ_RULE_FAILED = _code("DQ_RULE_FAILED", "quality", "error",
    "An analyst's rule (Great Expectations) failed.")
DQ_SENTINEL_VALUE = _code("DQ_SENTINEL_VALUE", "quality", "warning",
    "A code for \"none\" (-1, 999) written as a number.")
DQ_SPREADSHEET_DAMAGE = _code("DQ_SPREADSHEET_DAMAGE", "quality", "warning error",
    "Ids in scientific notation, lost leading zeros, float suffixes or date serials: a spreadsheet "
    "damaged the column (error on the key or a reference column).")
DQ_STALE_TABLE = _code("DQ_STALE_TABLE", "quality", "warning",
    "Newest date older than the freshness window (table-level).")
DQ_UNPARSEABLE_DATE = _code("DQ_UNPARSEABLE_DATE", "quality", "warning",
    "Values of a date column that are not dates.")

# -------- Ethics and bias (ETH_)

ETH_AI_ACT_TIER = _code("ETH_AI_ACT_TIER", "ethics", "info warning error",
    "The EU AI Act risk tier of the use case, with the article it comes from.")
ETH_BASE_RATE_DISPARITY = _code("ETH_BASE_RATE_DISPARITY", "ethics", "warning",
    "A group's label base rate differs from the reference group's beyond the 0.8-1.25 band.")
ETH_CHECKLIST_MISSING = _code("ETH_CHECKLIST_MISSING", "ethics", "warning",
    "No checklist answers file was given: every item is still open.")
ETH_CHECKLIST_NO = _code("ETH_CHECKLIST_NO", "ethics", "warning error",
    "An ethics checklist item was answered ``no``.")
ETH_CHECKLIST_UNANSWERED = _code("ETH_CHECKLIST_UNANSWERED", "ethics", "info",
    "An ethics checklist item has no answer yet: it stays open in the report.")
ETH_DOMAIN_MISSING = _code("ETH_DOMAIN_MISSING", "ethics", "warning",
    "The use case has no domain, so its EU AI Act tier cannot be looked up.")
ETH_MISSINGNESS_DISPARITY = _code("ETH_MISSINGNESS_DISPARITY", "ethics", "warning",
    "A feature is missing far more often for some groups (chi-square test).")
ETH_MODEL_DISPARITY = _code("ETH_MODEL_DISPARITY", "ethics", "warning error",
    "A model's error or selection rate for a group is outside the 0.8-1.25 band of the reference "
    "group.")
ETH_NO_BINARY_TARGET = _code("ETH_NO_BINARY_TARGET", "ethics", "info",
    "No binary target (or positive label) was given, so base rates cannot be compared.")
ETH_NO_PREDICTIONS = _code("ETH_NO_PREDICTIONS", "ethics", "info",
    "No predictions were given: only the data-level checks ran.")
ETH_PERSONAL_DATA = _code("ETH_PERSONAL_DATA", "ethics", "info warning",
    "A column holds personal data (by name or by validated values): handle it under GDPR.")
ETH_PII_IN_TEXT = _code("ETH_PII_IN_TEXT", "ethics", "warning error",
    "Free text holds personal data (contact details, identifiers, dates of birth, addresses).")
ETH_PROTECTED_BINNED = _code("ETH_PROTECTED_BINNED", "ethics", "info",
    "A numeric protected attribute (age) was cut into bands before comparing groups.")
ETH_PROTECTED_EMPTY = _code("ETH_PROTECTED_EMPTY", "ethics", "error",
    "A protected attribute is missing on every row, so no group can be compared.")
ETH_PROTECTED_MISSING = _code("ETH_PROTECTED_MISSING", "ethics", "info",
    "A protected attribute has missing values; they are kept as their own group.")
ETH_PROXY = _code("ETH_PROXY", "ethics", "warning",
    "A feature is strongly associated with a protected attribute and can stand in for it.")
ETH_SMALL_GROUP = _code("ETH_SMALL_GROUP", "ethics", "info",
    "A group is below the minimum size: shown, but its rates are too noisy to judge.")
ETH_SPECIAL_CATEGORY = _code("ETH_SPECIAL_CATEGORY", "ethics", "warning",
    "A column's name or values touch a GDPR Article 9 special category (health, ethnicity, ...).")

# -------- Feasibility (FEAS_)

FEAS_BUDGET_REACHED = _code("FEAS_BUDGET_REACHED", "feasibility", "info",
    "The time budget ran out, so an optional step (learning curve, permutations) was cut short.")
FEAS_CLASS_IMBALANCE = _code("FEAS_CLASS_IMBALANCE", "feasibility", "warning",
    "The rarest class is under 5 % of the labelled rows.")
FEAS_COLUMN_EXCLUDED = _code("FEAS_COLUMN_EXCLUDED", "feasibility", "info",
    "A column was left out for another reason (personal data, free text, too many categories).")
FEAS_CONSTANT_COLUMN = _code("FEAS_CONSTANT_COLUMN", "feasibility", "info",
    "A column with a single value (or none) was left out of the features.")
FEAS_DUPLICATE_ROWS = _code("FEAS_DUPLICATE_ROWS", "feasibility", "warning",
    "Rows repeated exactly (features and label) can sit on both sides of a fold and flatter scores.")
FEAS_FULL_DATA = _code("FEAS_FULL_DATA", "feasibility", "info",
    "The models ran on a sample of a larger table; the learning curve, read at the whole table's "
    "rows, says whether all rows would change the verdict (or that the answer is unknown).")
FEAS_GROUP_COLUMN_DAMAGED = _code("FEAS_GROUP_COLUMN_DAMAGED", "feasibility", "error",
    "The group column went through a spreadsheet (ids in scientific notation, lost leading zeros...), "
    "so rows of different customers share one group value and the folds cannot keep each customer "
    "together.")
FEAS_IDENTIFIER_ASSOCIATION = _code("FEAS_IDENTIFIER_ASSOCIATION", "feasibility", "warning",
    "An identifier carries information about the target (ids assigned in outcome order, or rows of "
    "one id sharing outcomes): check how the extract was made and keep one id within one fold.")
FEAS_IDENTIFIER_COLUMN = _code("FEAS_IDENTIFIER_COLUMN", "feasibility", "info",
    "An identifier-like column was left out of the features.")
FEAS_LABEL_LEAKAGE = _code("FEAS_LABEL_LEAKAGE", "feasibility", "error",
    "One feature alone predicts the target almost perfectly; it is excluded from the models.")
FEAS_LEAKAGE_SUSPECT = _code("FEAS_LEAKAGE_SUSPECT", "feasibility", "error",
    "The best model's cross-validated score is too good to be real after every exclusion: a feature "
    "probably carries the outcome, so the verdict is not_yet and the features that add most are "
    "named.")
FEAS_LIFT = _code("FEAS_LIFT", "feasibility", "info",
    "The best model beats the baseline clearly and significantly.")
FEAS_MISSING_FEATURE_VALUES = _code("FEAS_MISSING_FEATURE_VALUES", "feasibility", "info",
    "A feature has empty cells; they are imputed inside each training fold.")
FEAS_MORE_DATA_HELPS = _code("FEAS_MORE_DATA_HELPS", "feasibility", "info",
    "The learning curve is still rising: twice today's rows should improve the metric noticeably.")
FEAS_MORE_DATA_PLATEAU = _code("FEAS_MORE_DATA_PLATEAU", "feasibility", "info",
    "The learning curve has flattened: more rows alone will add little.")
FEAS_NO_LABELS = _code("FEAS_NO_LABELS", "feasibility", "error",
    "The target column holds no value on any row.")
FEAS_NO_LIFT = _code("FEAS_NO_LIFT", "feasibility", "error",
    "No model beats the baseline significantly (lift interval touches zero or p >= 0.05).")
FEAS_NO_USABLE_FEATURES = _code("FEAS_NO_USABLE_FEATURES", "feasibility", "error",
    "After excluding identifiers, constants, personal data and leaks no feature is left.")
FEAS_POST_OUTCOME_FEATURE = _code("FEAS_POST_OUTCOME_FEATURE", "feasibility", "error",
    "A date column is mostly recorded after the outcome time; it is excluded from the models.")
FEAS_SAMPLE_SIZE_SHORT = _code("FEAS_SAMPLE_SIZE_SHORT", "feasibility", "warning",
    "Fewer labelled rows than Riley et al.'s minimum sample size for a binary outcome.")
FEAS_SINGLE_CLASS = _code("FEAS_SINGLE_CLASS", "feasibility", "error",
    "Every labelled row has the same class, so there is nothing to predict.")
FEAS_SUBSAMPLED = _code("FEAS_SUBSAMPLED", "feasibility", "info",
    "A large table was modelled on a bounded, stratified sample to keep within the time budget.")
FEAS_TARGET_NOT_NUMERIC = _code("FEAS_TARGET_NOT_NUMERIC", "feasibility", "error",
    "A regression or forecast target holds text that does not read as numbers.")
FEAS_THRESHOLD_TUNED = _code("FEAS_THRESHOLD_TUNED", "feasibility", "info",
    "The decision threshold was tuned to maximise the use case's value per decision.")
FEAS_TIME_OUTLIERS_DROPPED = _code("FEAS_TIME_OUTLIERS_DROPPED", "feasibility", "warning",
    "Rows dated after ``as_of`` or far outside the dense date range were left out of the series.")
FEAS_TIME_UNPARSEABLE = _code("FEAS_TIME_UNPARSEABLE", "feasibility", "error",
    "Most values of the time column do not read as dates.")
FEAS_TOO_FEW_EVENTS = _code("FEAS_TOO_FEW_EVENTS", "feasibility", "warning",
    "Fewer than 10 events (rarest-class rows) per candidate model parameter.")
FEAS_TOO_FEW_ROWS = _code("FEAS_TOO_FEW_ROWS", "feasibility", "error",
    "Fewer than 30 labelled rows (or too few periods for a forecast).")
FEAS_UNLABELLED_ROWS = _code("FEAS_UNLABELLED_ROWS", "feasibility", "info warning",
    "Rows without a label, left out of every model.")
FEAS_WEAK_LIFT = _code("FEAS_WEAK_LIFT", "feasibility", "warning",
    "A significant but modest lift over the baseline: enough for a pilot, not yet for go.")

# -------- Return on investment (ROI_)

ROI_COUNTS_FROM_INPUTS = _code("ROI_COUNTS_FROM_INPUTS", "roi", "info",
    "Confusion counts given in the inputs, not measured in this run.")
ROI_LIKELY_LOSS = _code("ROI_LIKELY_LOSS", "roi", "warning",
    "Fewer than half of the draws have a positive NPV.")
ROI_MAIN_DRIVER = _code("ROI_MAIN_DRIVER", "roi", "info",
    "The input whose range moves the NPV most.")
ROI_NEGATIVE_DECISION_VALUE = _code("ROI_NEGATIVE_DECISION_VALUE", "roi", "error",
    "The model's decisions lose money on average.")
ROI_NOT_FEASIBLE = _code("ROI_NOT_FEASIBLE", "roi", "warning",
    "Feasibility verdict not_yet and no fitted model: no benefit counted, the NPV is the costs alone.")
ROI_NOT_VALUED = _code("ROI_NOT_VALUED", "roi", "warning",
    "The use case lacks an input or feasibility evidence: left out of the figures.")
ROI_NO_PAYBACK = _code("ROI_NO_PAYBACK", "roi", "warning",
    "The running cash total stays below zero over the horizon.")
ROI_P_SUCCESS_ASSUMED = _code("ROI_P_SUCCESS_ASSUMED", "roi", "warning",
    "No p_success and no feasibility result: a neutral default.")
ROI_P_SUCCESS_FROM_VERDICT = _code("ROI_P_SUCCESS_FROM_VERDICT", "roi", "info",
    "P(success) read from the feasibility verdict.")
ROI_RISK_ADJUSTED_LOSS = _code("ROI_RISK_ADJUSTED_LOSS", "roi", "warning",
    "Positive NPV, but not once the risk of failure is priced.")
ROI_WIDE_UNCERTAINTY = _code("ROI_WIDE_UNCERTAINTY", "roi", "info",
    "P10 below zero and P90 above: the sign is uncertain.")

# -------- Pilot review (PILOT_)

PILOT_BELOW_ESTIMATE = _code("PILOT_BELOW_ESTIMATE", "pilot", "warning",
    "The realised headline metric is below the lower bound of the feasibility stage's interval: the "
    "model does worse on live decisions than the assessment promised.")
PILOT_DRIFT_MODERATE = _code("PILOT_DRIFT_MODERATE", "pilot", "info",
    "A feature's distribution moved moderately between the assessed extract and the pilot (PSI from "
    "0.1 to 0.25): watch it.")
PILOT_DRIFT_SIGNIFICANT = _code("PILOT_DRIFT_SIGNIFICANT", "pilot", "warning",
    "A feature's distribution moved significantly between the assessed extract and the pilot (PSI "
    "above 0.25): the model sees inputs unlike those it learned from; retrain or adjust.")
PILOT_ESTIMATE_HELD = _code("PILOT_ESTIMATE_HELD", "pilot", "info",
    "The realised headline metric is within or above the feasibility stage's interval.")
PILOT_FAIRNESS_GAP = _code("PILOT_FAIRNESS_GAP", "pilot", "warning",
    "During the pilot a group's selection rate or true positive rate is outside 0.8-1.25 of the "
    "reference group's (a reference line, not a legal verdict).")
PILOT_FEW_OUTCOMES = _code("PILOT_FEW_OUTCOMES", "pilot", "warning",
    "Fewer than 30 positive or 30 negative known outcomes: the realised metrics are too uncertain to "
    "judge; extend the pilot.")
PILOT_NEGATIVE_VALUE = _code("PILOT_NEGATIVE_VALUE", "pilot", "warning",
    "The pilot's decisions were worth nothing or lost money on average, at the use case's outcome "
    "values.")
PILOT_NOT_WORKING = _code("PILOT_NOT_WORKING", "pilot", "error",
    "The realised metric is below the feasibility interval and the decisions lose money: stop the "
    "pilot.")
PILOT_NO_BASELINE = _code("PILOT_NO_BASELINE", "pilot", "info",
    "No assessed extract was given (or no feature is shared with it), so input drift was not measured.")
PILOT_NO_ESTIMATE = _code("PILOT_NO_ESTIMATE", "pilot", "info",
    "No usable feasibility estimate to compare with: the realised metrics are shown on their own.")
PILOT_NO_GROUPS = _code("PILOT_NO_GROUPS", "pilot", "info",
    "No group column was given or found, so fairness during the pilot was not measured.")
PILOT_NO_OUTCOMES = _code("PILOT_NO_OUTCOMES", "pilot", "error",
    "No logged decision has a known outcome (or only one kind of outcome), so the pilot cannot be "
    "judged yet.")
PILOT_NO_SKILL = _code("PILOT_NO_SKILL", "pilot", "error",
    "The realised ROC-AUC interval does not rise above 0.5: the scores rank cases no better than chance.")
PILOT_NO_VALUE_INPUTS = _code("PILOT_NO_VALUE_INPUTS", "pilot", "info",
    "No outcome values were given, so the value of the pilot's decisions was not measured.")
PILOT_POOR_CALIBRATION = _code("PILOT_POOR_CALIBRATION", "pilot", "warning",
    "Expected calibration error above 0.05, or observed positives more than 10 % off the scores' sum "
    "beyond chance: the scores do not read as probabilities; recalibrate before acting on them as such.")
PILOT_SCORES_NOT_PROBABILITIES = _code("PILOT_SCORES_NOT_PROBABILITIES", "pilot", "info",
    "Scores fall outside 0-1, so calibration was not measured (ranking metrics still are).")
PILOT_UNLABELLED_ROWS = _code("PILOT_UNLABELLED_ROWS", "pilot", "info warning",
    "Decisions whose outcome is not known yet are left out of the realised metrics: info below half "
    "of the log, warning from half.")
PILOT_VALUE_BELOW_ESTIMATE = _code("PILOT_VALUE_BELOW_ESTIMATE", "pilot", "warning",
    "The realised value per decision is below the ROI stage's estimate, beyond its 95% interval.")

# -------- Readiness summary (SUM_)

SUM_ADOPTER_UNKNOWN = _code("SUM_ADOPTER_UNKNOWN", "summary", "info",
    "Too few innovativeness answers for an adopter category.")
SUM_BELOW_FLOOR = _code("SUM_BELOW_FLOOR", "summary", "warning",
    "A dimension below its floor (weakest-link penalty).")
SUM_DIMENSION_INCOMPLETE = _code("SUM_DIMENSION_INCOMPLETE", "summary", "warning",
    "Too few answers in a dimension to rely on it.")
SUM_NO_PILOT = _code("SUM_NO_PILOT", "summary", "warning",
    "No use case has a positive risk-adjusted value and a complete assessment: nothing to pilot yet.")
SUM_SELF_REPORT_GAP = _code("SUM_SELF_REPORT_GAP", "summary", "warning",
    "Self-assessment differs from the measurement by more than the allowed gap.")
SUM_STAGE_FAILED = _code("SUM_STAGE_FAILED", "summary", "error",
    "A stage result cannot be read or reports a failure.")
SUM_STAGE_MISSING = _code("SUM_STAGE_MISSING", "summary", "warning",
    "A stage, or one of its planned subjects, left no result; the summary scores the rest.")
SUM_SURVEY_EMPTY = _code("SUM_SURVEY_EMPTY", "summary", "error",
    "The questionnaire answers file holds no answer, so there is no readiness index.")
SUM_SURVEY_MISSING = _code("SUM_SURVEY_MISSING", "summary", "warning",
    "No survey answers, so no readiness index.")
SUM_TOP_RISK = _code("SUM_TOP_RISK", "summary", "warning",
    "A risk rated high from the questionnaire and the measured results, with its mitigation.")
SUM_UNANSWERED = _code("SUM_UNANSWERED", "summary", "info",
    "Some questions were left blank (excluded, not zero).")
SUM_VERSION_MISMATCH = _code("SUM_VERSION_MISMATCH", "summary", "warning",
    "Answers written for another questionnaire version.")

# -------- Progress between two runs (PROG_)

PROG_BASELINE_NEWER = _code("PROG_BASELINE_NEWER", "progress", "warning",
    "The earlier run's data is dated after the later run's: the two folders may be given in the wrong "
    "order.")
PROG_FINDING_NEW = _code("PROG_FINDING_NEW", "progress", "info warning error",
    "A finding that the earlier run did not have (matched by code, table or use case, and column), "
    "with its own severity.")
PROG_FINDING_RESOLVED = _code("PROG_FINDING_RESOLVED", "progress", "info",
    "A warning or error of the earlier run that the later run no longer finds.")
PROG_STILL_OPEN = _code("PROG_STILL_OPEN", "progress", "warning",
    "An error of the earlier run that the later run still finds.")
PROG_MEASURE_BETTER = _code("PROG_MEASURE_BETTER", "progress", "info",
    "A score (readiness index, a table's quality, a use case's model metric) improved by more than "
    "the noise or the material change.")
PROG_MEASURE_WORSE = _code("PROG_MEASURE_WORSE", "progress", "warning",
    "A score (readiness index, a table's quality, a use case's model metric) fell by more than the "
    "noise or the material change.")
PROG_WITHIN_NOISE = _code("PROG_WITHIN_NOISE", "progress", "info",
    "A use case's model metric moved, but by less than the noise of the two runs' 95 % intervals: "
    "not counted as a change.")
PROG_LIGHT_CHANGED = _code("PROG_LIGHT_CHANGED", "progress", "info warning",
    "An ethics traffic light changed colour (warning when it got worse).")
PROG_ROI_MOVED = _code("PROG_ROI_MOVED", "progress", "info warning",
    "A use case's NPV, risk-adjusted NPV or P(NPV > 0) moved, with the inputs that changed "
    "(warning when the risk-adjusted NPV fell).")
PROG_UNMATCHED = _code("PROG_UNMATCHED", "progress", "warning",
    "A table, use case or stage result found in only one of the two runs (or failed in one): it is "
    "listed and left out of the comparison.")
