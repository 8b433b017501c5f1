"""Bad input through the `readiness` command: exit status 2, one clear line, earlier report untouched."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from readiness.cli import main

CUSTOMERS = "customer_id,email\nC1,a@example.com\nC2,b@example.com\n"
VISITS = "visit_id,customer_id,minutes\nV1,C1,30\nV2,C2,45\n"


def engagement_doc(**table_overrides) -> dict:
    tables = {
        "customers": {"path": "customers.csv", "key": "customer_id"},
        "visits": {"path": "visits.csv", "key": "visit_id", "references": {"customer_id": "customers.customer_id"}},
    }
    for name, override in table_overrides.items():
        tables[name] = {**tables[name], **override}
    return {"client": "Test Client", "as_of": "2026-06-30", "currency": "EUR", "seed": 1, "tables": tables}


def write_case(folder: Path, doc: dict | str) -> Path:
    (folder / "customers.csv").write_text(CUSTOMERS)
    (folder / "visits.csv").write_text(VISITS)
    path = folder / "engagement.yaml"
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False))
    return path


def _missing_file(folder: Path) -> Path:
    return write_case(folder, engagement_doc(visits={"path": "missing.csv"}))


def _folder_not_file(folder: Path) -> Path:
    (folder / "adir.csv").mkdir()
    return write_case(folder, engagement_doc(visits={"path": "adir.csv"}))


def _zero_bytes(folder: Path) -> Path:
    path = write_case(folder, engagement_doc(visits={"path": "empty.csv"}))
    (folder / "empty.csv").write_bytes(b"")
    return path


def _header_only(folder: Path) -> Path:
    path = write_case(folder, engagement_doc(visits={"path": "header.csv"}))
    (folder / "header.csv").write_text("visit_id,customer_id,minutes\n")
    return path


def _unknown_extension(folder: Path) -> Path:
    path = write_case(folder, engagement_doc(visits={"path": "visits.json"}))
    (folder / "visits.json").write_text('{"visit_id": "V1"}')
    return path


def _undecodable(folder: Path) -> Path:
    path = write_case(folder, engagement_doc(visits={"path": "packed.csv"}))
    (folder / "packed.csv").write_bytes(gzip.compress(VISITS.encode() * 50))
    return path


def _key_absent(folder: Path) -> Path:
    return write_case(folder, engagement_doc(visits={"key": "visit_number"}))


def _unknown_reference_table(folder: Path) -> Path:
    return write_case(folder, engagement_doc(visits={"references": {"customer_id": "custmers.customer_id"}}))


def _unknown_reference_column(folder: Path) -> Path:
    return write_case(folder, engagement_doc(visits={"references": {"client_ref": "customers.customer_id"}}))


def _malformed_yaml(folder: Path) -> Path:
    return write_case(folder, "client: Test\ntables: {customers: [path: x\n")


def _unknown_key(folder: Path) -> Path:
    doc = engagement_doc()
    doc["tables"]["visits"]["refrences"] = doc["tables"]["visits"].pop("references")
    return write_case(folder, doc)


def _wrong_type(folder: Path) -> Path:
    doc = engagement_doc()
    doc["seed"] = "forty-two"
    return write_case(folder, doc)


def _path_escapes_folder(folder: Path) -> Path:
    return write_case(folder, engagement_doc(visits={"path": "../../etc/passwd"}))


def _absolute_path_elsewhere(folder: Path) -> Path:
    elsewhere = folder.parent / f"{folder.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "visits.csv").write_text(VISITS)
    return write_case(folder, engagement_doc(visits={"path": str(elsewhere / "visits.csv")}))


def _survey_outside(folder: Path) -> Path:
    return write_case(folder, {**engagement_doc(), "survey": "../survey.yaml"})


def _checklist_outside(folder: Path) -> Path:
    return write_case(folder, {**engagement_doc(), "checklist": "/etc/hostname"})


def _table_over_memory_budget(folder: Path) -> Path:
    path = write_case(folder, {**engagement_doc(), "max_table_mb": 1})
    rows = "".join(f"V{i},C{i % 2 + 1},{i % 90}\n" for i in range(120_000))  # about 1.6 MB
    (folder / "visits.csv").write_text("visit_id,customer_id,minutes\n" + rows)
    return path


def _memory_budget_not_a_number(folder: Path) -> Path:
    return write_case(folder, {**engagement_doc(), "max_table_mb": "lots"})


# case -> (builder, words the one-line message must contain)
CASES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "missing file": (_missing_file, ["missing.csv"]),
    "folder not file": (_folder_not_file, ["adir.csv"]),
    "zero bytes": (_zero_bytes, ["empty.csv"]),
    "header only": (_header_only, ["header.csv"]),
    "unknown extension": (_unknown_extension, ["visits.json", ".csv"]),
    "undecodable bytes": (_undecodable, ["packed.csv"]),
    "key column absent": (_key_absent, ["visits", "visit_number", "visit_id"]),
    "unknown reference table": (_unknown_reference_table, ["engagement.yaml", "custmers", "customers"]),
    "unknown reference column": (_unknown_reference_column, ["visits", "client_ref"]),
    "malformed yaml": (_malformed_yaml, ["engagement.yaml", "line"]),
    "unknown key": (_unknown_key, ["engagement.yaml", "refrences", "references"]),
    "wrong value type": (_wrong_type, ["engagement.yaml", "seed"]),
    "path escapes the folder": (_path_escapes_folder,
                                ["engagement.yaml", "tables.visits.path", "../../etc/passwd", "allow_outside_paths"]),
    "absolute path elsewhere": (_absolute_path_elsewhere, ["engagement.yaml", "tables.visits.path", "outside"]),
    "survey outside the folder": (_survey_outside, ["engagement.yaml", "survey:", "allow_outside_paths"]),
    "checklist outside the folder": (_checklist_outside, ["engagement.yaml", "checklist:", "/etc/hostname"]),
    "table over the memory budget": (_table_over_memory_budget,
                                     ["visits.csv", "1.6 MB", "limit of 1.0 MB", "max_table_mb", "sample"]),
    "memory budget not a number": (_memory_budget_not_a_number, ["engagement.yaml", "max_table_mb", "integer"]),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["check", "run"])
def test_bad_input_exits_2_with_one_line_and_keeps_earlier_report(
    case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, words = CASES[case]
    engagement = build(tmp_path)
    earlier = tmp_path / "out" / "test-client"
    earlier.mkdir(parents=True)
    (earlier / "index.html").write_text("earlier good report")
    args = [command, str(engagement)] + (["--out", str(tmp_path / "out")] if command == "run" else [])

    status = main(args)

    captured = capsys.readouterr()
    assert status == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("readiness: error: ")
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    assert "Traceback" not in captured.err + captured.out
    assert (earlier / "index.html").read_text() == "earlier good report"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["test-client"]


def test_real_command_exit_status_and_message(tmp_path: Path) -> None:
    engagement = _key_absent(tmp_path)
    proc = run_cli("check", str(engagement))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "visit_number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_reports_rows_per_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engagement = write_case(tmp_path, engagement_doc())
    assert main(["check", str(engagement)]) == 0
    out = capsys.readouterr().out
    assert "customers: 2 rows" in out and "visits: 2 rows" in out


def test_new_writes_a_fillable_engagement_and_check_lists_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "acme"
    assert main(["new", str(folder), "--client", "Acme Gym"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["engagement.yaml", "ethics_checklist.yaml", "survey.yaml"]
    capsys.readouterr()

    assert main(["check", str(folder / "engagement.yaml")]) == 2
    captured = capsys.readouterr()
    assert "31 of 31 questions unanswered" in captured.out
    assert "use_cases: none listed" in captured.out
    assert len(captured.err.strip().splitlines()) == 1 and "customers.csv" in captured.err

    # a second `new` into the same folder never overwrites the analyst's files
    assert main(["new", str(folder), "--client", "Acme Gym"]) == 2


def test_output_folder_holding_the_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the engagement lives in out/test-client: a run would replace the client's own files
    folder = tmp_path / "out" / "test-client"
    folder.mkdir(parents=True)
    engagement = write_case(folder, engagement_doc())
    before = sorted(p.name for p in folder.iterdir())

    assert main(["run", str(engagement), "--out", str(tmp_path / "out")]) == 2

    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "tables.customers.path lies inside the output folder" in err and "--out" in err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_run_passes_the_engine_override_only_when_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import readiness.pipeline

    calls = []

    def fake_run(path, **options):
        calls.append(options)
        return readiness.pipeline.RunSummary(report_dir=tmp_path, outcomes=[], seconds=0.0)

    monkeypatch.setattr(readiness.pipeline, "run_engagement", fake_run)
    path = write_case(tmp_path, engagement_doc())
    assert main(["run", str(path), "--engine", "spark", "--spark-master", "spark://head:7077"]) == 0
    assert main(["run", str(path)]) == 0
    assert {k: calls[0][k] for k in ("engine", "spark_master")} == {"engine": "spark", "spark_master": "spark://head:7077"}
    assert "engine" not in calls[1] and "spark_master" not in calls[1]
    with pytest.raises(SystemExit):
        main(["run", str(path), "--engine", "dask"])
