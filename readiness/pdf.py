"""Print a run's index page and summary report to one PDF with headless Chromium.

``readiness pdf REPORT_DIR`` joins the two pages of a run folder into one print document (the
index first, the summary from a new page), with the reports' own stylesheet and its print rules
(figures, cards, verdict boxes and table rows are never split across pages), and has Chromium
print it. Chromium is started with no network: host names resolve to nothing, a proxy that goes
nowhere, and background fetches (updates, sync, safe browsing) switched off; the reports are
self-contained anyway (:func:`readiness.render.assert_offline`). Links are printed as plain text:
in a PDF sent to a client they would point at files on the analyst's machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from readiness.errors import ConfigError, PipelineError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
"""Executables looked for on ``PATH``, in this order."""
PRINTED_PAGES = ("index.html", "summary.html")
"""The pages of a run folder that are printed, in this order."""
INSTALL_HINT = "install it (Debian: apt-get install chromium) or put chromium on PATH"
TIMEOUT_S = 180.0

# Options that keep Chromium from reaching the network or starting background work.
_OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",  # root in a container has no user namespace for the sandbox
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--no-pdf-header-footer",
)
# Between the two pages of the print document; the break rules themselves are in templates/css/base.css.
_PRINT_CSS = """
.rd-print-part + .rd-print-part { break-before: page; }
@media print { .rd-print-part .rd-page { margin: 0; } }
"""
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"(<a\b[^>]*?)\s+href\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


@dataclass(frozen=True)
class PdfResult:
    """A printed PDF: where it is, how many pages and bytes it has, and how long printing took."""

    path: Path
    pages: int
    bytes: int
    seconds: float


def find_chromium(path: str | None = None) -> Path:
    """The Chromium executable on ``PATH`` (``chromium``, ``chromium-browser`` or ``google-chrome``).

    Parameters
    ----------
    path : str, optional
        The search path to use instead of the ``PATH`` environment variable.

    Returns
    -------
    Path

    Raises
    ------
    PipelineError
        No Chromium was found, with what to install.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=path)
        if found:
            return Path(found)
    raise PipelineError(f"no Chromium found on PATH (looked for {', '.join(CHROMIUM_NAMES)}); {INSTALL_HINT} to "
                        "print reports to PDF")


def check_run_folder(report_dir: str | Path) -> Path:
    """The run folder, checked to hold ``run.json`` and the pages :data:`PRINTED_PAGES` names.

    Raises
    ------
    ConfigError
        The folder does not exist or is not a run folder, naming what is missing.
    """
    folder = Path(report_dir)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder; give a run folder written by `readiness run`, e.g. "
                          "reports/<client-slug>")
    missing = [name for name in ("run.json", *PRINTED_PAGES) if not (folder / name).is_file()]
    if missing:
        raise ConfigError(f"{folder}: not a run folder (no {' and no '.join(missing)}); give the folder "
                          "`readiness run` wrote, e.g. reports/<client-slug>")
    return folder


def _client(folder: Path) -> tuple[str, str]:
    """The client's name and slug, from ``run.json`` (the folder's name when it names none)."""
    try:
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{folder / 'run.json'}: cannot be read ({type(exc).__name__}); run `readiness run` "
                          "again to write it") from None
    record = record if isinstance(record, dict) else {}
    slug = str(record.get("slug") or folder.name)
    return str(record.get("client") or slug), slug


def print_css() -> str:
    """The reports' print rules (``templates/css/print.css``): page size, zoom, and what never breaks across pages."""
    from readiness.resources import PACKAGE_DIR  # not readiness.render: printing needs no nbconvert

    return (PACKAGE_DIR / "templates" / "css" / "print.css").read_text(encoding="utf-8")


def print_document(pages: list[str], *, title: str) -> str:
    """One HTML document holding the given report pages one after the other, each from a new page.

    Each page's body is kept as it is, links turned into plain text; every stylesheet of the pages
    is kept once, in order, followed by today's print rules (``templates/css/print.css``), so a run
    rendered by an earlier version prints as well as a new one.

    Parameters
    ----------
    pages : list of str
        Whole HTML pages written by :mod:`readiness.render`.
    title : str
        The document's title (the PDF's title).

    Returns
    -------
    str
    """
    from html import escape

    styles: list[str] = []
    parts = []
    for page in pages:
        for css in _STYLE.findall(page):
            if css not in styles:
                styles.append(css)
        body = _BODY.search(page)
        inner = body.group(1) if body else page
        parts.append(f'<div class="rd-print-part">{_unlinked(inner)}</div>')
    style = "\n".join(f"<style>{css}</style>" for css in [*styles, print_css(), _PRINT_CSS])
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f'{style}\n</head>\n<body class="rd-print">\n{"".join(parts)}\n</body>\n</html>\n')


def _unlinked(html: str) -> str:
    """``html`` with every link's ``href`` removed: the text and its styling stay, the target goes."""
    return _HREF.sub(r"\1", html)


def count_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF as Chromium writes it (uncompressed page dictionaries)."""
    return len(_PAGE_OBJECT.findall(pdf))


def print_pdf(report_dir: str | Path, *, out: str | Path | None = None, chromium: str | Path | None = None,
              timeout: float = TIMEOUT_S) -> PdfResult:
    """Print a run folder's index page and summary report to one PDF with headless Chromium.

    Parameters
    ----------
    report_dir : path
        A run folder written by ``readiness run`` (``run.json``, ``index.html``, ``summary.html``).
    out : path, optional
        The PDF to write; by default ``<report_dir>/<client-slug>.pdf``. Parent folders are created;
        an existing file is replaced only once the new one is complete.
    chromium : path, optional
        The Chromium executable; by default the first of :data:`CHROMIUM_NAMES` on ``PATH``.
    timeout : float
        Seconds Chromium may take.

    Returns
    -------
    PdfResult

    Raises
    ------
    ConfigError
        ``report_dir`` is not a run folder.
    PipelineError
        Chromium is not installed, fails, or writes no PDF.

    Examples
    --------
    >>> result = print_pdf("reports/harbour-physio-group")  # doctest: +SKIP
    >>> result.pages >= 2  # doctest: +SKIP
    True
    """
    started = time.perf_counter()
    folder = check_run_folder(report_dir)
    browser = Path(chromium) if chromium else find_chromium()
    client, slug = _client(folder)
    target = Path(out) if out else folder / f"{slug}.pdf"
    pages = [(folder / name).read_text(encoding="utf-8") for name in PRINTED_PAGES]
    document = print_document(pages, title=f"AI readiness: {client}")
    with tempfile.TemporaryDirectory(prefix="readiness-pdf-") as tmp:
        work = Path(tmp)
        source = work / "print.html"
        source.write_text(document, encoding="utf-8")
        printed = work / "print.pdf"
        _run_chromium(browser, source, printed, profile=work / "profile", timeout=timeout)
        data = printed.read_bytes()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            partial.write_bytes(data)
            partial.replace(target)
        except OSError as exc:
            raise PipelineError(f"{target}: cannot write the PDF ({exc.strerror}); choose another --out") from None
    return PdfResult(path=target, pages=count_pages(data), bytes=len(data), seconds=time.perf_counter() - started)


def _run_chromium(browser: Path, source: Path, printed: Path, *, profile: Path, timeout: float) -> None:
    command = [str(browser), *_OFFLINE_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={printed}",
               source.as_uri()]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise PipelineError(f"{browser}: Chromium did not finish printing within {timeout:.0f} s; try again, or "
                            "open summary.html in a browser and print it from there") from None
    except OSError as exc:
        raise PipelineError(f"{browser}: cannot start Chromium ({exc.strerror}); {INSTALL_HINT}") from None
    ok = proc.returncode == 0 and printed.is_file() and printed.read_bytes()[:5] == b"%PDF-"
    if not ok:
        lines = [line for line in (proc.stderr or "").splitlines() if line.strip()]
        last = lines[-1][:200] if lines else "no message"
        raise PipelineError(f"{browser}: Chromium exited with status {proc.returncode} and wrote no PDF ({last}); "
                            "check that it runs headless (chromium --headless --version)")


__all__ = ["CHROMIUM_NAMES", "PRINTED_PAGES", "PdfResult", "check_run_folder", "count_pages", "find_chromium",
           "print_css", "print_document", "print_pdf"]
