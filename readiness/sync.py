"""Keep the notebooks' parameters cells and the README's parameter tables in step with the stage models.

``python -m readiness.sync`` rewrites the first cell tagged ``parameters`` of each stage notebook
from its model (:meth:`readiness.params.NotebookParams.parameters_cell`) and the README's tables
between ``<!-- parameters:STAGE -->`` markers (:meth:`~readiness.params.NotebookParams.markdown_table`).
The stages and their models are read from the registry in :mod:`readiness.planning`, plus the
notebooks that compare runs (:func:`comparison_models`: the progress report).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from readiness.params import NotebookParams
from readiness.resources import CHECKOUT_DIR

_README_BEGIN = "<!-- {name} -->"
_README_END = "<!-- /{name} -->"


def stage_models() -> dict[str, type[NotebookParams]]:
    """Every stage's parameter model, by stage name (the registry's order)."""
    from readiness.planning import STAGES

    return {name: stage.params for name, stage in STAGES.items()}


def comparison_models() -> dict[str, type[NotebookParams]]:
    """Models of notebooks that compare runs rather than being planned from an engagement (the progress report)."""
    from readiness.progress.params import ProgressParams

    return {"progress": ProgressParams}


def notebook_parameters_source(path: Path) -> str:
    """The source of the first cell tagged ``parameters`` in a notebook file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            return "".join(source) if isinstance(source, list) else source
    raise ValueError(f"{path.name} has no cell tagged 'parameters'")


def write_parameters_cell(path: Path, source: str) -> bool:
    """Replace the notebook's parameters cell by ``source``; returns True when the file changed."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            lines = source.splitlines(keepends=True)
            if cell["source"] == lines:
                return False
            cell["source"] = lines
            break
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def readme_section(text: str, name: str) -> str | None:
    """The generated section ``name`` (``parameters:quality``, ``findings:roi``) of the README, or None when absent."""
    begin, end = _README_BEGIN.format(name=name), _README_END.format(name=name)
    if begin not in text or end not in text:
        return None
    return text.split(begin, 1)[1].split(end, 1)[0].strip("\n")


def with_readme_section(text: str, name: str, table: str) -> str:
    """The README text with its generated section ``name`` replaced by ``table``."""
    begin, end = _README_BEGIN.format(name=name), _README_END.format(name=name)
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{table}\n{end}{tail}"


def findings_table(stage: str) -> str:
    """The catalogued finding codes of one stage as a Markdown table for the README."""
    from readiness.findings import CATALOGUE

    rows = ["| code | severity | meaning |", "|---|---|---|"]
    for c in CATALOGUE.values():
        if c.stage == stage:
            meaning = c.meaning.replace("|", "\\|")
            rows.append(f"| `{c.code}` | {' / '.join(c.severities)} | {meaning} |")
    return "\n".join(rows)


def sync(root: Path = CHECKOUT_DIR) -> list[str]:
    """Rewrite every notebook's parameters cell and the README's parameter tables from the models."""
    changed = []
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    for name, model in {**stage_models(), **comparison_models()}.items():
        if write_parameters_cell(root / "notebooks" / model.notebook, model.parameters_cell()):
            changed.append(model.notebook)
        if readme_section(text, f"parameters:{name}") is not None:
            text = with_readme_section(text, f"parameters:{name}", model.markdown_table())
        if readme_section(text, f"findings:{name}") is not None:
            text = with_readme_section(text, f"findings:{name}", findings_table(name))
    if text != readme.read_text(encoding="utf-8"):
        readme.write_text(text, encoding="utf-8")
        changed.append("README.md")
    return changed


if __name__ == "__main__":  # python -m readiness.sync: bring notebooks and README in step with the models
    for item in sync():
        print(f"updated {item}")
    sys.exit(0)
