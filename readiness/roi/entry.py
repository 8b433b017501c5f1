"""The ROI notebook in one call: parameters in, the report out, with what was assumed.

:func:`assess_from_params` values the ``use_cases`` given, or, when there are none, those of the
engagement file at ``data_path``, and records each choice made for the analyst (where the use
cases came from, and that there are no feasibility results).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.errors import ConfigError
from readiness.params import Assumption, note_assumptions
from readiness.roi.evidence import P_SUCCESS_WITHOUT_EVIDENCE
from readiness.roi.params import RoiParams
from readiness.roi.portfolio import assess_roi
from readiness.roi.report import RoiReport

__all__ = ["assess_from_params", "engagement_use_cases"]

# keys of an engagement's use case that the engagement itself reads; the ROI stage never sees them
ENGAGEMENT_ONLY_KEYS = frozenset({"table", "target", "engine"})


def engagement_use_cases(data_path: str | Path) -> tuple[list[Any], Path]:
    """The ``use_cases:`` of an engagement YAML (or a YAML whose top level is a list of use cases).

    Each use case keeps ``id``, ``title`` and every other key (benefit, value, costs, p_success,
    feasibility ...) as the pipeline passes them to the ROI notebook; the keys only the engagement
    reads (table, target, engine) are left out. A relative path is read from the working folder,
    else from the project folder.

    Returns
    -------
    tuple
        The use cases and the path read.

    Raises
    ------
    ConfigError
        The file is missing or cannot be read as YAML, or holds no use cases.
    """
    import yaml

    from readiness.tables import resolve_input_path

    where = f"ROI parameter `data_path` ('{data_path}')"
    if not str(data_path).strip():
        raise ConfigError("ROI parameters `use_cases` and `data_path` are both empty; give -p data_path "
                          "ENGAGEMENT.yaml, or -y \"use_cases: [...]\".")
    path = resolve_input_path(data_path)
    if not path.is_file():
        raise ConfigError(f"{where}: no such file; give the engagement YAML whose use cases to value, or -y "
                          "\"use_cases: [...]\".")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{where}: {path.name} cannot be read as YAML ({exc.__class__.__name__}); save it as "
                          "UTF-8 YAML with a `use_cases:` list.") from None
    cases = data.get("use_cases") if isinstance(data, dict) else data
    if not isinstance(cases, list) or not cases:
        raise ConfigError(f"{where}: {path.name} holds no use cases; add a `use_cases:` list with one entry per "
                          "use case (id, title, benefit or value, costs), or give -y \"use_cases: [...]\".")
    return [_as_roi_case(case) for case in cases], path


def _as_roi_case(case: Any) -> Any:
    if not isinstance(case, dict):
        return case  # the ROI stage names it as use_cases[i]
    return {str(k): v for k, v in case.items() if k not in ENGAGEMENT_ONLY_KEYS}


def assess_from_params(params: RoiParams) -> RoiReport:
    """Run the ROI stage as the notebook does.

    Parameters
    ----------
    params : RoiParams
        The notebook's parameters; empty ``use_cases`` means those of the engagement file at
        ``data_path``.

    Returns
    -------
    RoiReport
        With ``assumed`` listing every choice made for the analyst.

    Raises
    ------
    ConfigError
        The engagement file cannot be read or holds no use cases; a parameter or a given input
        is invalid.

    Examples
    --------
    >>> report = assess_from_params(RoiParams(draws=200))
    >>> [a.value for a in report.assumed]
    ['4 from engagement.yaml', 'none']
    >>> report.result.metrics["verdicts"]["no_show"]
    'not_valued'
    """
    assumed = []
    cases: list[Any] = list(params.use_cases)
    if not cases:
        cases, path = engagement_use_cases(params.data_path)
        assumed.append(Assumption("use_cases", f"{len(cases)} from {path.name}",
                                  "no use_cases given, so those of the engagement file are valued",
                                  "-y \"use_cases: [...]\" or -p data_path ENGAGEMENT"))
    if not params.feasibility_dir:
        assumed.append(Assumption("feasibility_dir", "none", "no feasibility results: model-based use cases are not "
                                  f"valued and P(success) is {P_SUCCESS_WITHOUT_EVIDENCE:.0%} unless given",
                                  "-p feasibility_dir REPORTS/feasibility"))
    report = assess_roi(cases, feasibility_dir=params.feasibility_dir, horizon_years=params.horizon_years,
                        discount_rate=params.discount_rate, currency=params.currency, draws=params.draws,
                        seed=params.seed)
    return note_assumptions(report, assumed)
