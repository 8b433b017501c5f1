"""Text and multiclass use cases, and one seed giving one answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from feasibility_data import as_loaded, signal_table

from readiness.feasibility import assess_feasibility

TOPICS = {
    "billing": ["charged", "twice", "receipt", "refund", "invoice"],
    "booking": ["appointment", "reschedule", "slot", "availability", "cancel"],
    "access": ["parking", "lift", "wheelchair", "entrance", "stairs"],
}
FILLER = ["hello", "please", "thanks", "today", "help", "my", "the", "about", "question", "again"]


def tickets(rows: int = 240, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    labels = rng.choice(list(TOPICS), rows)
    bodies = [" ".join([*rng.choice(TOPICS[c], 2), *rng.choice(FILLER, 4)]) for c in labels]
    bodies[0] += " call me on 087 555 1234"  # personal data in the text must not reach the model
    return pd.DataFrame({"ticket_id": [f"T{i:04d}" for i in range(rows)], "body": bodies, "category": labels})


def test_text_classification_beats_the_prior_class() -> None:
    report = assess_feasibility(as_loaded(tickets()), use_case="triage", target="category", text_column="body",
                                time_budget_s=5)
    m = report.result.metrics
    assert m["kind"] == "text_classification" and m["primary_metric"] == "f1_macro"
    assert m["models"]["linear"]["f1_macro"]["mean"] > 0.9
    assert m["models"]["baseline"]["f1_macro"]["mean"] < 0.25  # one class of three predicted
    assert m["p_value"] < 0.01 and report.result.verdict in ("go", "pilot")
    terms = dict(zip(report.top_terms["class"], report.top_terms["terms"], strict=True))
    assert set(terms["billing"].split(", ")[:3]) <= set(TOPICS["billing"])
    assert not any("555" in t or "087" in t for t in report.top_terms["terms"])
    assert set(report.predictions["decision"]) <= set(TOPICS)


def test_multiclass_classification_scores_one_vs_rest() -> None:
    frame = signal_table(600)
    frame["outcome"] = np.select([frame["x1"] > 0.5, frame["x1"] < -0.5], ["high", "low"], "mid")
    frame["x1"] = (frame["x1"] + np.random.default_rng(3).normal(0, 0.5, 600)).round(4)
    report = assess_feasibility(as_loaded(frame), use_case="tier", target="outcome", time_budget_s=5)
    m = report.result.metrics
    assert m["task"] == "multiclass" and m["classes"] == ["high", "low", "mid"]
    assert m["models"]["linear"]["roc_auc_ovr"]["mean"] > 0.8 and m["confusion_matrix"] is None
    assert m["lift"]["ci"][0] > 0


def test_one_seed_gives_one_answer() -> None:
    def run() -> dict:
        # a budget far above the work: results depend on the seed alone, never on the machine's speed
        report = assess_feasibility(as_loaded(signal_table(300)), use_case="case", target="outcome", seed=11,
                                    time_budget_s=600)
        data = report.result.to_dict()
        data["metrics"].pop("seconds")
        return data

    assert run() == run()
