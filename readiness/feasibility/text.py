"""Text classification helpers: personal data out of the text, and the words each class leans on.

The model itself (TF-IDF of words and word pairs + LogisticRegression, scored by macro-F1 against
a prior-class baseline) is built by :func:`readiness.feasibility.models.make_models`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone

from readiness.privacy import scrub_text


def clean_text(values: pd.Series) -> pd.Series:
    """Text with e-mail addresses and phone numbers masked, so no model (or report) learns them."""
    return values.map(scrub_text).astype(object)


def top_terms(model, X: pd.DataFrame, y: np.ndarray, *, n: int = 6) -> pd.DataFrame:
    """The ``n`` terms that most raise each class's score, from the linear text model fitted on all rows.

    Returns
    -------
    DataFrame
        ``class`` and ``terms`` (comma-separated), one row per class.
    """
    fitted = clone(model).fit(X, y)
    vocabulary = fitted.named_steps["encode"].get_feature_names_out()
    vocabulary = np.array([v.split("__", 1)[-1] for v in vocabulary])
    clf = fitted.named_steps["model"]
    coef = clf.coef_ if len(clf.classes_) > 2 else np.vstack([-clf.coef_[0], clf.coef_[0]])
    rows = [{"class": str(c), "terms": ", ".join(vocabulary[np.argsort(-coef[i])[:n]])}
            for i, c in enumerate(clf.classes_)]
    return pd.DataFrame(rows, columns=["class", "terms"])
