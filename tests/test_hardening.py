"""Hardening: paths kept inside the engagement, a memory budget, masked tracebacks, inert hostile text, determinism.

What the suite writes: JSON results, Parquet predictions, executed notebooks (.ipynb) and HTML
reports. It writes no CSV and no Excel file, so formula injection (``=HYPERLINK(...)``) can only
matter in HTML, where it must be shown as plain text.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import run_cli
from readiness import planning
from readiness.cli import main
from readiness.engagement import load_engagement
from readiness.errors import ConfigError, DataError
from readiness.hardening import mask_card_numbers, mask_notebook_outputs, scrub_output_text
from readiness.pipeline import check_engagement

EMAIL, PHONE = "jane.doe@example.com", "+353 87 555 1234"
FAILURE = f"bad value {EMAIL} at {PHONE}"
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def write_engagement(folder: Path, tables: dict | None = None, **top) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if tables is None:
        (folder / "visits.csv").write_text("visit_id,minutes\nV1,30\nV2,45\n")
        tables = {"visits": {"path": "visits.csv", "key": "visit_id"}}
    doc = {"client": "Test Client", "as_of": "2026-06-30", "currency": "EUR", "seed": 1, "tables": tables, **top}
    path = folder / "engagement.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def config_error(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_engagement(path)
    message = str(info.value)
    assert "\n" not in message
    return message


# ------------------------------------------------------------ paths outside the engagement


@pytest.mark.parametrize(
    ("key", "value", "key_path"),
    [
        ("table", "../../etc/passwd", "tables.visits.path"),
        ("table", "/etc/hostname", "tables.visits.path"),
        ("table", "data/../../visits.csv", "tables.visits.path"),
        ("table", "~/visits.csv", "tables.visits.path"),
        ("survey", "../survey.yaml", "survey"),
        ("checklist", "/etc/hostname", "checklist"),
    ],
)
def test_paths_outside_the_engagement_folder_are_refused(tmp_path: Path, key: str, value: str, key_path: str) -> None:
    folder = tmp_path / "client"
    if key == "table":
        path = write_engagement(folder, {"visits": {"path": value, "key": "visit_id"}})
    else:
        path = write_engagement(folder, **{key: value})
    message = config_error(path)
    assert message.startswith(f"engagement.yaml: {key_path}: {value!r} lies outside the engagement's folder")
    assert "allow_outside_paths: true" in message


def test_allow_outside_paths_accepts_them(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "visits.csv").write_text("visit_id,minutes\nV1,30\n")
    tables = {"visits": {"path": "../shared/visits.csv", "key": "visit_id"}}
    engagement = load_engagement(write_engagement(tmp_path / "client", tables, allow_outside_paths=True,
                                                  survey="/etc/hostname"))
    assert engagement.tables["visits"].path == tmp_path / "shared" / "visits.csv"
    assert engagement.survey == Path("/etc/hostname")
    assert check_engagement(engagement) == {"visits": 1}


def test_paths_inside_the_folder_are_accepted_however_written(tmp_path: Path) -> None:
    folder = tmp_path / "client"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "visits.csv").write_text("visit_id\nV1\n")
    tables = {"visits": {"path": str(folder / "data" / "visits.csv")}, "again": {"path": "data/../data/visits.csv"}}
    engagement = load_engagement(write_engagement(folder, tables, checklist="./checklist.yaml"))
    assert engagement.allow_outside_paths is False
    assert engagement.tables["again"].path == folder / "data" / "visits.csv"
    assert engagement.checklist == folder / "checklist.yaml"


def test_a_symbolic_link_leading_outside_counts_as_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_text("visit_id\nV1\n")
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "visits.csv").symlink_to(tmp_path / "secret.csv")
    message = config_error(write_engagement(folder, {"visits": {"path": "visits.csv"}}))
    assert "tables.visits.path: 'visits.csv' is a link to " in message and "outside the engagement's" in message


def test_allow_outside_paths_must_be_true_or_false(tmp_path: Path) -> None:
    message = config_error(write_engagement(tmp_path, allow_outside_paths="sometimes"))
    assert "allow_outside_paths: expected true or false, got 'sometimes'" in message


# -------------------------------------------------------------------------- memory budget


def test_memory_budget_defaults_to_2048_mb_and_must_be_positive(tmp_path: Path) -> None:
    engagement = load_engagement(write_engagement(tmp_path / "a"))
    assert (engagement.max_table_mb, engagement.max_table_bytes) == (2048, 2_048_000_000)
    message = config_error(write_engagement(tmp_path / "b", max_table_mb=0))
    assert "max_table_mb: expected a number greater than 0, got 0" in message


def test_table_over_budget_is_refused_before_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "client"
    folder.mkdir()
    rows = "".join(f"V{i:07d},{i % 90}\n" for i in range(150_000))  # 1,783,347 bytes
    (folder / "visits.csv").write_text("visit_id,minutes\n" + rows)
    engagement = load_engagement(write_engagement(folder, {"visits": {"path": "visits.csv"}}, max_table_mb=1))

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the table was read")

    monkeypatch.setattr("readiness.tables._load_text", never)
    with pytest.raises(DataError) as info:
        check_engagement(engagement)
    assert str(info.value) == (
        "visits.csv: the file is 1.8 MB (1,783,347 bytes), over the limit of 1.0 MB (1,000,000 bytes), so it is "
        "not loaded; raise the limit (`max_table_mb` in engagement.yaml) if the machine has the memory, or give "
        "a sample of the table (e.g. its last 12 months)"
    )


def test_table_within_budget_loads(tmp_path: Path) -> None:
    engagement = load_engagement(write_engagement(tmp_path, max_table_mb=1))
    assert check_engagement(engagement) == {"visits": 2}


# ------------------------------------------------------------------ masked outputs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"ValueError: {FAILURE}", "ValueError: bad value j***@e***.com at +*** ** *** **34"),
        # IPython colours: the value sits between colour codes, which are kept
        (f"\x1b[0;31mValueError\x1b[0m: {EMAIL}\x1b[0m", "\x1b[0;31mValueError\x1b[0m: j***@e***.com\x1b[0m"),
        # a value cut in two by a colour code is still found (the line loses its colours)
        ("mail \x1b[1mjane.doe\x1b[0m@example.com now", "mail j***@e***.com now"),
        ("card 4111 1111 1111 1111 declined", "card **** **** **** 1111 declined"),
        ("card 4111-1111-1111-1111", "card ****-****-****-1111"),
        ("paid 5500000000000004.", "paid ************0004."),
        ("row 12345 on 2026-06-30 cost 1,234.50", "row 12345 on 2026-06-30 cost 1,234.50"),
        (None, ""),
    ],
)
def test_scrub_output_text(text: str | None, expected: str) -> None:
    assert scrub_output_text(text) == expected


def test_card_masking_leaves_short_and_long_digit_runs() -> None:
    assert mask_card_numbers("id 123456789012") == "id 123456789012"  # 12 digits
    assert mask_card_numbers("x 12345678901234567890") == "x 12345678901234567890"  # 20 digits


def test_mask_notebook_outputs_masks_errors_and_streams_only(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("check()")
    html = f"<td>{EMAIL}</td>"  # display output: masking it is the stage's job, not changed here
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"checking {EMAIL}\n"),
        nbformat.v4.new_output("display_data", data={"text/html": html}),
        nbformat.v4.new_output("error", ename="ValueError", evalue=FAILURE,
                               traceback=["\x1b[0;31m---------\x1b[0m", f"\x1b[0;31mValueError\x1b[0m: {FAILURE}"]),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)

    assert mask_notebook_outputs(path) == 2
    outputs = nbformat.read(path, as_version=4).cells[1].outputs
    assert outputs[0].text == "checking j***@e***.com\n"
    assert outputs[1].data["text/html"] == html
    assert outputs[2].evalue == "bad value j***@e***.com at +*** ** *** **34"
    assert outputs[2].traceback == ["\x1b[0;31m---------\x1b[0m",
                                    "\x1b[0;31mValueError\x1b[0m: bad value j***@e***.com at +*** ** *** **34"]
    before = path.read_bytes()
    assert mask_notebook_outputs(path) == 0 and path.read_bytes() == before


# ------------------------------------------------------------------ spreadsheet formulas


# ------------------------------------------------------------------ end to end (slow)


def failing_notebook(folder: Path) -> Path:
    """A stand-in quality notebook that prints a value of its table, then raises with it."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('data_path = ""\ntable = ""\nresults_dir = "."')
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "import pandas as pd\n"
        "note = pd.read_csv(data_path)['note'].iloc[0]\n"
        "print('checking', note)\n"
        "raise ValueError(note)"
    )
    nb.cells = [params, body]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "failing.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_failed_notebook_keeps_a_masked_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "client"
    folder.mkdir()
    pd.DataFrame({"visit_id": ["V1", "V2"], "note": [FAILURE, "fine"]}).to_csv(folder / "visits.csv", index=False)
    engagement = write_engagement(folder, {"visits": {"path": "visits.csv", "key": "visit_id"}})
    stand_in = dataclasses.replace(planning.STAGES["quality"], notebook=str(failing_notebook(tmp_path)))
    monkeypatch.setitem(planning.STAGES, "quality", stand_in)

    assert main(["run", str(engagement), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 3

    captured = capsys.readouterr()
    report = tmp_path / "out" / "test-client"
    ipynb = nbformat.read(report / "quality" / "visits.ipynb", as_version=4)
    error = next(o for cell in ipynb.cells for o in cell.get("outputs", []) if o.output_type == "error")
    assert error.ename == "ValueError" and error.evalue == "bad value j***@e***.com at +*** ** *** **34"
    assert len(error.traceback) >= 2  # the full traceback is kept, masked
    assert "j***@e***.com" in (report / "quality" / "visits.html").read_text(encoding="utf-8")
    record = json.loads((report / "run.json").read_text())
    assert record["notebooks"][0]["error"] == "ValueError: bad value j***@e***.com at +*** ** *** **34"
    assert "ValueError: bad value j***@e***.com" in captured.out
    outputs = {str(p.relative_to(report)): p.read_text(encoding="utf-8") for p in report.rglob("*") if p.is_file()}
    assert {"quality/visits.ipynb", "quality/visits.html", "run.json", "index.html"} <= set(outputs)
    outputs["terminal"] = captured.out + captured.err
    for name, text in outputs.items():
        for raw in (EMAIL, PHONE, "555 1234", "jane.doe"):
            assert raw not in text, f"{name} shows {raw[:3]}***"


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "template": "tpl {{7*7}} end",
    "markdown": "[click](http://evil.example)",
    "formula": '=HYPERLINK("http://x","y")',
}


@pytest.mark.slow
def test_hostile_values_and_free_text_are_inert_in_every_output(tmp_path: Path) -> None:
    n = 60
    frequent = [HOSTILE["script"]] * 30 + [HOSTILE["img"]] * 20 + [HOSTILE["template"]] * 10
    channels = [HOSTILE["markdown"]] * 30 + [HOSTILE["formula"]] * 20 + ["walk-in"] * 10
    texts = list(HOSTILE.values())
    frame = pd.DataFrame({
        "ticket_id": [f"T{i:03d}" for i in range(n)],
        "category": frequent,
        "channel": channels,
        "body": [f"Customer wrote {texts[i % 5]} then {texts[(i + 2) % 5]} (ticket {i})" for i in range(n)],
    })
    frame.to_csv(tmp_path / "tickets.csv", index=False)
    rules = [{"column": "category", "expect": "in_set", "values": ["booking", "billing"]}]
    engagement = write_engagement(tmp_path, {"tickets": {"path": "tickets.csv", "key": "ticket_id", "rules": rules}})

    proc = run_cli("run", str(engagement), "--out", str(tmp_path / "out"), "--jobs", "1")

    assert proc.returncode == 0, proc.stderr[-3000:]
    report = tmp_path / "out" / "test-client"
    pages = {p.name: p.read_text(encoding="utf-8") for p in report.rglob("*.html")}
    assert {"tickets.html", "index.html", "summary.html"} <= set(pages)
    shown = pages["tickets.html"]
    # the values are on the page, as text: escaped, and the template syntax as written
    assert "&lt;script&gt;alert(1)" in shown and '"&gt;&lt;img src=x' in shown
    assert "tpl {{7*7}} end" in shown and "[click](http://evil.exa" in shown and "=HYPERLINK(" in shown
    for name, html in pages.items():
        assert "<script>alert" not in html and "alert(1)</script>" not in html, name
        assert re.search(r"<img(?![^>]*\ssrc=\"data:image/png;base64,)", html) is None, name
        assert re.search(r"<a\b[^>]*href=[\"']?https?:", html) is None, name
    everything = {str(p): p.read_text(encoding="utf-8") for p in report.rglob("*") if p.is_file()}
    everything["terminal"] = proc.stdout + proc.stderr
    for name, text in everything.items():
        assert "tpl 49 end" not in text, name
        assert 'href="http://evil' not in text and 'href="http://x' not in text, name
    assert not list(report.rglob("*.csv")) and not list(report.rglob("*.xlsx"))


def signal_table(folder: Path, rows: int = 400) -> None:
    """Members who visit less and book on the web leave more often; seeded, so the file is fixed."""
    rng = np.random.default_rng(7)
    visits = rng.integers(0, 20, rows)
    channel = rng.choice(["web", "phone", "walk-in"], rows)
    risk = 1.5 - 0.25 * visits + 0.8 * (channel == "web")
    churned = rng.random(rows) < 1 / (1 + np.exp(-risk))
    pd.DataFrame({
        "member_id": [f"M{i:04d}" for i in range(rows)],
        "visits": visits,
        "minutes": rng.integers(20, 90, rows),
        "channel": channel,
        "gender": rng.choice(["female", "male"], rows),
        "age_band": rng.choice(["18-34", "35-54", "55+"], rows),
        "churned": np.where(churned, "yes", "no"),
    }).to_csv(folder / "members.csv", index=False)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Every JSON and Parquet file (run.json aside) of two runs of one engagement covering every stage."""
    folder = tmp_path_factory.mktemp("determinism")
    signal_table(folder)
    case = {
        "id": "churn", "title": "Predict members who leave", "table": "members", "target": "churned",
        "kind": "classification", "positive": "yes", "exclude": ["member_id"], "protected": ["gender", "age_band"],
        "domain": "marketing", "time_budget_s": 600,  # far above the work: the seed alone decides
        "value": {"true_positive": 40, "false_positive": -5, "false_negative": 0, "true_negative": 0,
                  "decisions_per_year": 1000},
        "costs": {"build": [2000, 3000, 5000], "run_per_year": [500, 800, 1200]},
    }
    engagement = write_engagement(folder, {"members": {"path": "members.csv", "key": "member_id"}},
                                  use_cases=[case], roi={"draws": 2000})
    runs = []
    for name in ("a", "b"):
        proc = run_cli("run", str(engagement), "--out", str(folder / name), "--jobs", "2")
        assert proc.returncode == 0, proc.stderr[-3000:]
        report = folder / name / "test-client"
        runs.append({str(p.relative_to(report)): p.read_bytes() for p in sorted(report.rglob("*"))
                     if p.suffix in (".json", ".parquet") and p.name != "run.json"})
    return runs[0], runs[1]


@pytest.mark.slow
def test_every_stage_gives_the_same_results_twice(two_runs: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    first, second = two_runs
    assert sorted(first) == [
        "ethics/churn.json", "feasibility/churn.json", "feasibility/churn.predictions.parquet",
        "quality/gx/checkpoints/readiness_checks.json", "quality/gx/expectations/members.json",
        "quality/gx/validation_definitions/members.json",
        "quality/members.gx-suite.json", "quality/members.json", "roi.json", "summary.json",
    ]
    assert sorted(second) == sorted(first)
    assert pd.read_parquet(io.BytesIO(first["feasibility/churn.predictions.parquet"])).shape[0] > 0
    for name in first:
        if name.startswith("quality/gx/"):  # Great Expectations gives its objects random ids; the rest is ours
            assert _UUID.sub(b"<id>", first[name]) == _UUID.sub(b"<id>", second[name]), f"{name} differs"
            assert _UUID.search(first[name]) is not None
        else:
            assert first[name] == second[name], f"{name} differs between two runs"
