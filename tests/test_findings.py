"""One catalogue of finding codes: every code written is catalogued, every catalogued code is written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from readiness.findings import CATALOGUE, STAGES, codes_of
from readiness.sync import findings_table, readme_section

CODE = re.compile(r"\b(?:DQ|FEAS|ETH|ROI|SUM|PILOT|PROG)_[A-Z0-9_]+\b")
NOT_CODES = {"PILOT_PROBABILITY"}  # the ROI stage's P(NPV > 0) cut for its pilot verdict, not a finding code


def _package_sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "readiness").rglob("*.py")
            if p.name != "findings.py"}


def test_every_code_used_in_the_package_is_catalogued() -> None:
    used = {code for text in _package_sources().values() for code in CODE.findall(text)}
    used -= {"DQ_", "FEAS_", "ETH_", "ROI_", "SUM_", "PILOT_", "PROG_", *NOT_CODES}
    assert not used - set(CATALOGUE), f"used but not catalogued: {sorted(used - set(CATALOGUE))}"


def test_every_catalogued_code_is_written_somewhere() -> None:
    text = "\n".join(_package_sources().values())
    unused = [code for code in CATALOGUE if not re.search(rf"\b{code}\b", text)]
    assert not unused, f"catalogued but never used: {unused}"


def test_the_catalogue_is_well_formed() -> None:
    for code, entry in CATALOGUE.items():
        assert entry.code == code and entry.stage in STAGES
        assert entry.severities and set(entry.severities) <= {"info", "warning", "error"}
        assert entry.meaning.endswith(".") and len(entry.meaning) > 20
        prefix = {"quality": "DQ_", "feasibility": "FEAS_", "ethics": "ETH_", "roi": "ROI_", "summary": "SUM_",
                  "pilot": "PILOT_", "progress": "PROG_"}
        assert code.startswith(prefix[entry.stage])


def test_each_stage_lists_its_own_codes() -> None:
    from readiness.ethics.codes import CODES as ETHICS
    from readiness.feasibility.codes import CODES as FEASIBILITY
    from readiness.quality.checks import CODES as QUALITY
    from readiness.roi.assess import CODES as ROI

    assert codes_of("quality") == QUALITY and codes_of("feasibility") == FEASIBILITY
    assert codes_of("ethics") == ETHICS and codes_of("roi") == ROI
    assert len(CATALOGUE) == sum(len(codes_of(stage)) for stage in STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_readme_lists_the_catalogue(stage: str) -> None:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_section(text, f"findings:{stage}") == findings_table(stage), "run `python -m readiness.sync`"


@pytest.mark.slow
def test_every_finding_of_the_sample_run_is_catalogued_with_its_severity(sample_report_dir: Path) -> None:
    seen = 0
    for path in sample_report_dir.rglob("*.json"):
        if path.name == "run.json" or path.name.endswith(".gx-suite.json") or "gx" in path.parts:
            continue  # the run's record and the Great Expectations suites and project, not stage results
        for finding in json.loads(path.read_text(encoding="utf-8"))["findings"]:
            entry = CATALOGUE[finding["code"]]
            assert finding["severity"] in entry.severities, (finding["code"], finding["severity"])
            seen += 1
    assert seen > 100
