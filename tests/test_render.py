"""Offline HTML reports and the index page: no code, no tracebacks, no external URL, data escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from readiness import __version__
from readiness.errors import PipelineError
from readiness.render import assert_offline, external_urls, render_notebook, write_index

HOSTILE = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(1)>'
# A 1x1 transparent PNG.
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


class TagCollector(HTMLParser):
    """Start tags of a page, to check which elements really exist (text content is ignored)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def tags_of(html: str) -> list[str]:
    parser = TagCollector()
    parser.feed(html)
    return parser.tags


def tagged(cell, *tags: str):
    cell.metadata["tags"] = list(tags)
    return cell


def hand_made_notebook() -> nbformat.NotebookNode:
    """A notebook with outputs written by hand: each cell tests one rule of the report."""
    frame = pd.DataFrame({HOSTILE: [1, 2], "name": [HOSTILE_ATTR, "b"]})
    cells = [
        new_markdown_cell("# Data quality: customers\n\nThe **customers** table, checked column by column."),
        tagged(new_code_cell("data_path: str = 'x.csv'  # PARAMETERS_CODE"), "parameters"),
        tagged(
            new_code_cell(
                "data_path = 'INJECTED_VALUE.csv'",
                outputs=[new_output("stream", name="stdout", text="INJECTED_OUTPUT\n")],
            ),
            "injected-parameters",
        ),
        tagged(
            new_code_cell(
                "import readiness  # SETUP_CODE",
                outputs=[new_output("display_data", data={"text/plain": "HIDDEN_OUTPUT"})],
            ),
            "hide",
        ),
        new_code_cell(
            "frame  # FRAME_CODE",
            outputs=[
                new_output(
                    "execute_result",
                    execution_count=3,
                    data={"text/html": frame.to_html(), "text/plain": "frame"},
                )
            ],
        ),
        new_code_cell(
            "fig  # FIGURE_CODE",
            outputs=[new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"})],
        ),
        new_code_cell(
            "warnings.warn('x')",
            outputs=[new_output("stream", name="stderr", text="FutureWarning: /home/analyst/lib.py:3\n")],
        ),
        new_code_cell(
            "profile['customer_idx']  # FAILING_CODE",
            outputs=[
                new_output(
                    "error",
                    ename="KeyError",
                    evalue="\x1b[31m'customer_idx'\x1b[0m",
                    traceback=[
                        "\x1b[0;31m-----------------------\x1b[0m",
                        "File /home/analyst/TRACEBACK_FRAME.py:12\n  row = df.loc['jane.doe@example.com']",
                        "KeyError: 'customer_idx'",
                    ],
                )
            ],
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture
def rendered(tmp_path: Path) -> str:
    ipynb = tmp_path / "customers.ipynb"
    nbformat.write(hand_made_notebook(), ipynb)
    out = render_notebook(
        ipynb,
        tmp_path / "quality" / "customers.html",
        title="Data quality: customers",
        subtitle="Harbour Physio Group · as of 2026-06-30",
        status="failed",
        generated_on="2026-07-01",
    )
    assert out == tmp_path / "quality" / "customers.html"
    return out.read_text(encoding="utf-8")


def test_report_escapes_a_hostile_column_name_and_value(rendered: str) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<script>alert" not in rendered
    assert "script" not in tags_of(rendered)
    # The hostile value is text inside a cell, not an <img> element.
    assert tags_of(rendered).count("img") == 1  # the embedded PNG only


def test_report_loads_nothing_from_outside(rendered: str) -> None:
    assert EXTERNAL.search(rendered) is None
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", rendered)
    assert "@import" not in rendered
    assert "require.js" not in rendered and "mathjax" not in rendered.lower()
    assert f'src="data:image/png;base64,{PNG_1PX}"' in rendered


def test_report_has_no_code_and_no_hidden_or_injected_cell(rendered: str) -> None:
    for marker in ("PARAMETERS_CODE", "SETUP_CODE", "FRAME_CODE", "FIGURE_CODE", "FAILING_CODE"):
        assert marker not in rendered
    for marker in ("HIDDEN_OUTPUT", "INJECTED_VALUE", "INJECTED_OUTPUT"):
        assert marker not in rendered
    assert "In&nbsp;[" not in rendered and "Out[" not in rendered
    # The markdown is kept.
    assert "<strong>customers</strong>" in rendered


def test_report_keeps_the_error_name_and_message_but_not_the_traceback(rendered: str) -> None:
    assert "KeyError" in rendered
    assert "&#x27;customer_idx&#x27;" in rendered or "'customer_idx'" in rendered
    assert "TRACEBACK_FRAME" not in rendered
    assert "jane.doe" not in rendered
    assert "\x1b[" not in rendered
    assert "FutureWarning" not in rendered  # stderr is for the analyst's console


def test_report_header_footer_and_failed_banner(rendered: str) -> None:
    assert "<title>Data quality: customers</title>" in rendered
    assert "Harbour Physio Group · as of 2026-06-30" in rendered
    assert f"Generated by readiness {__version__} on 2026-07-01" in rendered
    assert "Incomplete report." in rendered


def test_ok_report_has_no_banner_and_rendering_is_reproducible(tmp_path: Path) -> None:
    ipynb = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("Hello")]), ipynb)
    kwargs = dict(title="T", subtitle="S", generated_on="2026-07-01")
    first = render_notebook(ipynb, tmp_path / "a.html", **kwargs).read_text(encoding="utf-8")
    second = render_notebook(ipynb, tmp_path / "b.html", **kwargs).read_text(encoding="utf-8")
    assert first == second
    assert "Incomplete report." not in first
    assert "<p>Hello</p>" in first


def test_hostile_title_and_subtitle_are_escaped(tmp_path: Path) -> None:
    ipynb = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("x")]), ipynb)
    html = render_notebook(
        ipynb, tmp_path / "n.html", title=HOSTILE, subtitle=HOSTILE_ATTR, generated_on="d"
    ).read_text(encoding="utf-8")
    assert "script" not in tags_of(html) and "img" not in tags_of(html)
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html


def test_markdown_with_an_external_image_is_refused(tmp_path: Path) -> None:
    ipynb = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("![logo](https://example.com/logo.png)")]), ipynb)
    with pytest.raises(PipelineError, match="n.html: 1 external URL.*https://example.com/logo.png"):
        render_notebook(ipynb, tmp_path / "n.html", title="T", generated_on="d")
    assert not (tmp_path / "n.html").exists()


def test_unknown_status_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="status"):
        render_notebook(
            tmp_path / "n.ipynb", tmp_path / "n.html", title="T", status="broken", generated_on="d"
        )


@pytest.mark.parametrize(
    "page",
    [
        '<script src="https://cdn.jsdelivr.net/npm/require.js"></script>',
        '<link rel="stylesheet" href="http://fonts.googleapis.com/css?family=Inter">',
        "<style>body { background: url('https://example.com/bg.png') }</style>",
        '<style>@import "https://example.com/x.css";</style>',
        '<img src="//example.com/pixel.gif">',
        '<div style="background-image: url(http://example.com/a.png)"></div>',
        '<a href="javascript:alert(1)">x</a>',
        '<img srcset="a.png 1x, https://example.com/b.png 2x">',
    ],
)
def test_assert_offline_raises_on_external_resources(page: str) -> None:
    with pytest.raises(PipelineError, match="external URL"):
        assert_offline(f"<html><head></head><body>{page}</body></html>")


def test_assert_offline_accepts_embedded_and_relative_resources() -> None:
    page = (
        '<img src="data:image/png;base64,AAAA"><a href="quality/customers.html">x</a>'
        '<a href="#findings">y</a><style>.a { background: url(data:image/svg+xml;base64,AAAA) }</style>'
        # Escaped text that merely looks like markup is not a resource.
        "<td>&lt;img src=&quot;https://example.com/x.png&quot;&gt;</td><p>see https://example.com</p>"
    )
    assert external_urls(page) == []
    assert_offline(page)


ENTRIES = [
    {
        "stage": "feasibility",
        "subject": "no_show",
        "title": "Feasibility: no-shows",
        "status": "failed",
        "verdict": None,
        "score": None,
        "findings": {"error": 0, "warning": 0, "info": 0},
        "html": "feasibility/no_show.html",
        "seconds": 12.5,
        "error": "KeyError: 'no_show' <b>in cell 7</b>",
    },
    {
        "stage": "quality",
        "subject": HOSTILE,
        "title": "Data quality: " + HOSTILE_ATTR,
        "status": "ok",
        "verdict": "needs_work",
        "score": 72.4,
        "findings": {"error": 1, "warning": 2, "info": 0},
        "html": "quality/customer list.html",
        "seconds": 3.2,
        "error": None,
    },
]


def test_write_index_links_statuses_and_escaping(tmp_path: Path) -> None:
    path = write_index(
        tmp_path,
        client="Harbour Physio Group",
        as_of="2026-06-30",
        entries=ENTRIES,
        generated_on="2026-07-01",
        run_seconds=95.3,
    )
    assert path == tmp_path / "index.html"
    html = path.read_text(encoding="utf-8")
    assert '<a href="feasibility/no_show.html">' in html
    assert '<a href="quality/customer%20list.html">' in html
    assert ">Failed</span>" in html and ">OK</span>" in html
    assert "1 of 2 reports did not finish." in html
    assert ">Needs work</span>" in html
    assert ">72.4<" in html and "width: 72%" in html
    assert "1 error" in html and "2 warnings" in html
    assert "1 min 35 s" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;in cell 7&lt;/b&gt;" in html
    assert "script" not in tags_of(html) and "img" not in tags_of(html)
    assert f"Generated by readiness {__version__} on 2026-07-01" in html
    assert EXTERNAL.search(html) is None
    # Stages follow the pipeline order, whatever the order of the entries.
    assert html.index("Data quality</h2>") < html.index("Feasibility</h2>")


def test_write_index_puts_unknown_stages_last(tmp_path: Path) -> None:
    entries = [
        {**ENTRIES[1], "stage": "extras", "subject": "a", "title": "Extras", "html": "extras.html"},
        {**ENTRIES[1], "stage": "summary", "subject": "summary", "title": "Summary", "html": "summary.html"},
        {**ENTRIES[1], "stage": "roi", "subject": "roi", "title": "Return", "html": "roi.html"},
    ]
    html = write_index(
        tmp_path, client="C", as_of="2026-06-30", entries=entries, generated_on="d", run_seconds=1.0
    ).read_text(encoding="utf-8")
    order = [html.index(f"{name}</h2>") for name in ("Return on investment", "Summary", "Extras")]
    assert order == sorted(order)


@pytest.mark.parametrize("link", ["https://example.com/r.html", "/etc/report.html", "../other/r.html"])
def test_write_index_refuses_links_outside_the_report_folder(tmp_path: Path, link: str) -> None:
    with pytest.raises(PipelineError, match="not a relative path"):
        write_index(
            tmp_path,
            client="C",
            as_of="2026-06-30",
            entries=[{**ENTRIES[1], "html": link}],
            generated_on="d",
            run_seconds=1.0,
        )


@pytest.mark.slow
def test_executed_notebook_renders_display_components_and_error(tmp_path: Path) -> None:
    """A real kernel run: components and a real exception go through the same template."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    source = (
        "import pandas as pd\n"
        "from readiness import display\n"
        f"display.table(pd.DataFrame({{{HOSTILE!r}: [1.5, None], 'flag': [True, False]}}))"
    )
    nb = new_notebook(cells=[new_code_cell(source), new_code_cell("{}['missing_key']")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    ipynb = tmp_path / "run.ipynb"
    nbformat.write(nb, ipynb)
    html = render_notebook(
        ipynb, tmp_path / "run.html", title="T", status="failed", generated_on="d"
    ).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "script" not in tags_of(html)
    assert "1.50" in html and "✓" in html and "—" in html
    assert "KeyError" in html and "missing_key" in html
    assert "Traceback" not in html and "Cell In[" not in html


def test_write_index_shows_the_readiness_scorecard_first(tmp_path: Path) -> None:
    scorecard = {
        "readiness_index": 54.46,
        "tier": "Exploring",
        "adopter_category": "Early majority",
        "dimensions": {"Technology": 60.6, HOSTILE: 45.7, "Environment": None},
        "headline": "Harbour Physio Group scores 54.5 out of 100 " + HOSTILE_ATTR,
    }
    html = write_index(
        tmp_path, client="C", as_of="2026-06-30", entries=ENTRIES, generated_on="d", run_seconds=1.0,
        scorecard=scorecard,
    ).read_text(encoding="utf-8")
    assert html.index("AI readiness</h2>") < html.index("Data quality</h2>")
    assert ">54<span" in html and ">Exploring<" in html and ">Early majority<" in html
    assert ">60.6<" in html and "width: 61%" in html and "rd-band-red" in html  # 45.7 is in the red band
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "script" not in tags_of(html)
    assert "img" not in tags_of(html)
    assert_offline(html)


def test_write_index_without_a_scorecard_has_no_readiness_section(tmp_path: Path) -> None:
    html = write_index(
        tmp_path, client="C", as_of="2026-06-30", entries=ENTRIES, generated_on="d", run_seconds=1.0,
    ).read_text(encoding="utf-8")
    assert "AI readiness</h2>" not in html


def test_write_index_scorecard_without_a_survey_says_n_a(tmp_path: Path) -> None:
    html = write_index(
        tmp_path, client="C", as_of="2026-06-30", entries=ENTRIES, generated_on="d", run_seconds=1.0,
        scorecard={"readiness_index": None, "tier": None, "adopter_category": None, "dimensions": {}},
    ).read_text(encoding="utf-8")
    assert "AI readiness</h2>" in html and html.count(">n/a<") == 3


def test_failed_banner_shows_the_one_line_error_escaped(tmp_path: Path) -> None:
    ipynb = tmp_path / "t.ipynb"
    nbformat.write(hand_made_notebook(), ipynb)
    html = render_notebook(ipynb, tmp_path / "t.html", title="T", status="failed",
                           error="KeyError: '<b>visit_id</b>'", generated_on="d").read_text(encoding="utf-8")
    banner = html[html.index('class="rd-banner"'):]
    banner = banner[: banner.index("</div>")]
    assert "KeyError: '&lt;b&gt;visit_id&lt;/b&gt;'" in banner
    assert "<b>visit_id" not in html
    ok = render_notebook(ipynb, tmp_path / "ok.html", title="T", generated_on="d").read_text(encoding="utf-8")
    assert 'class="rd-banner"' not in ok
