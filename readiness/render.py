"""Offline HTML for the client: executed notebooks without code, and the index page.

A report is opened at a client site with no network, so nothing in it may be fetched from
elsewhere: no CDN script, stylesheet or font. :func:`assert_offline` checks that on every page
written here, after the templates have already left such things out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import nbformat
from markupsafe import Markup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets.config import Config

from readiness import __version__
from readiness.display import verdict_word
from readiness.errors import PipelineError

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSS_FILES = ("components.css", "base.css", "print.css")

# Cells left out of a report entirely, outputs included: setup code, the parameters papermill
# injects, and papermill's own error markers (the report shows its own banner instead).
REMOVED_CELL_TAGS = frozenset({"hide", "injected-parameters", "papermill-error-cell-tag"})

STAGE_ORDER = ("quality", "feasibility", "ethics", "roi", "summary", "progress")
STAGE_TITLES = {
    "quality": "Data quality",
    "feasibility": "Feasibility",
    "ethics": "Ethics and compliance",
    "roi": "Return on investment",
    "summary": "Summary",
    "progress": "Progress since the last assessment",
}
# Badge colours of verdicts the stylesheet does not name: the progress report's directions.
VERDICT_BADGES = {"improved": "green", "unchanged": "amber", "mixed": "amber", "worse": "red"}
STATUSES = ("ok", "failed")

# Attributes whose value the browser fetches or navigates to.
_URL_ATTRIBUTES = frozenset(
    {"src", "href", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href"}
)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\(\s*)?['\"]?([^'\")\s;]+)", re.IGNORECASE)
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def report_css() -> str:
    """The stylesheet inlined in every report and in the index page.

    Returns
    -------
    str
        The content of ``templates/css/components.css``, ``base.css`` and ``print.css``, in that order.
    """
    return "\n".join((TEMPLATES_DIR / "css" / name).read_text(encoding="utf-8") for name in CSS_FILES)


def _is_local(url: str, *, allow_data: bool) -> bool:
    """True when ``url`` points inside the page or next to it (relative path, ``#anchor``)."""
    url = url.strip()
    if url.startswith("//") or url.startswith("\\\\"):
        return False
    scheme = _SCHEME.match(url)
    if scheme is None:
        return True
    return allow_data and scheme.group(1).lower() == "data"


class _UrlCollector(HTMLParser):
    """Collects every URL an HTML page would load or link to, with where it was found."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRIBUTES:
                # srcset is "url 1x, url 2x": the URL is the first word of each item.
                urls = [p.split()[0] for p in value.split(",") if p.strip()] if name == "srcset" else [value]
                self.found += [(f"<{tag} {name}=>", url) for url in urls]
            elif name == "style":
                self._collect_css(value, f"<{tag} style=>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._collect_css(data, "<style>")

    def _collect_css(self, css: str, where: str) -> None:
        self.found += [(f"{where} url()", m.group(2)) for m in _CSS_URL.finditer(css)]
        self.found += [(f"{where} @import", m.group(1)) for m in _CSS_IMPORT.finditer(css)]


def external_urls(html: str) -> list[tuple[str, str]]:
    """Every URL in ``html`` that is not local to the page.

    ``data:`` URLs are local (embedded images); relative paths and ``#anchors`` are local;
    anything with another scheme (``https:``, ``file:``, ``javascript:``) or starting with ``//``
    is not. Text content is ignored, so an escaped value that merely looks like a URL is fine.

    Parameters
    ----------
    html : str
        A whole HTML page.

    Returns
    -------
    list of (str, str)
        ``(where, url)`` pairs, e.g. ``("<script src=>", "https://cdn.example/require.js")``.
    """
    collector = _UrlCollector()
    collector.feed(html)
    collector.close()
    return [
        (where, url)
        for where, url in collector.found
        if not _is_local(url, allow_data=not where.startswith("<a "))
    ]


def assert_offline(html: str, *, name: str = "page") -> None:
    """Raise if ``html`` would fetch or link to anything outside the report folder.

    Parameters
    ----------
    html : str
        A whole HTML page.
    name : str
        How to name the page in the error message (usually its file name).

    Raises
    ------
    PipelineError
        Naming the first few offending URLs and where they were found.

    Examples
    --------
    >>> assert_offline('<img src="data:image/png;base64,AAAA"><a href="quality/customers.html">x</a>')
    >>> assert_offline('<script src="https://cdn.example/x.js"></script>')
    Traceback (most recent call last):
    ...
    readiness.errors.PipelineError: page: 1 external URL(s) ...
    """
    bad = external_urls(html)
    if bad:
        shown = "; ".join(f"{where} {url[:80]!r}" for where, url in bad[:5])
        raise PipelineError(
            f"{name}: {len(bad)} external URL(s) found ({shown}); reports must open offline, so "
            "embed the resource (data: URL) or write the address as plain text instead of a link"
        )


def _exporter() -> HTMLExporter:
    # No code is shown, so the syntax-highlighting stylesheet the lab template inlines is dead weight.
    config = Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}})
    exporter = HTMLExporter(
        config=config,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name="offline",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(REMOVED_CELL_TAGS), enabled=True), enabled=True
    )
    return exporter


def render_notebook(
    ipynb_path: Path,
    html_path: Path,
    *,
    title: str,
    subtitle: str = "",
    status: str = "ok",
    error: str | None = None,
    generated_on: str,
) -> Path:
    """Convert an executed notebook into a self-contained HTML report without code.

    Cells tagged ``hide`` or ``injected-parameters`` (and papermill's error-marker cells) are
    dropped with their outputs; error outputs keep their name and message but lose the
    traceback; stderr streams and JavaScript outputs are dropped.

    Parameters
    ----------
    ipynb_path : Path
        The executed notebook (papermill output), possibly partial if it failed.
    html_path : Path
        Where to write the HTML; parent folders are created.
    title : str
        Page ``<title>`` and header, e.g. ``"Data quality: customers"``.
    subtitle : str
        Second header line, e.g. ``"Harbour Physio Group · as of 2026-06-30"``.
    status : {"ok", "failed"}
        ``"failed"`` adds a red banner saying the report is incomplete.
    error : str, optional
        With ``"failed"``: the one-line error (already masked), shown in the banner.
    generated_on : str
        Date shown in the footer; passed in so that runs are reproducible.

    Returns
    -------
    Path
        ``html_path``.

    Raises
    ------
    ValueError
        If ``status`` is not ``"ok"`` or ``"failed"``.
    PipelineError
        If the rendered page still refers to an external URL (e.g. a link in a markdown cell).
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
    ipynb_path, html_path = Path(ipynb_path), Path(html_path)
    nb = nbformat.read(ipynb_path, as_version=4)
    nb.metadata["title"] = title
    resources: dict[str, Any] = {
        "readiness": {
            "title": title,
            "subtitle": subtitle,
            "status": status,
            "error": error or "",
            "generated_on": generated_on,
            "version": __version__,
            "css": report_css(),
        }
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    assert_offline(body, name=str(html_path))
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def _score_band(score: float) -> str:
    """Colour band of a 0-100 score, the same cut-offs as the charts."""
    if score < 60:
        return "red"
    return "amber" if score < 85 else "green"


def _relative_link(link: str | Path | None) -> str | None:
    """A percent-encoded relative link, refusing anything that would leave the report folder."""
    if not link:
        return None
    text = str(link).replace("\\", "/")
    if text.startswith("/") or _SCHEME.match(text) or ".." in text.split("/"):
        raise PipelineError(
            f"index.html: report link {text!r} is not a relative path inside the report folder; "
            "pass the report's path relative to the output folder, e.g. 'quality/customers.html'"
        )
    return quote(text)


def _index_row(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry with the derived values the template shows (words, bands, quoted link)."""
    score = entry.get("score")
    score = None if score is None else max(0.0, min(100.0, float(score)))
    verdict = entry.get("verdict")
    findings = {s: int((entry.get("findings") or {}).get(s, 0) or 0) for s in ("error", "warning", "info")}
    return {
        **entry,
        "title": entry.get("title") or entry.get("subject") or "",
        "subject": entry.get("subject") or "",
        "error": entry.get("error"),
        "status": entry.get("status") if entry.get("status") in STATUSES else "failed",
        "score": score,
        "band": None if score is None else _score_band(score),
        "verdict_word": verdict_word(verdict) if verdict else None,
        "badge": VERDICT_BADGES.get(str(verdict), verdict),
        "findings": findings,
        "href": _relative_link(entry.get("html")),
        "seconds": entry.get("seconds"),
    }


def _group_by_stage(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries grouped by stage, known stages in pipeline order, unknown ones after, by name."""
    stages = sorted(
        {str(e.get("stage", "")) for e in entries},
        key=lambda s: (STAGE_ORDER.index(s) if s in STAGE_ORDER else len(STAGE_ORDER), s),
    )
    return [
        {
            "stage": stage,
            "title": STAGE_TITLES.get(stage, stage.replace("_", " ").capitalize() or "Other"),
            "rows": [_index_row(e) for e in entries if str(e.get("stage", "")) == stage],
        }
        for stage in stages
    ]


def _scorecard_view(scorecard: dict[str, Any] | None) -> dict[str, Any] | None:
    """The readiness scorecard with scores clamped to 0-100 and their colour bands."""
    if not scorecard:
        return None

    def scored(value: Any) -> dict[str, Any]:
        score = None if value is None else max(0.0, min(100.0, float(value)))
        return {"score": score, "band": None if score is None else _score_band(score)}

    return {
        **scored(scorecard.get("readiness_index")),
        "tier": scorecard.get("tier"),
        "adopter_category": scorecard.get("adopter_category"),
        "headline": scorecard.get("headline"),
        "dimensions": [{"name": str(name), **scored(value)}
                       for name, value in (scorecard.get("dimensions") or {}).items()],
    }


def _progress_view(progress: dict[str, Any] | None) -> dict[str, Any] | None:
    """The progress box: the verdict in words and colour, the link checked to stay inside the folder."""
    if not progress:
        return None
    verdict = str(progress.get("verdict") or "incomplete")
    return {**progress, "verdict_word": verdict_word(verdict), "badge": VERDICT_BADGES.get(verdict, verdict),
            "href": _relative_link(progress.get("href"))}


def write_index(
    out_dir: Path,
    *,
    client: str,
    as_of: str,
    entries: list[dict[str, Any]],
    generated_on: str,
    run_seconds: float,
    scorecard: dict[str, Any] | None = None,
    progress: dict[str, Any] | None = None,
) -> Path:
    """Write ``out_dir/index.html``: a scorecard of every report with links to each.

    Parameters
    ----------
    out_dir : Path
        The run's output folder; report links are relative to it.
    client : str
        Client name for the header.
    as_of : str
        The date the assessment is judged against.
    entries : list of dict
        One per report: ``stage``, ``subject``, ``title``, ``status`` (``"ok"``/``"failed"``),
        ``verdict``, ``score`` (0-100 or None), ``findings`` (counts by severity), ``html``
        (path relative to ``out_dir``), ``seconds`` and ``error`` (message or None).
    generated_on : str
        Date shown in the footer.
    run_seconds : float
        Wall time of the whole run.
    scorecard : dict, optional
        The readiness scorecard shown above the reports (see
        ``readiness.scorecard.index_scorecard``): ``readiness_index`` (0-100 or None), ``tier``,
        ``adopter_category``, ``dimensions`` (name -> score or None) and ``headline``.
    progress : dict, optional
        The comparison with an earlier run (see ``readiness.progress.index_progress``): ``href``
        (the progress report, relative), ``verdict``, ``headline``, ``since`` (the earlier run's
        date), ``resolved``, ``new``, ``still_open``, ``index_before`` and ``index_after``.

    Returns
    -------
    Path
        The written ``index.html``.

    Raises
    ------
    PipelineError
        If an entry's link is not a relative path inside the report folder.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    groups = _group_by_stage(entries)
    html = env.get_template("index.html.j2").render(
        client=client,
        as_of=as_of,
        groups=groups,
        n_reports=len(entries),
        n_failed=sum(1 for g in groups for r in g["rows"] if r["status"] == "failed"),
        generated_on=generated_on,
        run_seconds=run_seconds,
        scorecard=_scorecard_view(scorecard),
        progress=_progress_view(progress),
        version=__version__,
        css=Markup(report_css()),
    )
    out_dir = Path(out_dir)
    assert_offline(html, name=str(out_dir / "index.html"))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
