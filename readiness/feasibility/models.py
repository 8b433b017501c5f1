"""Baselines against real models, each a scikit-learn Pipeline with its own encoding, cross-validated.

Three models per tabular use case: a dummy ``baseline`` (prior class or mean), a regularised
``linear`` model (one-hot categories, scaled numbers; LogisticRegression or Ridge) and
``boosting`` (HistGradientBoosting with native categories and early stopping). Encoders are fitted
inside each training fold, so nothing about a test fold leaks into its model. Folds follow time
when a time column is given (``TimeSeriesSplit``), keep groups together when a group column is
given (``StratifiedGroupKFold``/``GroupKFold``), and are stratified otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    mean_absolute_error,
    r2_score,
    roc_auc_score,
    root_mean_squared_error,
)
from sklearn.model_selection import GroupKFold, KFold, StratifiedGroupKFold, StratifiedKFold, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from readiness.feasibility.data import MIN_LEVEL_ROWS, MISSING, Prepared

N_SPLITS = 5
BOOSTING_MAX_ITER = 200
Split = tuple[np.ndarray, np.ndarray]


def task(prep: Prepared) -> str:
    """``binary``, ``multiclass``, ``regression`` or ``text``: which metrics and models apply."""
    if prep.kind == "text_classification":
        return "text"
    if prep.kind == "regression":
        return "regression"
    return "binary" if prep.positive else "multiclass"


def _proba_metrics() -> dict[str, Callable]:
    return {
        "binary": {
            "roc_auc": lambda y, s, k: roc_auc_score(y, s),
            "average_precision": lambda y, s, k: average_precision_score(y, s),
            "neg_brier_score": lambda y, s, k: -brier_score_loss(y, s),
            "balanced_accuracy": lambda y, s, k: balanced_accuracy_score(y, (s >= 0.5).astype(int)),
            "neg_log_loss": lambda y, s, k: -log_loss(y, np.clip(s, 1e-15, 1 - 1e-15), labels=[0, 1]),
        },
        "multiclass": {
            "roc_auc_ovr": lambda y, s, k: roc_auc_score(y, s, multi_class="ovr", labels=k),
            "balanced_accuracy": lambda y, s, k: balanced_accuracy_score(y, np.asarray(k)[s.argmax(1)]),
            "f1_macro": lambda y, s, k: f1_score(y, np.asarray(k)[s.argmax(1)], average="macro", zero_division=0),
            "accuracy": lambda y, s, k: accuracy_score(y, np.asarray(k)[s.argmax(1)]),
            "neg_log_loss": lambda y, s, k: -log_loss(y, s, labels=k),
        },
        "regression": {
            "neg_mean_absolute_error": lambda y, s, k: -mean_absolute_error(y, s),
            "neg_root_mean_squared_error": lambda y, s, k: -root_mean_squared_error(y, s),
            "r2": lambda y, s, k: r2_score(y, s),
        },
    }


METRICS: dict[str, dict[str, Callable]] = _proba_metrics()
METRICS["text"] = {name: METRICS["multiclass"][name] for name in ("f1_macro", "accuracy", "balanced_accuracy")}
PRIMARY = {"binary": "roc_auc", "multiclass": "roc_auc_ovr", "regression": "neg_mean_absolute_error",
           "text": "f1_macro"}


class FillEmptyColumns(TransformerMixin, BaseEstimator):
    """Fill the columns that were empty in every training row with 0; other values, NaN included, pass.

    HistGradientBoosting reads NaN as "missing" natively but cannot bin a column with no value at
    all, which a mostly empty feature can be in a small training fold or learning-curve subset.
    A column filled with one value carries no information, exactly as an empty one.
    """

    def fit(self, X, y=None):  # noqa: N803 - scikit-learn's signature
        values = np.asarray(X, dtype=float)
        self.empty_ = np.isnan(values).all(axis=0) if len(values) else np.zeros(values.shape[1], dtype=bool)
        return self

    def transform(self, X):  # noqa: N803
        values = np.array(X, dtype=float, copy=True)
        values[:, self.empty_] = 0.0
        return values


def _is_none(values: pd.Series) -> np.ndarray:
    """Where an object column holds ``None`` (a category of its own for scikit-learn, unlike NaN)."""
    return np.equal(values.to_numpy(dtype=object), None)


class TextAsRanks(TransformerMixin, BaseEstimator):
    """Each text column as the rank of its value among the training rows' categories, a number.

    For the one-hot and ordinal encoders: on an object column they count categories in Python, one
    element at a time (a ``Counter`` with a NaN test per element when infrequent categories are
    grouped), and on a NumPy string array they still map each value through a Python dict; on
    numbers they use ``np.unique`` and ``searchsorted``. Text columns were most of a feasibility
    run's time on a few tens of thousands of rows. The ranks follow the encoders' own order of the
    categories (the strings as Python sorts them, then ``None``, a category of its own), so they
    find the same categories in the same order with the same counts, group the same infrequent
    ones and give every row the same code or column. NaN stays NaN (missing); a value the
    training rows did not hold gets -1, which the encoder has not seen either (``handle_unknown``
    applies as to the text). Columns holding anything but text pass unchanged. The encoders'
    feature names become the ranks; no report shows them.
    """

    def fit(self, X, y=None):  # noqa: N803 - scikit-learn's signature
        frame = pd.DataFrame(X)
        self.vocabularies_ = {}
        for column in frame.columns:
            values = frame[column]
            if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) == "string":
                present = values[values.notna()]
                self.vocabularies_[column] = (sorted(set(present)), bool(_is_none(values).any()))
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        return self

    def transform(self, X):  # noqa: N803
        frame = pd.DataFrame(X).copy()
        for column, (vocabulary, has_none) in self.vocabularies_.items():
            values = frame[column]
            codes = pd.Categorical(values, categories=vocabulary).codes.astype(float)
            missing = values.isna().to_numpy()
            none = _is_none(values)
            codes[missing] = np.nan
            codes[none] = len(vocabulary) if has_none else -1
            frame[column] = codes
        return frame

    def get_feature_names_out(self, input_features=None):
        return np.asarray(self.feature_names_in_ if input_features is None else input_features, dtype=object)


def _tabular_encoders(prep: Prepared) -> tuple[ColumnTransformer, ColumnTransformer]:
    """(one-hot + scaled, ordinal + passthrough) encoders for the linear and the boosting model."""
    cat, num = prep.categorical, prep.numeric
    one_hot = Pipeline([("fill", SimpleImputer(strategy="constant", fill_value=MISSING)), ("text", TextAsRanks()),
                        ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=MIN_LEVEL_ROWS))])
    scaled = Pipeline([("fill", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())])
    linear = ColumnTransformer([("cat", one_hot, cat), ("num", scaled, num)])
    ordinal = Pipeline([("rank", TextAsRanks()),
                        ("ordinal", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan,
                                                   encoded_missing_value=np.nan, max_categories=250))])
    trees = ColumnTransformer([("cat", ordinal, cat), ("num", "passthrough", num)])
    return linear, trees


def make_models(prep: Prepared, *, seed: int = 42, max_iter: int = BOOSTING_MAX_ITER) -> dict[str, Pipeline]:
    """The unfitted ``baseline``, ``linear`` and (tabular only) ``boosting`` pipelines for this use case."""
    kind = task(prep)
    if kind == "text":
        tfidf = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2, max_features=50_000)
        text = ColumnTransformer([("tfidf", tfidf, prep.text)])
        return {"baseline": Pipeline([("model", DummyClassifier(strategy="prior"))]),
                "linear": Pipeline([("encode", text), ("model", LogisticRegression(C=1.0, max_iter=2000))])}
    linear_enc, tree_enc = _tabular_encoders(prep)
    is_cat = [True] * len(prep.categorical) + [False] * len(prep.numeric)
    if kind == "regression":
        models = (DummyRegressor(strategy="mean"), Ridge(alpha=1.0),
                  HistGradientBoostingRegressor(max_iter=max_iter, categorical_features=is_cat, early_stopping=True,
                                                random_state=seed))
    else:
        models = (DummyClassifier(strategy="prior"), LogisticRegression(C=1.0, max_iter=2000),
                  HistGradientBoostingClassifier(max_iter=max_iter, categorical_features=is_cat, early_stopping=True,
                                                 random_state=seed))
    return {"baseline": Pipeline([("model", models[0])]),
            "linear": Pipeline([("encode", linear_enc), ("model", models[1])]),
            "boosting": Pipeline([("encode", tree_enc), ("fill_empty", FillEmptyColumns()), ("model", models[2])])}


def make_splits(prep: Prepared, *, seed: int = 42, n_splits: int = N_SPLITS) -> tuple[list[Split], str]:
    """Train/test positions per fold and how they were made (``time``, ``group`` or ``stratified``/``kfold``)."""
    n = len(prep.y)
    classed = task(prep) != "regression"
    if classed:
        n_splits = min(n_splits, int(pd.Series(prep.y).value_counts().min()))
    if prep.groups is not None and prep.times is None:
        n_splits = min(n_splits, len(pd.unique(prep.groups)))
    n_splits = max(2, n_splits)
    X = np.zeros((n, 1))
    if prep.times is not None:
        order = np.argsort(pd.Series(prep.times).fillna(pd.Timestamp.max).to_numpy(), kind="stable")
        return [(order[tr], order[te]) for tr, te in TimeSeriesSplit(n_splits=n_splits).split(X)], "time"
    if prep.groups is not None:
        splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=seed) if classed \
            else GroupKFold(n_splits, shuffle=True, random_state=seed)
        return list(splitter.split(X, prep.y, prep.groups)), "group"
    if classed:
        return list(StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(X, prep.y)), "stratified"
    return list(KFold(n_splits, shuffle=True, random_state=seed).split(X)), "kfold"


@dataclass
class CrossValidation:
    """Out-of-fold results of every model.

    ``oof[model]`` holds, per row, P(positive) (binary), class probabilities in ``classes`` order
    (multiclass, text) or the prediction (regression); NaN where a row was never in a test fold.
    ``fold_of`` is the test fold of each row (-1 when never tested).
    """

    task: str
    splits: list[Split]
    method: str
    classes: list
    fold_metrics: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    oof: dict[str, np.ndarray] = field(default_factory=dict)
    fold_of: np.ndarray | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def folds(self, model: str, metric: str) -> np.ndarray:
        """One metric of one model, per fold."""
        return np.array([m[metric] for m in self.fold_metrics[model]], dtype=float)


def predict_scores(model: Pipeline, X: pd.DataFrame, kind: str, classes: list) -> np.ndarray:
    """Scores in the CrossValidation.oof layout."""
    if kind == "regression":
        return model.predict(X).astype(float)
    proba = model.predict_proba(X)
    if kind == "binary":
        return proba[:, list(model.classes_).index(1)] if 1 in model.classes_ else np.zeros(len(X))
    full = np.zeros((len(X), len(classes)))
    full[:, [classes.index(c) for c in model.classes_]] = proba
    return full


def fold_metrics(kind: str, y: np.ndarray, scores: np.ndarray, classes: list) -> dict[str, float]:
    """Every metric of the task on one test fold (NaN when a metric is undefined there)."""
    out = {}
    for name, fn in METRICS[kind].items():
        try:
            out[name] = float(fn(y, scores, classes))
        except ValueError:  # e.g. a time fold holding one class only
            out[name] = float("nan")
    return out


def cross_validate(prep: Prepared, models: dict[str, Pipeline], splits: list[Split], method: str) -> CrossValidation:
    """Fit every model on every training fold; score it on the test fold; keep out-of-fold scores."""
    kind = task(prep)
    classes = list(prep.classes) if kind in ("multiclass", "text") else [0, 1]
    cv = CrossValidation(task=kind, splits=splits, method=method, classes=classes)
    n = len(prep.y)
    cv.fold_of = np.full(n, -1)
    for i, (_, test) in enumerate(splits):
        cv.fold_of[test] = i
    for name, model in models.items():
        start = time.perf_counter()
        shape = (n, len(classes)) if kind in ("multiclass", "text") else (n,)
        oof = np.full(shape, np.nan)
        cv.fold_metrics[name] = []
        for train, test in splits:
            fitted = clone(model).fit(prep.X.iloc[train], prep.y[train])
            oof[test] = predict_scores(fitted, prep.X.iloc[test], kind, classes)
            cv.fold_metrics[name].append(fold_metrics(kind, prep.y[test], oof[test], classes))
        cv.oof[name] = oof
        cv.seconds[name] = time.perf_counter() - start
    return cv


def interval(values: np.ndarray, *, level: float = 0.95) -> dict[str, float | list[float] | None]:
    """Mean, standard deviation and a t-interval across folds (NaN folds ignored)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return {"mean": None, "std": None, "ci": [None, None], "folds": []}
    mean = float(values.mean())
    std = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    half = float(stats.t.ppf(0.5 + level / 2, len(values) - 1) * std / np.sqrt(len(values))) if len(values) > 1 else 0.0
    return {"mean": mean, "std": std, "ci": [mean - half, mean + half], "folds": values.tolist()}


def summarise(cv: CrossValidation) -> dict[str, dict[str, dict]]:
    """``{model: {scorer name: {mean, std, ci, folds}}}`` for the stage result."""
    return {model: {metric: interval(cv.folds(model, metric)) for metric in METRICS[cv.task]}
            for model in cv.fold_metrics}


def best_model(cv: CrossValidation) -> str:
    """The non-baseline model with the highest mean primary metric (the simpler one on a tie)."""
    primary = PRIMARY[cv.task]
    scored = [(np.nanmean(cv.folds(m, primary)), -i, m) for i, m in enumerate(cv.fold_metrics) if m != "baseline"]
    return max(scored)[2]


def lift(cv: CrossValidation, model: str) -> dict:
    """The model's primary metric minus the baseline's, paired by fold, with a 95 % t-interval.

    ``relative`` is the lift as a share of the baseline's error (1 - metric for scores bounded by
    1, the baseline's error itself for negated errors).
    """
    primary = PRIMARY[cv.task]
    diff = cv.folds(model, primary) - cv.folds("baseline", primary)
    summary = interval(diff)
    base = float(np.nanmean(cv.folds("baseline", primary)))
    room = -base if primary.startswith("neg_") else 1 - base
    summary.update(metric=primary, model=model, baseline=base,
                   value=float(np.nanmean(cv.folds(model, primary))),
                   relative=None if summary["mean"] is None or room <= 0 else summary["mean"] / room)
    return summary


# ------------------------------------------------------------------ learning-curve points

FRACTIONS = (0.1, 0.2, 0.35, 0.6)  # of the training folds, for the learning curve's points
CURVE_FOLDS = 2
MIN_TRAIN_ROWS = 20


def _error(metrics: dict[str, float], primary: str) -> float:
    value = metrics[primary]
    return -value if primary.startswith("neg_") else 1 - value


def _subset(train: np.ndarray, size: int, prep: Prepared, rng: np.random.Generator) -> np.ndarray:
    if prep.times is not None:  # the most recent rows of the training window
        return train[-size:]
    return np.sort(rng.choice(train, size=size, replace=False))


def curve_points(prep: Prepared, model, cv: CrossValidation, name: str, *, seed: int,
                 deadline: float) -> list[list[float]]:
    """(training rows, mean error) at each fraction of the training folds, then the full folds from ``cv``."""
    primary = PRIMARY[cv.task]
    rng = np.random.default_rng(seed)
    folds = list(range(len(cv.splits)))[-CURVE_FOLDS:]
    points = []
    for fraction in FRACTIONS:
        errors, sizes = [], []
        for i in folds:
            train, test = cv.splits[i]
            size = int(len(train) * fraction)
            sub = _subset(train, size, prep, rng)
            if size < MIN_TRAIN_ROWS or len(np.unique(prep.y[sub])) < (1 if cv.task == "regression" else 2):
                continue
            fitted = clone(model).fit(prep.X.iloc[sub], prep.y[sub])
            scores = predict_scores(fitted, prep.X.iloc[test], cv.task, cv.classes)
            err = _error(fold_metrics(cv.task, prep.y[test], scores, cv.classes), primary)
            if np.isfinite(err):
                errors.append(err)
                sizes.append(size)
        if errors:
            points.append([float(np.mean(sizes)), float(np.mean(errors))])
        if time.perf_counter() > deadline:
            return []
    full = [_error(cv.fold_metrics[name][i], primary) for i in folds]
    points.append([float(np.mean([len(cv.splits[i][0]) for i in folds])), float(np.nanmean(full))])
    return points
