"""Run the progress notebook in this process, without a kernel (``readiness compare`` and ``run --baseline``).

The progress notebook only reads JSON files, builds tables and draws two charts: on a kernel, most
of its time would be the kernel's start and imports. :func:`execute_in_process` executes the same
notebook file cell by cell in the calling process and writes the same executed notebook papermill
would (parameters injected after the ``parameters`` cell, each cell's last expression as its rich
output), which :func:`readiness.render.render_notebook` turns into the report like any other.
"""

from __future__ import annotations

import ast
import io
import json
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from readiness.hardening import mask_notebook_outputs, scrub_output_text
from readiness.params import python_literal


def execute_in_process(notebook: Path, parameters: dict[str, Any], out_ipynb: Path) -> tuple[str, float, str | None]:
    """Execute ``notebook`` with ``parameters`` here and write the executed copy to ``out_ipynb``.

    The parameters are injected as a cell tagged ``injected-parameters`` after the ``parameters``
    cell; each cell's last expression becomes its ``execute_result`` (HTML included) and what it
    prints a stream; the first exception stops the notebook and is kept as an error output (name
    and message, no traceback). The written notebook's outputs are masked like a kernel-run one's.

    Returns
    -------
    (str, float, str or None)
        ``("ok" | "failed", seconds, one-line error or None)``, as
        :func:`readiness.notebooks.execute_job` returns them.
    """
    from IPython.core.formatters import DisplayFormatter

    started = time.perf_counter()
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    cells = nb["cells"]
    at = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    source = "# Parameters\n" + "\n".join(f"{k} = {python_literal(v)}" for k, v in parameters.items())
    cells.insert(at + 1, {"cell_type": "code", "execution_count": None, "id": "injected-parameters",
                          "metadata": {"tags": ["injected-parameters"]}, "outputs": [], "source": source})
    namespace: dict[str, Any] = {"__name__": "__main__"}
    formatter, status, error = DisplayFormatter(), "ok", None
    for count, cell in enumerate((c for c in cells if c["cell_type"] == "code"), start=1):
        cell["execution_count"], printed = count, io.StringIO()
        try:
            with redirect_stdout(printed):
                value = _run_cell("".join(cell["source"]), namespace, count)
        except Exception as exc:  # a failing cell stops the notebook, as on a kernel
            cell["outputs"] = [*_stream(printed), {"output_type": "error", "ename": type(exc).__name__,
                                                   "evalue": str(exc), "traceback": []}]
            status, error = "failed", f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
            break
        cell["outputs"] = _stream(printed)
        if value is not None:
            data, metadata = formatter.format(value)
            cell["outputs"].append({"output_type": "execute_result", "execution_count": count, "data": data,
                                    "metadata": metadata})
    out_ipynb = Path(out_ipynb)
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    out_ipynb.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    mask_notebook_outputs(out_ipynb)
    return status, time.perf_counter() - started, None if error is None else scrub_output_text(error)


def _run_cell(source: str, namespace: dict[str, Any], count: int) -> Any:
    """Execute a cell's statements; return the value of its last expression (None when it ends otherwise)."""
    code = ast.parse(source)
    last = code.body.pop() if code.body and isinstance(code.body[-1], ast.Expr) else None
    exec(compile(code, f"<cell {count}>", "exec"), namespace)  # our own notebook's code
    return None if last is None else eval(compile(ast.Expression(last.value), f"<cell {count}>", "eval"), namespace)


def _stream(printed: io.StringIO) -> list[dict[str, Any]]:
    text = printed.getvalue()
    return [{"output_type": "stream", "name": "stdout", "text": text}] if text else []
