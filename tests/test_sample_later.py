"""The sample client's second half of the cycle: the later extract (later/) and the pilot log (pilot/).

Fast tests recount every planted defect and the planted drift from the CSV files with plain pandas
(never with the generator's or the package's code), and regenerate everything into a temporary
folder to show the committed files are reproducible and the first extract never changes. The tests
that run the data-quality stage are marked slow.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import SAMPLE_DIR

LATER_DIR = SAMPLE_DIR / "later"
PILOT_DIR = SAMPLE_DIR / "pilot"
GENERATOR = SAMPLE_DIR / "generate.py"
FIRST_FILES = ("customers.csv", "appointments.csv", "invoices.csv", "support_tickets.csv", "planted.yaml")
GENERATED = (*FIRST_FILES, *(f"later/{n}" for n in FIRST_FILES), "pilot/no_show_pilot.csv", "pilot/planted.yaml")
TABLES = ("customers", "appointments", "invoices", "support_tickets")
LATER_AS_OF = pd.Timestamp("2026-12-31")
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"

FIRST_PLANTED = yaml.safe_load((SAMPLE_DIR / "planted.yaml").read_text(encoding="utf-8"))
LATER_PLANTED = yaml.safe_load((LATER_DIR / "planted.yaml").read_text(encoding="utf-8"))
PILOT_PLANTED = yaml.safe_load((PILOT_DIR / "planted.yaml").read_text(encoding="utf-8"))


def read_text_table(folder: Path, table: str) -> pd.DataFrame:
    """Every cell as the text in the file (blank stays ``""``)."""
    sep = ";" if table == "invoices" else ","
    return pd.read_csv(folder / f"{table}.csv", sep=sep, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def later() -> dict[str, pd.DataFrame]:
    return {table: read_text_table(LATER_DIR, table) for table in TABLES}


@pytest.fixture(scope="module")
def first() -> dict[str, pd.DataFrame]:
    return {table: read_text_table(SAMPLE_DIR, table) for table in TABLES}


@pytest.fixture(scope="module")
def pilot() -> pd.DataFrame:
    return pd.read_csv(PILOT_DIR / "no_show_pilot.csv", dtype=str, keep_default_na=False)


def key(defect: dict) -> tuple[str, str, str | None]:
    return defect["code"], defect["table"], defect["column"]


# --------------------------------------------------------------------------- regeneration


def run_generator(out: Path, *options: str) -> None:
    subprocess.run([sys.executable, str(GENERATOR), *options, "--out", str(out)], check=True, capture_output=True,
                   text=True, timeout=300)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("harbour_physio")
    run_generator(out, "--all")
    return out


@pytest.mark.parametrize("name", FIRST_FILES)
def test_regenerating_leaves_the_first_extract_byte_identical(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (SAMPLE_DIR / name).read_bytes()


@pytest.mark.parametrize("name", [n for n in GENERATED if "/" in n])
def test_later_extract_and_pilot_log_are_reproducible(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (SAMPLE_DIR / name).read_bytes()


def test_later_option_writes_only_the_later_folder(tmp_path: Path) -> None:
    run_generator(tmp_path, "--later")
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(f"later/{n}" for n in FIRST_FILES)


# --------------------------------------------------------------------------- the later extract


def folded_duplicates(customers: pd.DataFrame) -> int:
    rest = customers.drop(columns="customer_id").apply(lambda c: c.str.lower().str.split().str.join(" "))
    return int(rest.duplicated().sum()) - int(customers.duplicated().sum())


def title_rows(customers: pd.DataFrame) -> int:
    return int((customers["title"].isin(["Mr", "Ms", "Mrs", "Miss", "Mx"]) & (customers["gender"] != "")).sum())


def euros(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")


def pii_bodies(tickets: pd.DataFrame) -> int:
    values = LATER_PLANTED["personal_values"]
    return int(tickets["body"].map(lambda body: any(v in body for v in values)).sum())


def stale_days(tickets: pd.DataFrame) -> int:
    opened = tickets["opened_at"]
    iso = pd.to_datetime(opened, format="%Y-%m-%dT%H:%M:%S", errors="coerce")
    parsed = iso.fillna(pd.to_datetime(opened, format="%d/%m/%Y %H:%M", errors="coerce"))
    assert parsed.notna().all()
    return (LATER_AS_OF - parsed.max()).days


RECOUNT: dict[str, Callable[[dict[str, pd.DataFrame]], int]] = {
    "near_duplicate_customers": lambda t: folded_duplicates(t["customers"]),
    "exact_duplicate_customers": lambda t: int(t["customers"].duplicated().sum()),
    "duplicate_customer_keys": lambda t: int(t["customers"]["customer_id"].duplicated().sum()),
    "constant_country": lambda t: int((t["customers"]["country"] == "Ireland").sum()),
    "gender_not_given": lambda t: int((t["customers"]["gender"] == "").sum()),
    "title_proxies_gender": lambda t: title_rows(t["customers"]),
    "therapist_missing_swords": lambda t: int((t["appointments"]["therapist_id"] == "").sum()),
    "therapist_missing": lambda t: int((t["appointments"]["therapist_id"] == "").sum()),
    "late_cancel_fee_leak": lambda t: int((euros(t["appointments"]["late_cancel_fee_eur"]) > 0).sum()),
    "no_show_age_gap": lambda t: int((t["appointments"]["age_band"] == "18-24").sum()),
    "appointment_gender_not_given": lambda t: int((t["appointments"]["gender"] == "").sum()),
    "non_positive_invoices": lambda t: int((euros(t["invoices"]["amount_eur"]) <= 0).sum()),
    "vat_blank_as_space": lambda t: int((t["invoices"]["vat_eur"] == " ").sum()),
    "mixed_issue_date_formats": lambda t: int((~t["invoices"]["issued_on"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")).sum()),
    "unpaid_invoices": lambda t: int((t["invoices"]["paid_on"] == "").sum()),
    "pii_in_ticket_text": lambda t: pii_bodies(t["support_tickets"]),
    "pii_in_ticket_text_ethics": lambda t: pii_bodies(t["support_tickets"]),
    "stale_tickets": lambda t: 1 if stale_days(t["support_tickets"]) == 120 else 0,
    "mixed_open_date_formats": lambda t: int(
        t["support_tickets"]["opened_at"].str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}").sum()),
}


def test_every_later_defect_has_a_recount() -> None:
    assert sorted(d["id"] for d in LATER_PLANTED["defects"]) == sorted(RECOUNT)


@pytest.mark.parametrize("defect", LATER_PLANTED["defects"], ids=[d["id"] for d in LATER_PLANTED["defects"]])
def test_later_planted_count_equals_the_count_in_the_files(later: dict, defect: dict) -> None:
    assert RECOUNT[defect["id"]](later) == defect["count"]


def test_later_planted_has_the_first_ones_shape() -> None:
    assert set(LATER_PLANTED) == {*FIRST_PLANTED, "changes"}
    assert LATER_PLANTED["as_of"] == date(2026, 12, 31)
    assert LATER_PLANTED["clean_columns"] == FIRST_PLANTED["clean_columns"]
    assert LATER_PLANTED["personal_values"][:40] == FIRST_PLANTED["personal_values"]
    assert all(set(d) == set(FIRST_PLANTED["defects"][0]) for d in LATER_PLANTED["defects"])


def test_later_tables_have_the_first_extracts_columns(first: dict, later: dict) -> None:
    for table in TABLES:
        assert list(later[table].columns) == list(first[table].columns), table


def test_changes_list_exactly_the_fixed_and_the_new_defects() -> None:
    changes = LATER_PLANTED["changes"]
    assert {key(d) for d in changes["fixed"]} == {
        ("DQ_INVALID_EMAIL", "customers", "email"),
        ("DQ_INCONSISTENT_FORMAT", "customers", "phone"),
        ("DQ_ORPHAN_REFERENCE", "appointments", "customer_id"),
        ("DQ_ORPHAN_REFERENCE", "invoices", "customer_id"),
        ("DQ_FUTURE_DATE", "appointments", "starts_at"),
        ("DQ_FUTURE_DATE", "appointments", "booked_at"),  # the same typo, also in booked_at
    }
    assert all(set(d) == {"code", "table", "column"} for d in changes["fixed"])
    assert changes["new"] == [{"code": "DQ_MIXED_DATE_FORMATS", "table": "support_tickets", "column": "opened_at",
                               "count": next(d["count"] for d in LATER_PLANTED["defects"]
                                             if d["id"] == "mixed_open_date_formats")}]


def test_every_first_defect_is_either_fixed_or_still_planted() -> None:
    fixed = {key(d) for d in LATER_PLANTED["changes"]["fixed"]}
    kept = {key(d) for d in LATER_PLANTED["defects"]}
    for defect in FIRST_PLANTED["defects"]:
        assert (key(defect) in fixed) != (key(defect) in kept), defect["id"]
    assert {key(d) for d in LATER_PLANTED["changes"]["new"]} == kept - {key(d) for d in FIRST_PLANTED["defects"]}


def test_fixed_defects_are_gone_from_the_files(later: dict) -> None:
    customers, appointments, invoices = later["customers"], later["appointments"], later["invoices"]
    assert customers["email"].str.fullmatch(EMAIL).all()
    assert customers["phone"].str.fullmatch(r"\+353 8[3-9] 555 \d{4}").all()  # one layout
    known = set(customers["customer_id"])
    assert appointments["customer_id"].isin(known).all()
    assert invoices["customer_id"].isin(known).all()
    assert invoices["appointment_id"].isin(set(appointments["appointment_id"])).all()
    for column in ("booked_at", "starts_at"):
        assert pd.to_datetime(appointments[column]).max() <= LATER_AS_OF + pd.Timedelta(days=1)


def test_later_extract_adds_six_months_to_the_first(first: dict, later: dict) -> None:
    starts = pd.to_datetime(later["appointments"]["starts_at"])
    assert starts.min() < pd.Timestamp("2024-07-02") and starts.max() > pd.Timestamp("2026-12-23")
    assert (starts > pd.Timestamp("2026-07-01")).sum() > 12_000
    orphans = ~first["appointments"]["customer_id"].isin(set(first["customers"]["customer_id"]))
    kept = set(first["appointments"].loc[~orphans, "appointment_id"])
    assert kept <= set(later["appointments"]["appointment_id"])  # ids are stable across the extracts
    assert not set(first["appointments"].loc[orphans, "appointment_id"]) & set(later["appointments"]["appointment_id"])
    assert set(first["customers"]["customer_id"]) < set(later["customers"]["customer_id"])
    assert len(later["customers"]) > len(first["customers"])
    assert set(first["support_tickets"]["ticket_id"]) < set(later["support_tickets"]["ticket_id"])


def test_later_engagement_is_the_first_one_moved_to_the_new_date() -> None:
    before = yaml.safe_load((SAMPLE_DIR / "engagement.yaml").read_text(encoding="utf-8"))
    after = yaml.safe_load((LATER_DIR / "engagement.yaml").read_text(encoding="utf-8"))
    assert after["as_of"] == date(2026, 12, 31)
    assert {**after, "as_of": before["as_of"]} == before
    for name in (after["survey"], after["checklist"], *(t["path"] for t in after["tables"].values())):
        assert (LATER_DIR / name).is_file(), name


def test_survey_was_re_answered_mostly_higher_and_once_lower() -> None:
    before = yaml.safe_load((SAMPLE_DIR / "survey.yaml").read_text(encoding="utf-8"))["answers"]
    after = yaml.safe_load((LATER_DIR / "survey.yaml").read_text(encoding="utf-8"))["answers"]
    assert set(after) == set(before)
    pairs = [(before[q], after[q]) for q in before if before[q] is not None and after[q] is not None]
    assert sum(a > b for b, a in pairs) >= 5
    assert sum(a == b for b, a in pairs) >= 3
    assert [q for q in before if before[q] is not None and after[q] is not None and after[q] < before[q]] == [
        "tech_data_quality"]
    assert sum(v is None for v in after.values()) < sum(v is None for v in before.values())


def test_more_checklist_items_are_answered_yes() -> None:
    def yes(path: Path) -> set[str]:
        answers = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {k for k, v in answers.items() if (v.get("answer") if isinstance(v, dict) else v) is True}

    before, after = yes(SAMPLE_DIR / "ethics_checklist_answers.yaml"), yes(LATER_DIR / "ethics_checklist_answers.yaml")
    assert before < after


# --------------------------------------------------------------------------- the pilot log

PILOT_COLUMNS = ["appointment_id", "customer_id", "decided_at", "score", "decision", "no_show", "site", "service",
                 "channel", "duration_min", "price_eur", "reminder_sent", "age_band", "gender"]


def shares(values: pd.Series) -> pd.Series:
    return values.value_counts(normalize=True)


def psi(reference: pd.Series, current: pd.Series, *, numeric: bool) -> float:
    """PSI by hand: categories are bins, numbers cut at the reference's deciles; empty bins count 0.0001."""
    if numeric:
        ref, cur = reference.astype(float), current.astype(float)
        edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10))
        reference = pd.Series(np.searchsorted(edges, ref, side="left"))
        current = pd.Series(np.searchsorted(edges, cur, side="left"))
    both = pd.concat([shares(reference), shares(current)], axis=1).fillna(0.0)
    b, p = both.iloc[:, 0].clip(lower=1e-4), both.iloc[:, 1].clip(lower=1e-4)
    return float(((p - b) * np.log(p / b)).sum())


def test_pilot_log_has_its_columns_and_formats(pilot: pd.DataFrame, first: dict) -> None:
    assert list(pilot.columns) == PILOT_COLUMNS
    assert len(pilot) == PILOT_PLANTED["rows"] and 7_000 <= len(pilot) <= 9_000
    assert pilot["appointment_id"].is_unique
    assert pilot["decided_at"].str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}").all()
    decided = pd.to_datetime(pilot["decided_at"])
    assert decided.min() >= pd.Timestamp("2027-01-04") and decided.max() < pd.Timestamp("2027-04-01")
    score = pilot["score"].astype(float)
    assert pilot["score"].str.fullmatch(r"0\.\d{4}").all() and score.between(0, 1).all()
    assert (pilot["decision"] == np.where(score >= 0.15, "1", "0")).all()
    assert set(pilot["no_show"]) == {"true", "false"} and set(pilot["reminder_sent"]) == {"true", "false"}
    appointments = first["appointments"]
    for column in ("site", "service", "channel", "age_band", "gender", "duration_min"):
        assert set(pilot[column]) <= set(appointments[column]), column
    assert pilot["price_eur"].str.fullmatch(r"\d+\.\d{2}").all()


def test_pilot_patients_are_registered_and_its_appointments_new(pilot: pd.DataFrame, later: dict) -> None:
    assert pilot["customer_id"].isin(set(later["customers"]["customer_id"])).all()
    assert not pilot["appointment_id"].isin(set(later["appointments"]["appointment_id"])).any()


def test_pilot_counts_match_its_planted_yaml(pilot: pd.DataFrame) -> None:
    outcome, no_show = PILOT_PLANTED["outcome"], pilot["no_show"] == "true"
    assert outcome["positives"] == no_show.sum()
    assert outcome["positive_rate"] == round(no_show.mean(), 4)
    assert outcome["decisions"] == (pilot["decision"] == "1").sum()
    assert outcome["mean_score"] == round(pilot["score"].astype(float).mean(), 4)


def test_planted_drift_is_visible_in_the_raw_shares(pilot: pd.DataFrame, first: dict) -> None:
    reference = first["appointments"]
    web_before, web_after = shares(reference["channel"])["web"], shares(pilot["channel"])["web"]
    young_before, young_after = shares(reference["age_band"])["18-24"], shares(pilot["age_band"])["18-24"]
    assert web_before < 0.55 and web_after > 0.75
    assert young_after > young_before + 0.1
    assert PILOT_PLANTED["drift"]["planted"] == ["channel", "age_band"]


@pytest.mark.parametrize("feature", list(PILOT_PLANTED["drift"]["features"]))
def test_planted_psi_equals_the_psi_of_the_files(pilot: pd.DataFrame, first: dict, feature: str) -> None:
    planted = PILOT_PLANTED["drift"]["features"][feature]
    found = psi(first["appointments"][feature], pilot[feature], numeric=planted["bins"] == "deciles")
    assert found == pytest.approx(planted["psi"], abs=5e-5)
    if planted["planted"]:
        assert found >= 0.1
    elif "why" not in planted:  # only the documented consequences (reminders follow channel, prices) move
        assert found < 0.1


def test_planted_drift_bands() -> None:
    features = PILOT_PLANTED["drift"]["features"]
    assert features["channel"]["band"] == "significant" and features["channel"]["psi"] > 0.25
    assert features["age_band"]["band"] == "moderate"


def test_calibration_slipped_most_on_web_bookings(pilot: pd.DataFrame) -> None:
    score, no_show = pilot["score"].astype(float), pilot["no_show"] == "true"
    assert no_show.mean() / score.mean() > 1.1
    assert PILOT_PLANTED["outcome"]["reference_observed_to_expected"] == pytest.approx(1.0, abs=0.02)
    web = pilot["channel"] == "web"
    assert no_show[web].mean() / score[web].mean() > no_show[~web].mean() / score[~web].mean()


# --------------------------------------------------------------------------- the data-quality stage (slow)


def quality_findings(engagement_path: Path) -> dict[str, list]:
    from readiness.engagement import load_engagement
    from readiness.quality import assess_quality
    from readiness.tables import load_table

    engagement = load_engagement(engagement_path)
    found = {}
    for name in engagement.tables:
        params = engagement.table_parameters(name)
        loaded = load_table(params.pop("data_path"), sheet=params.pop("sheet"), name=name)
        params.pop("table")
        found[name] = assess_quality(loaded, table=name, **params).result.findings
    return found


@pytest.fixture(scope="module")
def later_findings() -> dict[str, list]:
    return quality_findings(LATER_DIR / "engagement.yaml")


LATER_QUALITY = [d for d in LATER_PLANTED["defects"] if d["stage"] == "quality"]


@pytest.mark.slow
@pytest.mark.parametrize("defect", LATER_QUALITY, ids=[d["id"] for d in LATER_QUALITY])
def test_later_defect_is_found_with_its_code_and_count(later_findings: dict, defect: dict) -> None:
    matches = [f for f in later_findings[defect["table"]] if f.code == defect["code"]
               and (f.column == defect["column"] or f.evidence.get("date_column") == defect["column"])]
    assert matches, f"{defect['code']} not found on {defect['table']}.{defect['column']}"
    if defect["code"] == "DQ_STALE_TABLE":
        assert matches[0].evidence["days"] == 120
    else:
        assert matches[0].evidence["rows"] == defect["count"]


@pytest.mark.slow
def test_quality_findings_of_the_two_extracts_differ_as_the_changes_say(later_findings: dict) -> None:
    first_findings = quality_findings(SAMPLE_DIR / "engagement.yaml")

    def places(found: dict[str, list]) -> set[tuple[str, str, str | None]]:
        return {(f.code, table, f.column) for table, fs in found.items() for f in fs if f.severity != "info"}

    before, after = places(first_findings), places(later_findings)
    changes = LATER_PLANTED["changes"]
    assert before - after == {key(d) for d in changes["fixed"]}
    assert after - before == {key(d) for d in changes["new"]}
