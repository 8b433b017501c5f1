"""Guards for what leaves the suite: masked notebook outputs.

An executed notebook keeps the full traceback of a failure so the analyst can debug it, but a
traceback or a printed line can quote the data (``ValueError: bad value jane@example.com``).
:func:`mask_notebook_outputs` rewrites an executed notebook so that every e-mail address, phone
number and card-like number in its error and stream outputs is replaced by its mask;
:func:`scrub_output_text` is the same masking for one piece of text (e.g. the one-line error a
failed notebook gives the pipeline).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat

from readiness.privacy import safe_text

# 13 to 19 digits, optionally grouped by single spaces or dashes: the length of payment card numbers.
CARD_RE = re.compile(r"(?<![\w*])\d(?:[ -]?\d){12,18}(?![\w*])", re.ASCII)
# Colour and cursor codes that IPython writes into tracebacks.
_ANSI_RE = re.compile(r"(\x1b\[[0-9;?]*[A-Za-z])")


def mask_card_numbers(text: str) -> str:
    """Hide every digit but the last four of each card-like number (13 to 19 digits).

    Examples
    --------
    >>> mask_card_numbers("paid with 4111 1111 1111 1111 today")
    'paid with **** **** **** 1111 today'
    """

    def mask(match: re.Match[str]) -> str:
        number = match.group(0)
        digits = [i for i, ch in enumerate(number) if ch.isdigit()]
        hidden = set(digits[:-4])
        return "".join("*" if i in hidden else ch for i, ch in enumerate(number))

    return CARD_RE.sub(mask, text)


def _scrub_plain(text: str) -> str:
    # cards keep their last four digits here (a traceback reader may need them); then every other
    # personal value goes through the one gate every report uses
    return safe_text(mask_card_numbers(text))


def scrub_output_text(text: Any) -> str:
    """Mask every e-mail address, phone number and card-like number in ``text``.

    Terminal colour codes are kept; a value cut in two by a colour code is still found (the line
    then loses its colours).

    Parameters
    ----------
    text : Any
        A traceback line, an error message or printed output; None gives ``""``.

    Returns
    -------
    str
        The text with each personal value replaced by its mask (``j***@e***.com``).

    Examples
    --------
    >>> scrub_output_text("ValueError: bad value jane.doe@example.com at +353 87 555 1234")
    'ValueError: bad value j***@e***.com at +*** ** *** **34'
    """
    if text is None:
        return ""
    text = str(text)
    parts = _ANSI_RE.split(text)
    joined = "".join(part if i % 2 else _scrub_plain(part) for i, part in enumerate(parts))
    plain = _ANSI_RE.sub("", joined)
    scrubbed = _scrub_plain(plain)
    return scrubbed if scrubbed != plain else joined


def _scrub_output(output: Any) -> bool:
    """Mask one notebook output in place; True if anything changed."""
    changed = False
    if output.get("output_type") == "error":
        for key in ("ename", "evalue"):
            if isinstance(output.get(key), str):
                new = scrub_output_text(output[key])
                changed |= new != output[key]
                output[key] = new
        lines = list(output.get("traceback") or [])
        masked = [scrub_output_text(line) for line in lines]
        changed |= masked != lines
        output["traceback"] = masked
    elif output.get("output_type") == "stream":
        text = output.get("text") or ""
        text = "".join(text) if isinstance(text, list) else str(text)
        new = scrub_output_text(text)
        changed |= new != text
        output["text"] = new
    return changed


def mask_notebook_outputs(path: str | Path) -> int:
    """Mask personal values in the error and stream outputs of an executed notebook, in place.

    Parameters
    ----------
    path : str or Path
        An executed ``.ipynb`` (e.g. papermill's output, complete or partial).

    Returns
    -------
    int
        How many outputs were changed; the file is rewritten only when this is above 0.

    Raises
    ------
    OSError, ValueError
        If the notebook cannot be read as JSON (``nbformat`` raises a ``ValueError`` subclass).
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    changed = sum(
        _scrub_output(output) for cell in nb.cells if cell.get("cell_type") == "code" for output in cell.outputs
    )
    if changed:
        nbformat.write(nb, path)
    return changed


__all__ = [
    "CARD_RE",
    "mask_card_numbers",
    "mask_notebook_outputs",
    "scrub_output_text",
]
