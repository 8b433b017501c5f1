"""Tests of readiness.engagement: loading, validation messages, column checks, notebook parameters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readiness.engagement import Engagement, check_columns, column_problems, load_engagement
from readiness.errors import ConfigError, DataError

VALID = """\
client: Harbour Physio Group          # shown in every report header
as_of: 2026-06-30
currency: EUR
seed: 7
tables:
  customers: {path: data/customers.csv, key: customer_id, pii: [email, phone], date_columns: [registered_at]}
  appointments:
    path: data/appointments.csv
    key: appointment_id
    date_columns: [booked_at, starts_at]
    references: {customer_id: customers.customer_id}
    rules:
      - {column: duration_min, expect: between, min: 10, max: 180}
      - {column: status, expect: in_set, values: [attended, no_show], mostly: 0.95}
      - {column: starts_at, expect: between, min: 2020-01-01}
  invoices: {path: ../shared/invoices.xlsx, key: invoice_id, sheet: Invoices,
             references: {customer_id: customers.customer_id, appointment_id: appointments.appointment_id}}
use_cases:
  - id: no_show
    title: Predict appointment no-shows
    table: appointments
    target: no_show
    positive: true
    time_column: starts_at
    value: {true_positive: 38, decisions_per_year: 42000}
survey: survey.yaml
checklist: ethics_checklist.yaml
allow_outside_paths: true             # invoices live in a folder shared with other engagements
"""


def write(folder: Path, text: str, name: str = "engagement.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_engagement(write(tmp_path / "client", text))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("engagement.yaml: ")
    return message


def edited(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


# ------------------------------------------------------------------ valid file


@pytest.fixture
def engagement(tmp_path: Path) -> Engagement:
    return load_engagement(write(tmp_path / "client", VALID))


def test_valid_file_top_level_values(engagement: Engagement, tmp_path: Path) -> None:
    assert engagement.client == "Harbour Physio Group"
    assert engagement.as_of == date(2026, 6, 30)
    assert engagement.currency == "EUR"
    assert engagement.seed == 7
    assert engagement.freshness_days == 90  # the default
    assert engagement.source == tmp_path / "client" / "engagement.yaml"
    assert engagement.base_dir == tmp_path / "client"
    assert engagement.slug == "harbour-physio-group"


def test_paths_resolve_relative_to_the_yaml_folder(engagement: Engagement, tmp_path: Path) -> None:
    folder = tmp_path / "client"
    assert engagement.tables["customers"].path == folder / "data" / "customers.csv"
    assert engagement.tables["invoices"].path == tmp_path / "shared" / "invoices.xlsx"
    assert engagement.tables["invoices"].path_text == "../shared/invoices.xlsx"
    assert engagement.survey == folder / "survey.yaml"
    assert engagement.checklist == folder / "ethics_checklist.yaml"


def test_relative_source_gives_the_same_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "client", VALID)
    monkeypatch.chdir(tmp_path)
    loaded = load_engagement("client/engagement.yaml")
    assert loaded.tables["customers"].path == tmp_path / "client" / "data" / "customers.csv"


def test_a_folder_holding_engagement_yaml_is_accepted(tmp_path: Path) -> None:
    write(tmp_path / "client", VALID)
    assert load_engagement(tmp_path / "client").client == "Harbour Physio Group"


def test_use_case_keeps_extra_keys(engagement: Engagement) -> None:
    case = engagement.use_case("no_show")
    assert (case.id, case.table, case.target) == ("no_show", "appointments", "no_show")
    assert case.extra == {
        "positive": True,
        "time_column": "starts_at",
        "value": {"true_positive": 38, "decisions_per_year": 42000},
    }
    assert case.get("time_column") == "starts_at"
    assert case.get("protected", []) == []


def test_use_case_extra_dates_stay_as_written(tmp_path: Path) -> None:
    text = edited("    positive: true\n", "    positive: true\n    start: 2026-01-01\n")
    loaded = load_engagement(write(tmp_path, text))
    assert loaded.use_cases[0].extra["start"] == "2026-01-01"


def test_table_parameters_exact(engagement: Engagement, tmp_path: Path) -> None:
    folder = tmp_path / "client"
    assert engagement.table_parameters("appointments") == {
        "data_path": str(folder / "data" / "appointments.csv"),
        "table": "appointments",
        "key": "appointment_id",
        "date_columns": ["booked_at", "starts_at"],
        "references": {
            "customer_id": {
                "path": str(folder / "data" / "customers.csv"),
                "column": "customer_id",
                "table": "customers",
                "sheet": None,
            }
        },
        "rules": [
            {"column": "duration_min", "expect": "between", "min": 10, "max": 180, "mostly": 1.0},
            {"column": "status", "expect": "in_set", "values": ["attended", "no_show"], "mostly": 0.95},
            {"column": "starts_at", "expect": "between", "min": "2020-01-01", "mostly": 1.0},
        ],
        "as_of": "2026-06-30",
        "pii_columns": [],
        "sheet": None,
        "freshness_days": 90,
    }


def test_table_parameters_carry_sheets_and_empty_key(tmp_path: Path) -> None:
    text = edited("customers: {path: data/customers.csv, key: customer_id,",
                  "customers: {path: data/customers.xlsx, sheet: 0,")
    params = load_engagement(write(tmp_path, text)).table_parameters("invoices")
    assert params["sheet"] == "Invoices"
    assert params["references"]["customer_id"]["sheet"] == 0
    assert params["references"]["appointment_id"]["column"] == "appointment_id"
    customers = load_engagement(tmp_path / "engagement.yaml").table_parameters("customers")
    assert customers["key"] == ""
    assert customers["pii_columns"] == ["email", "phone"]


def test_unknown_table_parameters_suggest_a_table(engagement: Engagement) -> None:
    with pytest.raises(ConfigError, match="tables.custmers: unknown table; did you mean 'customers'"):
        engagement.table_parameters("custmers")


def test_slug_drops_accents_and_punctuation(tmp_path: Path) -> None:
    text = edited("client: Harbour Physio Group", "client: \"Zoë's Café & Spa, Ltd.\"")
    assert load_engagement(write(tmp_path, text)).slug == "zoe-s-cafe-spa-ltd"


# --------------------------------------------------------------- file errors


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^nowhere.yaml: file not found at .*nowhere.yaml; check the path"):
        load_engagement(tmp_path / "nowhere.yaml")


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    message = load_error(tmp_path, edited("seed: 7", "seed: [7"))
    assert "line 5, column 7: malformed YAML" in message


def test_bad_indentation_names_its_line(tmp_path: Path) -> None:
    message = load_error(tmp_path, edited("seed: 7", "  seed: 7"))
    assert message.startswith("engagement.yaml: line 4, column 7: malformed YAML (mapping values")


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    message = load_error(tmp_path, edited("seed: 7", "seed: 7\nseed: 8"))
    assert "line 5, column 1: duplicate key 'seed' (first on line 4)" in message


@pytest.mark.parametrize(
    ("text", "found"), [("- a\n- b\n", "a list"), ("", "empty"), ("just text\n", "plain text")]
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, found: str) -> None:
    message = load_error(tmp_path, text)
    assert f"(top level): the file is {found}, not a mapping of keys" in message


# ------------------------------------------------------- validation messages


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    references: {customer_id: customers.customer_id}\n    rules",
         "    refrences: {customer_id: customers.customer_id}\n    rules",
         "tables.appointments.refrences: unknown key; did you mean 'references'?"),
        ("survey: survey.yaml", "survy: survey.yaml", "survy: unknown key; did you mean 'survey'?"),
        ("seed: 7", "seed: 7\ncolour: blue",
         "colour: unknown key; allowed keys here are: client, as_of, currency, seed, freshness_days, tables"),
        ("client: Harbour Physio Group", "", "client: missing required key; write the client's name"),
        ("key: appointment_id", "kee: appointment_id",
         "tables.appointments.kee: unknown key; did you mean 'key'?"),
        ("    target: no_show\n", "", "use_cases[0].target: missing required key"),
        ("seed: 7", "seed: abc", "seed: expected an integer, got 'abc'; write a whole number"),
        ("seed: 7", "seed: true", "seed: expected an integer, got true"),
        ("as_of: 2026-06-30", "as_of: 2026-13-01",
         "as_of: expected an ISO date (YYYY-MM-DD), got '2026-13-01' (month value is outside expected range"),
        ("as_of: 2026-06-30", "as_of: June 30", "as_of: expected an ISO date (YYYY-MM-DD), got 'June 30'"),
        ("currency: EUR", "currency: eur",
         "currency: 'eur' is not in the expected form; write a 3-letter ISO"),
        ("tables:", "freshness_days: 0\ntables:", "freshness_days: expected a number greater than 0, got 0"),
        ("{customer_id: customers.customer_id}\n    rules", "{customer_id: custmers.customer_id}\n    rules",
         "tables.appointments.references.customer_id: unknown table 'custmers'; did you mean 'customers'?"),
        ("{customer_id: customers.customer_id}\n    rules", "{customer_id: customers}\n    rules",
         "tables.appointments.references.customer_id: expected '<table>.<column>', got 'customers'"),
        ("  invoices: {path", "  Invoices: {path", "tables.Invoices: table name 'Invoices' is not a slug"),
        ("  invoices: {path: ../shared/invoices.xlsx,", "  invoices: invoices.csv\n  other: {path: x.csv,",
         "tables.invoices: expected a mapping of keys to values, got 'invoices.csv'"),
        ("sheet: Invoices", "sheet: [1]",
         "tables.invoices.sheet: expected a sheet name or number, got a list"),
        ("expect: between, min: 10", "expect: betwen, min: 10",
         "tables.appointments.rules[0].expect: expected one of between, in_set, not_null, unique, matches, "
         "got 'betwen'; did you mean 'between'?"),
        ("min: 10, max: 180", "mostly: 0.5",
         "tables.appointments.rules[0]: expect: between needs min, max or both"),
        ("min: 10, max: 180", "min: 180, max: 10", "rules[0].max: max (10) is below min (180)"),
        ("min: 10, max: 180", "min: 2020-01-01, max: 180", "rules[0].max: min is a date but max is a number"),
        ("min: 10,", "min: ten,", "rules[0].min: expected a number or an ISO date, got 'ten'"),
        ("values: [attended, no_show], mostly: 0.95", "mostly: 0.95",
         "tables.appointments.rules[1].values: expect: in_set needs the allowed values"),
        ("expect: in_set, values: [attended, no_show]", "expect: matches, pattern: '[a-'",
         "tables.appointments.rules[1].pattern: regular expression '[a-' does not compile"),
        ("expect: in_set, values: [attended, no_show]", "expect: matches",
         "tables.appointments.rules[1].pattern: expect: matches needs a pattern"),
        ("mostly: 0.95", "mostly: 1.5", "rules[1].mostly: expected a number less than or equal to 1"),
        ("table: appointments\n", "table: apointments\n",
         "use_cases[0].table: unknown table 'apointments'; did you mean 'appointments'?"),
        ("id: no_show", "id: No Show", "use_cases[0].id: 'No Show' is not in the expected form"),
        ("survey: survey.yaml",
         "  - {id: no_show, title: Again, table: customers, target: churned}\nsurvey: s.yaml",
         "use_cases[1].id: id 'no_show' is already used by use_cases[0]; give each use case its own id"),
        ("target: no_show", "target: no", "use_cases[0].target: expected text, got false; YAML reads yes/no"),
        ("survey: survey.yaml", "source: elsewhere.yaml",
         "source: unknown key; remove it (the file's own location is used)"),
        ("path: data/appointments.csv", "path: ''", "tables.appointments.path: the path is empty"),
    ],
)
def test_validation_message(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert expected in load_error(tmp_path, edited(old, new))


def test_no_tables(tmp_path: Path) -> None:
    message = load_error(tmp_path, VALID.split("tables:")[0] + "tables: {}\n")
    assert "tables: no tables listed; add at least one" in message


def test_several_problems_show_the_first_and_count_the_rest(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_engagement(write(tmp_path, edited("seed: 7", "seed: x").replace("EUR", "eu")))
    assert str(info.value).startswith("engagement.yaml: currency: 'eu'")
    assert str(info.value).endswith("(1 more problem in this file)")
    assert info.value.problems[1].startswith("engagement.yaml: seed: expected an integer, got 'x'")


# ------------------------------------------------------------- column checks

COLUMNS = {
    "customers": ["customer_id", "email", "phone", "registered_at"],
    "appointments": ["appointment_id", "customer_id", "booked_at", "starts_at", "duration_min", "status"],
    "invoices": ["invoice_id", "customer_id", "appointment_id"],
}


def test_check_columns_passes_when_every_column_exists(engagement: Engagement) -> None:
    assert check_columns(engagement, COLUMNS) is None
    assert column_problems(engagement, COLUMNS) == []


def test_missing_reference_column_names_file_path_and_closest(engagement: Engagement) -> None:
    renamed = [c if c != "customer_id" else "cust_id" for c in COLUMNS["appointments"]]
    columns = {**COLUMNS, "appointments": renamed}
    with pytest.raises(DataError) as info:
        check_columns(engagement, columns)
    assert str(info.value) == (
        "data/appointments.csv: tables.appointments.references.customer_id: column 'customer_id' "
        "(a reference column) is not in the file; the closest column is 'cust_id'; "
        "fix tables.appointments.references.customer_id in engagement.yaml or the column's name in the file"
    )


def test_missing_referenced_parent_column_is_blamed_on_the_parent_file(engagement: Engagement) -> None:
    columns = {**COLUMNS, "customers": ["id", "email", "phone", "registered_at"]}
    problems = column_problems(engagement, columns)
    # customers.key, then one per table referring to customers.customer_id
    assert len(problems) == 3
    assert problems[1].startswith("data/customers.csv: tables.appointments.references.customer_id: "
                                  "column 'customer_id' (the referenced column of table customers)")


def test_missing_key_without_close_match_lists_columns(engagement: Engagement) -> None:
    problems = column_problems(engagement, {"invoices": ["number", "client", "visit"]})
    assert problems[0] == (
        "../shared/invoices.xlsx: tables.invoices.key: column 'invoice_id' (the table's key) is not in the "
        "file; columns are: number, client, visit; fix tables.invoices.key in engagement.yaml or the "
        "column's name in the file"
    )
    assert len(problems) == 3  # key and two reference columns; parents were not loaded


def test_case_difference_is_suggested(engagement: Engagement) -> None:
    columns = {"customers": ["Customer_ID", "email", "phone", "registered_at"]}
    assert "the closest column is 'Customer_ID'" in column_problems(engagement, columns)[0]


def test_rule_date_and_pii_columns_are_checked(engagement: Engagement) -> None:
    appointments = ["appointment_id", "customer_id", "booked_at", "starts_at", "duration", "status"]
    problems = column_problems(engagement, {"appointments": appointments,
                                            "customers": ["customer_id", "email", "registered_at"]})
    # tables in the engagement's order, then the order of the checks within a table
    key_paths = [p.split(": ")[1] for p in problems]
    assert key_paths == ["tables.customers.pii", "tables.appointments.rules[0].column"]
    assert "column 'phone' (a personal-data column)" in problems[0]
    assert "column 'duration_min' (a rule's column) is not in the file; " in problems[1]
    assert "the closest column is 'duration'" in problems[1]


def test_check_columns_counts_further_problems(engagement: Engagement) -> None:
    with pytest.raises(DataError, match=r"\(2 more missing columns\)$") as info:
        check_columns(engagement, {"invoices": ["number"]})
    assert len(info.value.problems) == 3


def test_numeric_table_name_gets_a_slug_suggestion(tmp_path: Path) -> None:
    message = load_error(tmp_path, edited("  invoices: {path", "  2024: {path"))
    assert "table name 2024 is not a slug" in message
    assert "e.g. 't_2024'" in message


def test_python_tags_are_not_executed(tmp_path: Path) -> None:
    message = load_error(tmp_path, VALID + "x: !!python/object/apply:os.system [echo]\n")
    assert "line 29, column 4: could not determine a constructor" in message


def test_roi_settings_have_defaults_and_are_validated(tmp_path: Path) -> None:
    engagement = load_engagement(write(tmp_path, VALID))
    assert (engagement.roi.horizon_years, engagement.roi.discount_rate, engagement.roi.draws) == (3, 0.08, 10_000)
    custom = load_engagement(write(tmp_path, VALID + "roi: {horizon_years: 5, discount_rate: 0.1}\n"))
    assert (custom.roi.horizon_years, custom.roi.discount_rate) == (5, 0.1)
    with pytest.raises(ConfigError, match=r"roi\.discount_rate") as err:
        load_engagement(write(tmp_path, VALID + "roi: {discount_rate: 1.5}\n"))
    assert "engagement.yaml" in str(err.value)
