"""`readiness new --from EXTRACTS`: an engagement drafted from the client's extracts.

The draft made from the sample client's four CSVs must recover what the hand-written sample
engagement says (keys, references, date and personal-data columns) and suggest its use cases;
references are found by value inclusion, never by chance.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import SAMPLE_DIR, run_cli
from readiness.cli import main
from readiness.engagement import load_engagement
from readiness.errors import ConfigError, PipelineError
from readiness.scaffold import draft_engagement, find_references, sketch_frame, write_new_engagement
from readiness.scaffold.draft import scalar
from readiness.scaffold.references import value_text

SAMPLE_TABLES = ("customers", "appointments", "invoices", "support_tickets")
TODAY = date(2026, 12, 7)
TEXT = pd.StringDtype("pyarrow")


def copy_sample(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_TABLES:
        shutil.copy(SAMPLE_DIR / f"{name}.csv", folder / f"{name}.csv")
    return folder


def quiet(_: str) -> None:
    return None


@pytest.fixture(scope="module")
def sample_draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """engagement.yaml drafted beside copies of the sample client's four CSVs."""
    folder = copy_sample(tmp_path_factory.mktemp("drafted"))
    return write_new_engagement(folder, client="Harbour Physio Group", extracts=folder, echo=quiet)[0]


def test_draft_recovers_the_sample_engagement(sample_draft: Path) -> None:
    draft = load_engagement(sample_draft)
    sample = load_engagement(SAMPLE_DIR / "engagement.yaml")
    assert sorted(draft.tables) == sorted(SAMPLE_TABLES)
    for name, spec in draft.tables.items():
        wanted = sample.tables[name]
        assert spec.key == wanted.key, name
        assert spec.references == wanted.references, name
        assert spec.date_columns == wanted.date_columns, name
        assert spec.pii == wanted.pii, name
        assert spec.path == (sample_draft.parent / f"{name}.csv").resolve()
    assert draft.tables["customers"].pii == ["full_name", "email", "phone", "date_of_birth"]
    targets = {(case.table, case.target, case.get("kind")) for case in draft.use_cases}
    assert {("appointments", "no_show", "classification"), ("customers", "churned", "classification")} <= targets


def test_draft_suggests_use_cases_that_run_as_written(sample_draft: Path) -> None:
    cases = {case.id: case for case in load_engagement(sample_draft).use_cases}
    no_show = cases["no_show"]
    assert no_show.title == "Predict no_show" and no_show.get("positive") == "true"
    assert no_show.get("time_column") == "starts_at" and no_show.get("group_column") == "customer_id"
    assert set(no_show.get("protected")) == {"gender", "age_band"}
    forecasts = [c for c in cases.values() if c.get("kind") == "forecast"]
    assert len(forecasts) == 1
    assert (forecasts[0].table, forecasts[0].target, forecasts[0].get("time_column"),
            forecasts[0].get("group_column")) == ("appointments", "appointment_id", "starts_at", "site")
    assert forecasts[0].title == "Forecast daily rows of appointments"
    texts = [c for c in cases.values() if c.get("kind") == "text_classification"]
    assert [(c.table, c.target, c.get("text_column"), c.title) for c in texts] == [
        ("support_tickets", "category", "body", "Route support_tickets by category")]
    for case in cases.values():  # value and costs are the analyst's, left as a commented template
        assert "value" not in case.extra and "costs" not in case.extra and "domain" not in case.extra


def test_draft_explains_itself_in_comments(sample_draft: Path) -> None:
    text = sample_draft.read_text(encoding="utf-8")
    assert "customer_id: customers.customer_id  # 99.8% of 59,913 values are customers keys (60 not found)" in text
    assert "appointment_id: appointments.appointment_id  # all 52,765 values are appointments keys" in text
    assert text.count("# suggestion: ") == len(load_engagement(sample_draft).use_cases)
    assert "check target, positive and protected, then add value and costs" in text
    assert "# costs: {build: [low, likely, high]" in text and "# domain: scheduling" in text
    assert "as_of: 2026-06-30" in text  # the newest date not in the future: the planted 2027 dates are left out
    assert "currency: EUR" in text and "seed: 42" in text and "allow_outside_paths" not in text
    assert "survey: survey.yaml" in text and "checklist: ethics_checklist.yaml" in text


def test_check_passes_on_the_draft(sample_draft: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample_draft)]) == 0
    assert "OK: client 'Harbour Physio Group', as of 2026-06-30" in capsys.readouterr().out


def test_same_extracts_give_the_same_bytes(sample_draft: Path) -> None:
    folder = sample_draft.parent
    again = draft_engagement(folder, folder=folder, client="Harbour Physio Group", echo=quiet)
    assert again.text == sample_draft.read_text(encoding="utf-8")


def test_as_of_is_the_newest_date_not_after_today(tmp_path: Path) -> None:
    days = [f"2026-01-{d:02d}" for d in range(1, 29)] + ["2026-02-18", "2031-01-01"]
    frame = "visit_id,visited_on\n" + "".join(f"V{i},{day}\n" for i, day in enumerate(days))
    (tmp_path / "visits.csv").write_text(frame, encoding="utf-8")
    draft = draft_engagement(tmp_path, folder=tmp_path, client="X", today=date(2026, 2, 28), echo=quiet)
    assert draft.as_of == date(2026, 2, 18) and draft.as_of_source == "visits.visited_on"
    none = tmp_path / "none"
    none.mkdir()
    (none / "t.csv").write_text("a,b\n1,x\n2,y\n", encoding="utf-8")
    assert draft_engagement(none, folder=none, client="X", today=TODAY, echo=quiet).as_of == TODAY


def test_cli_new_from_prints_tables_and_use_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extracts = copy_sample(tmp_path / "extracts")
    folder = tmp_path / "acme"
    assert main(["new", str(folder), "--client", "Acme", "--from", str(extracts)]) == 0
    out = capsys.readouterr().out
    assert "invoices: 52,765 rows, key invoice_id, references appointment_id -> appointments.appointment_id, " \
           "customer_id -> customers.customer_id" in out
    assert "customers: 5,000 rows, key customer_id, references none found" in out
    assert "use case no_show: classification of appointments.no_show" in out
    assert f"wrote {folder / 'engagement.yaml'}" in out and f"wrote {folder / 'survey.yaml'}" in out
    # the extracts lie outside the engagement's folder: relative paths, and the key that allows them
    text = (folder / "engagement.yaml").read_text(encoding="utf-8")
    assert "path: ../extracts/customers.csv" in text and "allow_outside_paths: true" in text
    engagement = load_engagement(folder / "engagement.yaml")
    assert engagement.tables["customers"].path == (extracts / "customers.csv").resolve()
    assert sorted(p.name for p in extracts.iterdir()) == sorted(f"{t}.csv" for t in SAMPLE_TABLES)  # nothing copied
    # and never over the analyst's files
    assert main(["new", str(folder), "--client", "Acme", "--from", str(extracts)]) == 2


def test_unreadable_extract_is_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_text("customer_id,plan\n" + "".join(f"C{i},basic\n" for i in range(30)),
                                            encoding="utf-8")
    (tmp_path / "empty.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not a table\n", encoding="utf-8")
    notes: list[str] = []
    written = write_new_engagement(tmp_path, client="X", extracts=tmp_path, echo=notes.append)
    skipped = [n for n in notes if n.startswith("note: skipped")]
    assert len(skipped) == 1 and "empty.csv" in skipped[0] and "no rows" in skipped[0]
    assert list(load_engagement(written[0]).tables) == ["customers"]


def test_a_folder_without_tables_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError, match="--from: no .csv"):
        write_new_engagement(tmp_path / "new", client="X", extracts=tmp_path)
    assert main(["new", str(tmp_path / "new"), "--client", "X", "--from", str(tmp_path / "absent")]) == 2
    assert "--from" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_existing_files_are_checked_before_drafting(tmp_path: Path) -> None:
    (tmp_path / "engagement.yaml").write_text("client: mine\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="engagement.yaml already exist"):
        write_new_engagement(tmp_path, client="X", extracts=tmp_path / "absent")
    assert (tmp_path / "engagement.yaml").read_text(encoding="utf-8") == "client: mine\n"


def test_a_table_without_key_or_use_case_still_loads(tmp_path: Path) -> None:
    rows = "".join(f"{i % 7},{['red', 'blue'][i % 2]},{i % 3}.5\n" for i in range(40))
    (tmp_path / "Odd Lines 2024.csv").write_text("yes,Order Date,2024\n" + rows, encoding="utf-8")
    draft = draft_engagement(tmp_path, folder=tmp_path, client="X", today=TODAY, echo=quiet)
    assert "# key: none found" in draft.text and "use_cases: []" in draft.text
    (tmp_path / "engagement.yaml").write_text(draft.text, encoding="utf-8")
    engagement = load_engagement(tmp_path / "engagement.yaml")
    assert list(engagement.tables) == ["odd_lines_2024"] and engagement.tables["odd_lines_2024"].key is None


@pytest.mark.parametrize("text", ["customer_id", "true", "Yes", "no", ">50K", "Order Date", "2024", "1.5", "a: b",
                                  "x # y", "[a]", "-", "null", "", " padded ", "Dún Laoghaire", "65+", "18-24", "~"])
def test_scalars_read_back_as_written(text: str) -> None:
    assert yaml.safe_load(f"k: {scalar(text)}") == {"k": text}
    assert yaml.safe_load(f"k: [{scalar(text)}, x]") == {"k": [text, "x"]}


# ---------------------------------------------------------------------------- the reference rule


def text_frame(**columns: list) -> pd.DataFrame:
    """A frame as a csv loads: every column text."""
    return pd.DataFrame({name: pd.Series([str(v) for v in values], dtype=TEXT) for name, values in columns.items()})


def references(*tables: tuple[str, pd.DataFrame]) -> dict:
    return find_references([sketch_frame(frame, name=name, today=TODAY) for name, frame in tables])


CUSTOMER_IDS = [f"C{i:04d}" for i in range(1, 301)]


def visits_with_unknown(unknown: int, rows: int = 1000) -> pd.DataFrame:
    ids = [CUSTOMER_IDS[i % len(CUSTOMER_IDS)] for i in range(rows - unknown)] + [f"C9{i:03d}" for i in range(unknown)]
    return text_frame(visit_id=[f"V{i:05d}" for i in range(rows)], patient=ids, minutes=[30] * rows)


def test_a_true_reference_is_found_with_its_share() -> None:
    found = references(("customers", text_frame(customer_id=CUSTOMER_IDS)), ("visits", visits_with_unknown(3)))
    assert found["customers"] == {}
    ref = found["visits"]["patient"]  # not named like the key: its value shape (a9999) ties it
    assert ref.target == "customers.customer_id" and ref.rows == 1000 and ref.missing == 3
    assert ref.share == pytest.approx(0.997)
    assert ref.evidence == "99.7% of 1,000 values are customers keys (3 not found)"


def test_a_98_percent_inclusion_is_not_claimed() -> None:
    found = references(("customers", text_frame(customer_id=CUSTOMER_IDS)), ("visits", visits_with_unknown(20)))
    assert found["visits"] == {}


def test_small_integers_are_not_claimed() -> None:
    rows = 3000
    customers = text_frame(customer_id=list(range(1, 5001)), visits=[i % 21 for i in range(5000)])
    bookings = text_frame(
        booking_id=list(range(100_001, 100_001 + rows)),
        customer_id=[1 + (i * 7) % 5000 for i in range(rows)],   # a true reference, whole numbers
        visits=[1 + i % 20 for i in range(rows)],                 # 1-20: every value a customer key, by chance
        agent_id=[1 + i % 40 for i in range(rows)],               # id-like, but nothing ties it to customers
        room=[f"R{i % 30}" for i in range(rows)],
    )
    found = references(("customers", customers), ("bookings", bookings))
    assert list(found["bookings"]) == ["customer_id"]
    assert found["bookings"]["customer_id"].evidence == "all 3,000 values are customers keys"
    assert found["customers"] == {}


def test_values_compare_as_trimmed_text_and_whole_numbers() -> None:
    customers = pd.DataFrame({"CustomerID": pd.Series(range(1, 101), dtype="int64")})  # as parquet loads it
    orders = text_frame(order_no=[f"O{i}" for i in range(200)],
                        CustomerID=[f"{1 + i % 100}.0" if i % 2 else f" {1 + i % 100} " for i in range(200)])
    found = references(("customers", customers), ("orders", orders))
    assert found["orders"]["CustomerID"].target == "customers.CustomerID"
    assert found["orders"]["CustomerID"].missing == 0
    assert [value_text(v) for v in (17850.0, " C1 ", "42.0", 2.5, 7)] == ["17850", "C1", "42", "2.5", "7"]


def test_few_distinct_values_are_not_a_reference() -> None:
    sites = text_frame(site_code=[f"S{i:02d}" for i in range(10)])
    visits = text_frame(visit_id=[f"V{i}" for i in range(100)], site_code=[f"S{i % 10:02d}" for i in range(100)])
    assert references(("sites", sites), ("visits", visits))["visits"] == {}


def test_the_parent_a_name_points_at_wins() -> None:
    ids = list(range(1, 501))
    found = references(("customers", text_frame(customer_id=ids)), ("products", text_frame(product_id=ids)),
                       ("orders", text_frame(order_id=list(range(10_001, 10_401)),
                                             product_id=[1 + i % 300 for i in range(400)],
                                             customer_id=[1 + i % 250 for i in range(400)])))
    assert {c: r.target for c, r in found["orders"].items()} == {
        "product_id": "products.product_id", "customer_id": "customers.customer_id"}


# ---------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_readiness_run_on_the_unedited_draft(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "client")
    assert main(["new", str(folder), "--client", "Harbour Physio Group", "--from", str(folder)]) == 0
    proc = run_cli("run", str(folder / "engagement.yaml"), "--out", str(tmp_path / "reports"), "--jobs", "2")
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert (tmp_path / "reports" / "harbour-physio-group" / "index.html").exists()
