"""Money figures of a stream of cash flows: NPV, IRR, payback, ROI and risk-adjusted NPV.

Convention (the same as numpy-financial and spreadsheet NPV on a flow that starts "now"):
``values[0]`` happens today and is not discounted; ``values[t]`` is discounted by
``(1 + rate) ** t``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["discount_factors", "irr", "npv", "payback_months", "risk_adjusted_npv", "roi_pct"]


def discount_factors(rate: float, periods: int) -> np.ndarray:
    """``1 / (1 + rate) ** t`` for ``t = 0 .. periods - 1`` (the first factor is 1)."""
    return 1.0 / (1.0 + rate) ** np.arange(periods)


def npv(rate: float, values: Sequence[float] | np.ndarray) -> float | np.ndarray:
    """Net present value, with ``values[0]`` not discounted.

    Parameters
    ----------
    rate : float
        Discount rate per period, e.g. 0.08 for 8 % a year.
    values : array-like
        Cash flows per period; a 2-D array holds one stream per row (e.g. Monte Carlo draws).

    Returns
    -------
    float or numpy.ndarray
        One NPV per stream.

    Examples
    --------
    >>> round(npv(0.10, [-100, 60, 60]), 2)
    4.13
    """
    flows = np.asarray(values, dtype=float)
    result = flows @ discount_factors(rate, flows.shape[-1])
    return float(result) if flows.ndim == 1 else result


def irr(values: Sequence[float] | np.ndarray) -> float | None:
    """Internal rate of return: the rate at which the NPV is zero.

    Solves the NPV polynomial in ``x = 1 / (1 + r)`` with :func:`numpy.roots`, keeps the real
    positive roots and, when several rates solve it, returns the one closest to zero (the same
    choice as numpy-financial).

    Returns
    -------
    float or None
        None when the flows never change sign (every rate or none solves it) or no real rate
        exists.

    Examples
    --------
    >>> round(irr([-100, 60, 60]), 4)
    0.1307
    """
    flows = np.asarray(values, dtype=float)
    signs = np.sign(flows[flows != 0])
    if signs.size == 0 or np.all(signs == signs[0]):
        return None
    roots = np.roots(flows[::-1])
    real = roots[(roots.imag == 0) & (roots.real > 0)].real
    if real.size == 0:
        return None
    rates = 1.0 / real - 1.0
    return float(rates[np.argmin(np.abs(rates))])


def payback_months(values: Sequence[float] | np.ndarray, *, months_per_period: float = 12) -> float | None:
    """Months until the running total of the cash flows first reaches zero.

    ``values[0]`` happens at month 0; each later flow is spread evenly over its period, so the
    crossing is interpolated inside the period in which it happens.

    Parameters
    ----------
    values : array-like
        Cash flows: the upfront flow, then one per period.
    months_per_period : float
        12 for yearly flows, 1 for monthly flows.

    Returns
    -------
    float or None
        0 when nothing is owed at the start; None when the total never reaches zero.

    Examples
    --------
    >>> payback_months([-100, 60, 60])
    20.0
    >>> payback_months([-100, 30, 30]) is None
    True
    """
    flows = np.asarray(values, dtype=float)
    total = float(flows[0])
    if total >= 0:
        return 0.0
    for period, flow in enumerate(flows[1:], start=1):
        if total + flow >= 0:
            return float((period - 1 + (-total / flow)) * months_per_period)
        total += float(flow)
    return None


def roi_pct(benefits: float, costs: float) -> float | None:
    """Return on investment in percent: ``(benefits - costs) / costs * 100`` (None when costs are 0).

    Examples
    --------
    >>> roi_pct(150.0, 100.0)
    50.0
    """
    if costs <= 0 or not math.isfinite(costs):
        return None
    return (benefits - costs) / costs * 100.0


def risk_adjusted_npv(npv_value: float, *, p_success: float, sunk_cost: float) -> float:
    """``P(success) x NPV - (1 - P(success)) x sunk cost``.

    If the use case works, its NPV is earned; if it fails, the one-off spend is lost.

    Examples
    --------
    >>> risk_adjusted_npv(100.0, p_success=0.6, sunk_cost=50.0)
    40.0
    """
    return p_success * npv_value - (1.0 - p_success) * sunk_cost
