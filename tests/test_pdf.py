"""`readiness pdf`: a run's index page and summary report printed to one PDF by headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from readiness import charts, display
from readiness.cli import main
from readiness.errors import ConfigError, PipelineError
from readiness.pdf import count_pages, find_chromium, print_css, print_document, print_pdf
from readiness.render import render_notebook, write_index

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
HOSTILE = "<script>alert(1)</script>"


def _html_output(html) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/html": html.data, "text/plain": "html"})


def small_run(folder: Path, *, rows: int = 80) -> Path:
    """A run folder as ``readiness run`` leaves it, made without a kernel: run.json, index.html, summary.html.

    The summary holds a verdict box, cards, a chart and a table of ``rows`` rows, through the same
    display helpers and renderer as a real run.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text(json.dumps({"client": "Harbour Physio Group", "slug": "harbour-physio-group",
                                                 "as_of": "2026-06-30", "notebooks": []}), encoding="utf-8")
    entries = [{"stage": "quality", "subject": name, "title": f"Data quality: {name}", "status": "ok",
                "verdict": "needs_work", "score": 90.0 + i, "findings": {"error": 1, "warning": 2, "info": 0},
                "html": f"quality/{name}.html", "seconds": 1.0, "error": None}
               for i, name in enumerate(["customers", "appointments", HOSTILE])]
    write_index(folder, client="Harbour Physio Group", as_of="2026-06-30", entries=entries, generated_on="2026-07-01",
                run_seconds=12.0, scorecard={"readiness_index": 55.4, "tier": "Developing",
                                             "adopter_category": "Early majority", "headline": "Needs work.",
                                             "dimensions": {"Technology": 63.0, "Organisation": 45.5}})
    from readiness.results import StageResult

    result = StageResult("summary", "readiness", "needs_work", 55.4)
    frame = pd.DataFrame({"question": [f"Question {i} {HOSTILE}" for i in range(rows)],
                          "score": [float(i % 100) for i in range(rows)]})
    cells = [
        new_markdown_cell("# AI readiness summary\n\n## In short"),
        new_code_cell("box", outputs=[_html_output(display.verdict_box(result, headline="Needs work."))]),
        new_code_cell("cards", outputs=[_html_output(display.metric_cards({"Readiness index": 55.4, "Use cases": 4}))]),
        new_markdown_cell("## Readiness index"),
        new_code_cell("chart", outputs=[_html_output(charts.figure_html(charts.dimension_scores(
            {"Technology": 63.0, "Organisation": 45.5, "Environment": 60.0}, title="Readiness by dimension")))]),
        new_markdown_cell("## Every answer"),
        new_code_cell("table", outputs=[_html_output(display.table(frame, max_rows=rows))]),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "summary.ipynb")
    render_notebook(folder / "summary.ipynb", folder / "summary.html", title="Readiness summary",
                    subtitle="Harbour Physio Group · data as of 2026-06-30", generated_on="2026-07-01")
    return folder


def fake_chromium(bin_dir: Path, *, fail: bool = False) -> Path:
    """A stand-in ``chromium`` on PATH that records its arguments and writes a two-page PDF (or fails)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "chromium"
    body = ('echo "sandbox: cannot start" >&2; exit 21' if fail else
            'for arg in "$@"; do case "$arg" in --print-to-pdf=*) out="${arg#--print-to-pdf=}";; esac; done\n'
            'printf "%%PDF-1.4\\n1 0 obj <</Type /Pages /Count 2>> endobj\\n'
            '2 0 obj <</Type /Page>> endobj\\n3 0 obj <</Type /Page>> endobj\\n%%%%EOF\\n" > "$out"')
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{bin_dir / "args.txt"}"\n{body}\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


# ---------------------------------------------------------------- without Chromium


def test_missing_chromium_is_one_line_naming_what_to_install(tmp_path: Path, monkeypatch, capsys) -> None:
    run = small_run(tmp_path / "run")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(PipelineError, match=r"no Chromium found on PATH .*apt-get install chromium"):
        find_chromium()
    assert main(["pdf", str(run)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("readiness: error: no Chromium found") and "\n" not in err
    assert "chromium, chromium-browser, google-chrome" in err
    assert not list(run.glob("*.pdf"))


def test_a_folder_that_is_not_a_run_is_refused_before_chromium_is_looked_for(tmp_path: Path, monkeypatch,
                                                                             capsys) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "index.html").write_text("<html></html>")
    with pytest.raises(ConfigError, match=r"not a run folder \(no run.json and no summary.html\)"):
        print_pdf(tmp_path / "half")
    assert main(["pdf", str(tmp_path / "absent")]) == 2
    err = capsys.readouterr().err
    assert "absent: no such folder" in err and err.count("\n") == 1


def test_print_document_joins_both_pages_without_links_and_keeps_escaping(tmp_path: Path) -> None:
    run = small_run(tmp_path / "run", rows=3)
    pages = [(run / name).read_text(encoding="utf-8") for name in ("index.html", "summary.html")]
    doc = print_document(pages, title="AI readiness: <Harbour>")
    assert doc.count('<div class="rd-print-part">') == 2
    assert doc.index("Data quality: customers") < doc.index("Every answer")  # the index first, then the summary
    assert "href=" not in doc  # links to the analyst's files mean nothing in a PDF sent to the client
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc and "<script>" not in doc
    assert "<title>AI readiness: &lt;Harbour&gt;</title>" in doc
    assert print_css() in doc and "break-before: page" in doc
    report_style = pages[1].split("<style", 1)[1].split(">", 1)[1].split("</style>", 1)[0]
    assert doc.count(report_style) == 1  # both pages carry the same stylesheet: kept once


def test_print_rules_keep_figures_tables_and_cards_whole() -> None:
    css = print_css()
    rule = css.split("{ break-inside: avoid; }")[0].rsplit("}", 1)[-1]
    for selector in (".rd-figure", "table.rd-table", ".rd-cards", ".rd-verdict", "table.rd-table tr"):
        assert selector in rule
    from readiness.render import report_css

    assert css in report_css()  # the same rules when a report is printed from a browser


def test_count_pages_reads_page_objects_not_the_page_tree() -> None:
    pdf = b"%PDF-1.4\n<</Type /Pages /Count 3>>\n<</Type /Page>>\n<</Type/Page /Parent 1 0 R>>\n<</Type /Page>>"
    assert count_pages(pdf) == 3
    assert count_pages(b"%PDF-1.4\n") == 0


def test_chromium_is_started_offline_and_the_pdf_lands_at_out(tmp_path: Path, monkeypatch, capsys) -> None:
    run = small_run(tmp_path / "run", rows=3)
    fake_chromium(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + "/usr/bin" + os.pathsep + "/bin")
    out = tmp_path / "pdfs" / "harbour.pdf"
    assert main(["pdf", str(run), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-") and "(2 pages" in capsys.readouterr().out
    args = (tmp_path / "bin" / "args.txt").read_text().splitlines()
    for flag in ("--headless", "--no-sandbox", "--no-pdf-header-footer", "--disable-background-networking",
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-component-update", "--disable-sync"):
        assert flag in args
    assert args[-1].startswith("file://") and any(a.startswith("--user-data-dir=") for a in args)
    assert print_pdf(run).path == run / "harbour-physio-group.pdf"  # by default beside the reports


def test_a_failing_chromium_is_one_line_and_leaves_no_pdf(tmp_path: Path, monkeypatch) -> None:
    run = small_run(tmp_path / "run", rows=3)
    fake_chromium(tmp_path / "bin", fail=True)
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + "/usr/bin" + os.pathsep + "/bin")
    with pytest.raises(PipelineError, match=r"exited with status 21 and wrote no PDF \(sandbox: cannot start\)"):
        print_pdf(run, out=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- with Chromium


def _require_chromium() -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium must be installed in CI (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")


@pytest.mark.browser
def test_a_small_run_prints_to_a_pdf_of_several_pages(tmp_path: Path) -> None:
    _require_chromium()
    run = small_run(tmp_path / "run", rows=80)
    result = print_pdf(run, out=tmp_path / "small.pdf")
    data = result.path.read_bytes()
    assert data.startswith(b"%PDF-") and result.bytes == len(data)
    # the index on its own page(s), then the summary: verdict, cards, chart and an 80-row table
    assert result.pages >= 3, result.pages
    assert count_pages(data) == result.pages


@pytest.mark.slow
@pytest.mark.browser
def test_the_sample_run_prints_to_pdf(sample_report_dir: Path, tmp_path: Path) -> None:
    _require_chromium()
    result = print_pdf(sample_report_dir, out=tmp_path / "sample.pdf")
    assert result.pages >= 5 and result.bytes > 50_000
