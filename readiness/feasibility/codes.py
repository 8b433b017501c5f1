"""Stable finding codes of the feasibility stage; tests, the ROI stage and the summary rely on them."""

from __future__ import annotations

# Blocking problems: the verdict is ``not_yet`` and no model is fitted.
FEAS_NO_LABELS = "FEAS_NO_LABELS"
"""error: the target column holds no value on any row."""
FEAS_SINGLE_CLASS = "FEAS_SINGLE_CLASS"
"""error: every labelled row has the same class, so there is nothing to predict."""
FEAS_TOO_FEW_ROWS = "FEAS_TOO_FEW_ROWS"
"""error: fewer than 30 labelled rows (or too few periods for a forecast)."""
FEAS_TARGET_NOT_NUMERIC = "FEAS_TARGET_NOT_NUMERIC"
"""error: a regression or forecast target holds text that does not read as numbers."""
FEAS_NO_USABLE_FEATURES = "FEAS_NO_USABLE_FEATURES"
"""error: after excluding identifiers, constants, personal data and leaks no feature is left."""
FEAS_TIME_UNPARSEABLE = "FEAS_TIME_UNPARSEABLE"
"""error: most values of the time column do not read as dates."""
FEAS_GROUP_COLUMN_DAMAGED = "FEAS_GROUP_COLUMN_DAMAGED"
"""error: the group column went through a spreadsheet (ids in scientific notation, lost leading zeros...), so
rows of different customers share one group value and the folds cannot keep each customer together."""

# Data checks made before any model.
FEAS_UNLABELLED_ROWS = "FEAS_UNLABELLED_ROWS"
"""info below 5 %, warning from 5 %: rows without a label, left out of every model."""
FEAS_CLASS_IMBALANCE = "FEAS_CLASS_IMBALANCE"
"""warning: the rarest class is under 5 % of the labelled rows."""
FEAS_TOO_FEW_EVENTS = "FEAS_TOO_FEW_EVENTS"
"""warning: fewer than 10 events (rarest-class rows) per candidate model parameter."""
FEAS_SAMPLE_SIZE_SHORT = "FEAS_SAMPLE_SIZE_SHORT"
"""warning: fewer labelled rows than Riley et al.'s minimum sample size for a binary outcome."""
FEAS_IDENTIFIER_COLUMN = "FEAS_IDENTIFIER_COLUMN"
"""info: an identifier-like column was left out of the features."""
FEAS_CONSTANT_COLUMN = "FEAS_CONSTANT_COLUMN"
"""info: a column with a single value (or none) was left out of the features."""
FEAS_COLUMN_EXCLUDED = "FEAS_COLUMN_EXCLUDED"
"""info: a column was left out for another reason (personal data, free text, too many categories)."""
FEAS_MISSING_FEATURE_VALUES = "FEAS_MISSING_FEATURE_VALUES"
"""info: a feature has empty cells; they are imputed inside each training fold."""
FEAS_DUPLICATE_ROWS = "FEAS_DUPLICATE_ROWS"
"""warning: rows repeated exactly (features and label) can sit on both sides of a fold and flatter scores."""

# Leakage.
FEAS_LABEL_LEAKAGE = "FEAS_LABEL_LEAKAGE"
"""error: one feature alone predicts the target almost perfectly; it is excluded from the models."""
FEAS_POST_OUTCOME_FEATURE = "FEAS_POST_OUTCOME_FEATURE"
"""error: a date column is mostly recorded after the outcome time; it is excluded from the models."""
FEAS_IDENTIFIER_ASSOCIATION = "FEAS_IDENTIFIER_ASSOCIATION"
"""warning: an identifier carries information about the target (ids assigned in outcome order, or
rows of one id sharing outcomes): check how the extract was made and keep one id within one fold."""
FEAS_LEAKAGE_SUSPECT = "FEAS_LEAKAGE_SUSPECT"
"""warning: the best model is near-perfect even without the flagged features: look for a leak."""

# Model evidence.
FEAS_NO_LIFT = "FEAS_NO_LIFT"
"""error: no model beats the baseline significantly (lift interval touches zero or p >= 0.05)."""
FEAS_WEAK_LIFT = "FEAS_WEAK_LIFT"
"""warning: a significant but modest lift over the baseline: enough for a pilot, not yet for go."""
FEAS_LIFT = "FEAS_LIFT"
"""info: the best model beats the baseline clearly and significantly."""
FEAS_THRESHOLD_TUNED = "FEAS_THRESHOLD_TUNED"
"""info: the decision threshold was tuned to maximise the use case's value per decision."""
FEAS_MORE_DATA_HELPS = "FEAS_MORE_DATA_HELPS"
"""info: the learning curve is still rising: twice today's rows should improve the metric noticeably."""
FEAS_MORE_DATA_PLATEAU = "FEAS_MORE_DATA_PLATEAU"
"""info: the learning curve has flattened: more rows alone will add little."""

# How the run went.
FEAS_SUBSAMPLED = "FEAS_SUBSAMPLED"
"""info: a large table was modelled on a bounded, stratified sample to keep within the time budget."""
FEAS_BUDGET_REACHED = "FEAS_BUDGET_REACHED"
"""info: the time budget ran out, so an optional step (learning curve, permutations) was cut short."""
FEAS_TIME_OUTLIERS_DROPPED = "FEAS_TIME_OUTLIERS_DROPPED"
"""warning: rows dated after ``as_of`` or far outside the dense date range were left out of the series."""
FEAS_FULL_DATA = "FEAS_FULL_DATA"
"""info: the models ran on a sample of a larger table; the learning curve, read at the whole table's rows,
says whether all rows would change the verdict (or that the answer is unknown)."""

CODES = (
    FEAS_NO_LABELS, FEAS_SINGLE_CLASS, FEAS_TOO_FEW_ROWS, FEAS_TARGET_NOT_NUMERIC, FEAS_NO_USABLE_FEATURES,
    FEAS_TIME_UNPARSEABLE, FEAS_GROUP_COLUMN_DAMAGED, FEAS_UNLABELLED_ROWS, FEAS_CLASS_IMBALANCE, FEAS_TOO_FEW_EVENTS,
    FEAS_SAMPLE_SIZE_SHORT, FEAS_IDENTIFIER_COLUMN, FEAS_CONSTANT_COLUMN, FEAS_COLUMN_EXCLUDED,
    FEAS_MISSING_FEATURE_VALUES, FEAS_DUPLICATE_ROWS, FEAS_LABEL_LEAKAGE, FEAS_POST_OUTCOME_FEATURE,
    FEAS_IDENTIFIER_ASSOCIATION, FEAS_LEAKAGE_SUSPECT, FEAS_NO_LIFT, FEAS_WEAK_LIFT, FEAS_LIFT,
    FEAS_THRESHOLD_TUNED, FEAS_MORE_DATA_HELPS, FEAS_MORE_DATA_PLATEAU, FEAS_SUBSAMPLED, FEAS_BUDGET_REACHED,
    FEAS_TIME_OUTLIERS_DROPPED, FEAS_FULL_DATA,
)
BLOCKING = frozenset({FEAS_NO_LABELS, FEAS_SINGLE_CLASS, FEAS_TOO_FEW_ROWS, FEAS_TARGET_NOT_NUMERIC,
                      FEAS_NO_USABLE_FEATURES, FEAS_TIME_UNPARSEABLE})
"""Codes that end the assessment before any model, with a ``not_yet`` verdict."""
