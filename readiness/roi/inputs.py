"""Validated cost and benefit inputs of each use case, as the ROI notebook receives them.

Each use case is a plain dict (the engagement's use case, passed through as a notebook
parameter). The keys read here:

``benefit``
    ``shape`` (``model_decisions`` | ``time_saved`` | ``revenue``), ``ramp_months`` (months to
    reach full use, 0-12, default 6) and the shape's inputs (see :data:`SHAPE_INPUTS`).
    May be left out when ``value`` is given: the shape is then ``model_decisions``.
``value``
    For ``model_decisions``: money per outcome compared with today's practice
    (``true_positive``, ``false_positive``, ``false_negative``, ``true_negative``) and
    ``decisions_per_year``.
``costs``
    One-off (:data:`ONE_OFF_COSTS`) and yearly (:data:`RECURRING_COSTS`) amounts.
``p_success``
    Probability (0-1) that the use case works in practice; derived from the feasibility
    verdict when left out.
``feasibility``
    Optional stand-in for a feasibility result measured elsewhere
    (``{confusion_matrix: {tp, fp, fn, tn}, threshold, verdict}``), used only when the
    feasibility folder holds no result for the use case.

Every uncertain input is a single number or ``[low, likely, high]`` (PERT), or
``{low, likely, high, distribution: pert | triangular}``. Other keys (table, target, kind, ...)
belong to other stages and are ignored.

A use case that leaves out what its value needs (no ``benefit`` nor ``value``, no ``costs``, a
required benefit input) is returned as :class:`~readiness.roi.not_valued.NotValued`, saying what
to add; what is given is still checked, and a wrong input (a typo, a range with low above high,
a share above 1, a negative cost, an unknown shape) is a :class:`ConfigError`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from readiness.errors import ConfigError
from readiness.roi.not_valued import NotValued
from readiness.roi.specs import (
    BENEFIT_SHAPES,
    DEFAULT_RAMP_MONTHS,
    DEFAULTS,
    DISTRIBUTIONS,
    INPUT_SPECS,
    MAX_DRAWS,
    MAX_HORIZON_YEARS,
    NO_BENEFIT,
    NO_COSTS,
    NO_REVENUE_VARIANT,
    NO_SHAPE,
    ONE_OFF_COSTS,
    OTHER_STAGES_KEYS,
    OWN_KEYS,
    RECURRING_COSTS,
    SHAPE_INPUTS,
    InputSpec,
    Missing,
)

__all__ = [
    "BENEFIT_SHAPES", "DISTRIBUTIONS", "INPUT_SPECS", "ONE_OFF_COSTS", "RECURRING_COSTS", "SHAPE_INPUTS",
    "InputSpec", "Uncertain", "UseCaseInputs", "check_settings", "parse_uncertain", "parse_use_cases",
]

@dataclass(frozen=True)
class Uncertain:
    """An input known as low / likely / high, drawn from a PERT or triangular distribution."""

    low: float
    likely: float
    high: float
    distribution: str = "pert"

    @property
    def fixed(self) -> bool:
        """True when the range has collapsed to one value."""
        return self.low == self.high

    @property
    def mean(self) -> float:
        """The distribution's mean: ``(a + 4m + b) / 6`` for PERT, ``(a + m + b) / 3`` for triangular."""
        if self.distribution == "triangular":
            return (self.low + self.likely + self.high) / 3
        return (self.low + 4 * self.likely + self.high) / 6

@dataclass
class UseCaseInputs:
    """The validated inputs of one use case; ``inputs`` is keyed ``value.*``, ``benefit.*``, ``costs.*``."""

    id: str
    title: str
    shape: str
    variant: str
    inputs: dict[str, Uncertain]
    ramp_months: float = DEFAULT_RAMP_MONTHS
    p_success: float | None = None
    feasibility: dict[str, Any] | None = None
    given: set[str] = field(default_factory=set)  # inputs written by the analyst, not defaults

    @property
    def one_off_costs(self) -> list[str]:
        return [n for n in self.inputs if n.startswith("costs.") and n[6:] in ONE_OFF_COSTS]

    @property
    def recurring_costs(self) -> list[str]:
        return [n for n in self.inputs if n.startswith("costs.") and n[6:] in RECURRING_COSTS]

    def likely(self) -> dict[str, float]:
        """Every input at its likely value."""
        return {name: u.likely for name, u in self.inputs.items()}


def _closest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _number(value: Any, where: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{where}: {what} is {value!r}, not a finite number; write a number such as 1200.")
    return float(value)


def parse_uncertain(value: Any, *, where: str) -> Uncertain:
    """Read a number, ``[low, likely, high]`` or ``{low, likely, high, distribution}``.

    Raises
    ------
    ConfigError
        Not a number or range, ``low > likely``, ``likely > high`` or an unknown distribution.

    Examples
    --------
    >>> parse_uncertain([1, 2, 4], where="costs.build")
    Uncertain(low=1.0, likely=2.0, high=4.0, distribution='pert')
    """
    distribution = "pert"
    if isinstance(value, Mapping):
        unknown = set(value) - {"low", "likely", "high", "distribution"}
        missing = {"low", "likely", "high"} - set(value)
        if unknown or missing:
            bad = sorted(unknown or missing)[0]
            state = "unknown" if unknown else "missing"
            raise ConfigError(f"{where}: key '{bad}' is {state}{_closest(bad, ['low', 'likely', 'high'])}; "
                              "write {low: ..., likely: ..., high: ..., distribution: pert}.")
        distribution = str(value.get("distribution", "pert")).lower()
        if distribution not in DISTRIBUTIONS:
            raise ConfigError(f"{where}: distribution '{value['distribution']}' is unknown"
                              f"{_closest(distribution, DISTRIBUTIONS)}; use one of: {', '.join(DISTRIBUTIONS)}.")
        parts = [value["low"], value["likely"], value["high"]]
    elif isinstance(value, (list, tuple)):
        if len(value) != 3:
            raise ConfigError(f"{where}: {list(value)!r} has {len(value)} values; write a single number or "
                              "[low, likely, high].")
        parts = list(value)
    else:
        number = _number(value, where, "the value")
        return Uncertain(number, number, number, distribution)
    low, likely, high = (_number(p, where, n) for p, n in zip(parts, ("low", "likely", "high"), strict=True))
    if low > high:
        raise ConfigError(f"{where}: low {low:g} is above high {high:g}; write [low, likely, high] with "
                          "low <= likely <= high.")
    if not low <= likely <= high:
        raise ConfigError(f"{where}: likely {likely:g} is outside [{low:g}, {high:g}]; write [low, likely, high] "
                          "with low <= likely <= high.")
    return Uncertain(low, likely, high, distribution)


def _check_bounds(name: str, value: Uncertain, where: str) -> None:
    spec = INPUT_SPECS[name]
    if spec.minimum is not None and value.low < spec.minimum:
        raise ConfigError(f"{where}: {value.low:g} is negative; {spec.label} cannot be below {spec.minimum:g}, "
                          "so give a low value of 0 or more.")
    if spec.maximum is not None and (value.high > spec.maximum or (spec.below_maximum and value.high >= spec.maximum)):
        sign = "below" if spec.below_maximum else "at most"
        raise ConfigError(f"{where}: {value.high:g} is too high; {spec.label} is a share and must be {sign} "
                          f"{spec.maximum:g} (write 0.8 for 80%).")


def check_settings(*, horizon_years: Any, discount_rate: Any, draws: Any, seed: Any) -> None:
    """Check the run-wide settings; raise :class:`ConfigError` naming the parameter."""
    whole_years = isinstance(horizon_years, int) and not isinstance(horizon_years, bool)
    if not whole_years or not 1 <= horizon_years <= MAX_HORIZON_YEARS:
        raise ConfigError(f"ROI parameter `horizon_years` is {horizon_years!r}; give a whole number of years from 1 "
                          f"to {MAX_HORIZON_YEARS}, e.g. 3.")
    rate = _number(discount_rate, "ROI parameter `discount_rate`", "the rate")
    if not 0.0 <= rate < 1.0:
        raise ConfigError(f"ROI parameter `discount_rate` is {discount_rate!r}, outside [0, 1); write a yearly "
                          "rate as a fraction, e.g. 0.08 for 8%.")
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise ConfigError(f"ROI parameter `draws` is {draws!r}; give a whole number from 1 to {MAX_DRAWS:,}, "
                          "e.g. 10000.")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"ROI parameter `seed` is {seed!r}; give a whole number >= 0, e.g. 42.")


def parse_use_cases(use_cases: Any) -> list[UseCaseInputs | NotValued]:
    """Validate the ``use_cases`` parameter: one :class:`UseCaseInputs` per use case that can be valued.

    Returns
    -------
    list of UseCaseInputs or NotValued
        In the order given; a use case that leaves out what its value needs (no ``benefit`` nor
        ``value``, no ``costs``, a required benefit input) is a :class:`NotValued` saying what to add.

    Raises
    ------
    ConfigError
        Naming the use case (index and id) and the field: a bad range, a negative volume or
        rate, an unknown benefit shape, input, cost or key, a duplicate id.

    Examples
    --------
    >>> parse_use_cases([{"id": "triage", "costs": {"build": 2000}}])[0].reason
    'neither `benefit` nor `value` is given'
    """
    if not isinstance(use_cases, (list, tuple)) or not use_cases:
        raise ConfigError(f"ROI parameter `use_cases` is {type(use_cases).__name__}"
                          f"{' (empty)' if isinstance(use_cases, (list, tuple)) else ''}; give a list with one "
                          "dict per use case (id, title, benefit or value, costs).")
    parsed = [_parse_one(raw, i) for i, raw in enumerate(use_cases)]
    seen: dict[str, int] = {}
    for i, case in enumerate(parsed):
        if case.id in seen:
            raise ConfigError(f"use_cases[{i}]: id '{case.id}' is already used by use_cases[{seen[case.id]}]; "
                              "give each use case its own id.")
        seen[case.id] = i
    return parsed


def _parse_one(raw: Any, i: int) -> UseCaseInputs | NotValued:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"use_cases[{i}] is {type(raw).__name__}, not a mapping; write {{id: ..., costs: ...}}.")
    case_id = raw.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise ConfigError(f"use_cases[{i}]: `id` is {case_id!r}; give each use case a short id such as no_show.")
    where = f"use_cases[{i}] '{case_id}'"
    for key in raw:
        close = difflib.get_close_matches(str(key), OWN_KEYS, n=1, cutoff=0.75)
        if key not in OWN_KEYS and key not in OTHER_STAGES_KEYS and close:
            raise ConfigError(f"{where}: key `{key}` is unknown (did you mean '{close[0]}'?).")
    title = str(raw.get("title") or case_id)
    shape, benefit = _shape(raw, where)
    inputs, given, variant, missing = _benefit(raw, benefit, shape, where)
    costs = _costs(raw.get("costs"), where)
    if not costs:
        missing.append(NO_COSTS)
    feasibility = raw.get("feasibility")
    if feasibility is not None and not isinstance(feasibility, Mapping):
        raise ConfigError(f"{where}: `feasibility` is {feasibility!r}; write {{confusion_matrix: {{tp, fp, fn, tn}}, "
                          "verdict: go}} or leave it out.")
    ramp = _ramp(benefit.get("ramp_months", DEFAULT_RAMP_MONTHS), where)
    p_success = _p_success(raw.get("p_success"), where)
    if missing:
        return NotValued(case_id, title, reason=", and ".join(r for r, _ in missing),
                         to_add="add " + " and ".join(a for _, a in missing))
    return UseCaseInputs(
        id=case_id, title=title, shape=shape or "", variant=variant, inputs={**inputs, **costs}, ramp_months=ramp,
        p_success=p_success, feasibility=dict(feasibility) if feasibility is not None else None,
        given=given | set(costs) | ({"benefit.ramp_months"} if "ramp_months" in benefit else set()),
    )


def _shape(raw: Mapping, where: str) -> tuple[str | None, Mapping]:
    """The benefit shape (None when not given) and the ``benefit`` mapping ({} when absent)."""
    benefit = raw.get("benefit")
    if benefit is None:
        return ("model_decisions" if raw.get("value") is not None else None), {}
    if not isinstance(benefit, Mapping):
        raise ConfigError(f"{where}: `benefit` is {benefit!r}, not a mapping; write benefit: {{shape: ..., ...}}.")
    shape = benefit.get("shape", "model_decisions" if raw.get("value") is not None else None)
    if shape is not None and shape not in BENEFIT_SHAPES:
        raise ConfigError(f"{where}: `benefit.shape` is {shape!r}, an unknown benefit shape"
                          f"{_closest(shape, BENEFIT_SHAPES)}; use one of: {', '.join(BENEFIT_SHAPES)}.")
    return shape, benefit


def _benefit(raw: Mapping, benefit: Mapping, shape: str | None,
             where: str) -> tuple[dict[str, Uncertain], set[str], str, list[Missing]]:
    """The benefit inputs, those written by the analyst, the variant, and what is missing.

    What is given is checked even when the shape or variant is missing, so a wrong input is
    reported as such rather than hidden behind the missing one.
    """
    if shape is None:
        if raw.get("benefit") is None:
            return {}, set(), "", [NO_BENEFIT]
        _benefit_inputs(raw, benefit, None, {n for n in INPUT_SPECS if n.startswith("benefit.")}, where)
        return {}, set(), "", [NO_SHAPE]
    chosen = _variant(shape, benefit, where)
    if chosen is None:
        _benefit_inputs(raw, benefit, shape, {n for req, opt in SHAPE_INPUTS[shape].values() for n in req + opt},
                        where)
        return {}, set(), "", [NO_REVENUE_VARIANT]
    variant, (required, optional) = chosen
    inputs = _benefit_inputs(raw, benefit, shape, set(required) | set(optional), where)
    given = set(inputs)
    absent = [name for name in required if name not in inputs]
    for name in optional:
        inputs.setdefault(name, Uncertain(*(DEFAULTS[name],) * 3))
    return inputs, given, variant, [_missing_inputs(shape, absent)] if absent else []


def _missing_inputs(shape: str, absent: list[str]) -> Missing:
    names = " and ".join(f"`{n}`" for n in absent)
    wanted = ", ".join(f"{n} ({INPUT_SPECS[n].label}, {INPUT_SPECS[n].unit})" for n in absent)
    each = "each " if len(absent) > 1 else ""
    return f"its {shape} benefit lacks {names}", f"{wanted}, {each}a number or [low, likely, high]"


def _variant(shape: str, benefit: Mapping, where: str) -> tuple[str, tuple[tuple[str, ...], tuple[str, ...]]] | None:
    variants = SHAPE_INPUTS[shape]
    if len(variants) == 1:
        return next(iter(variants.items()))
    chosen = [v for v, (required, _) in variants.items() if required[0].split(".")[1] in benefit]
    if not chosen:
        return None
    if len(chosen) > 1:
        keys = " or ".join(f"`benefit.{req[0].split('.')[1]}`" for req, _ in variants.values())
        raise ConfigError(f"{where}: a {shape} benefit needs exactly one of {keys}, found both; give `uplift` for "
                          "customers x uplift x margin, or `churn_reduction` for retention.")
    return chosen[0], variants[chosen[0]]


def _benefit_inputs(raw: Mapping, benefit: Mapping, shape: str | None, allowed: set[str],
                    where: str) -> dict[str, Uncertain]:
    """Every benefit input given (``benefit.*`` and ``value.*``), checked against the shape's inputs and bounds."""
    sections = {"benefit": {k: v for k, v in benefit.items() if k not in ("shape", "ramp_months")}}
    value = raw.get("value")
    if value is not None:
        if shape != "model_decisions":
            raise ConfigError(f"{where}: `value` (outcome values) is only read for model_decisions, but "
                              f"`benefit.shape` is {shape}; remove `value` or change the shape.")
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: `value` is {value!r}, not a mapping; write value: {{true_positive: 38, "
                              "false_positive: -2, decisions_per_year: 30000}}.")
        sections["value"] = value
    inputs: dict[str, Uncertain] = {}
    for section, entries in sections.items():
        for key, given in entries.items():
            name = f"{section}.{key}"
            if name not in allowed:
                names = sorted(n.split(".")[1] for n in allowed if n.startswith(f"{section}."))
                raise ConfigError(f"{where}: `{name}` is not an input of {f'a {shape}' if shape else 'any'} benefit"
                                  f"{_closest(key, names)}; its `{section}` inputs are: {', '.join(names)}"
                                  f"{' (plus shape and ramp_months)' if section == 'benefit' else ''}.")
            inputs[name] = parse_uncertain(given, where=f"{where}: `{name}`")
            _check_bounds(name, inputs[name], f"{where}: `{name}`")
    return inputs


def _costs(costs: Any, where: str) -> dict[str, Uncertain]:
    """The costs given, checked; {} when there are none (the use case is then not valued)."""
    known = {**ONE_OFF_COSTS, **RECURRING_COSTS}
    if costs is None or (isinstance(costs, Mapping) and not costs):
        return {}
    if not isinstance(costs, Mapping):
        raise ConfigError(f"{where}: `costs` is {costs!r}; give one-off and yearly amounts, e.g. costs: "
                          "{build: [8000, 12000, 20000], run_per_year: [2400, 3600, 6000]}.")
    parsed = {}
    for key, given in costs.items():
        if key not in known:
            raise ConfigError(f"{where}: `costs.{key}` is an unknown cost{_closest(key, known)}; one-off costs are "
                              f"{', '.join(ONE_OFF_COSTS)}; yearly costs are {', '.join(RECURRING_COSTS)}.")
        name = f"costs.{key}"
        parsed[name] = parse_uncertain(given, where=f"{where}: `{name}`")
        _check_bounds(name, parsed[name], f"{where}: `{name}`")
    return parsed


def _ramp(value: Any, where: str) -> float:
    months = _number(value, f"{where}: `benefit.ramp_months`", "the value")
    if not 0 <= months <= 12:
        raise ConfigError(f"{where}: `benefit.ramp_months` is {value!r}; give the months to reach full use, "
                          "from 0 to 12.")
    return months


def _p_success(value: Any, where: str) -> float | None:
    if value is None:
        return None
    p = _number(value, f"{where}: `p_success`", "the probability")
    if not 0 <= p <= 1:
        raise ConfigError(f"{where}: `p_success` is {value!r}; give a probability from 0 to 1, e.g. 0.7.")
    return p
