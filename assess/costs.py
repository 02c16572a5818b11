"""What a set of measures costs: one-off euros, running euros per year and the town's own staff days.

Sums are ranges (the sum of the minima to the sum of the maxima). The catalogue reads an absent
range as 0–0, so 0–0 cannot tell "free" from "not stated": a one-off cost of 0–0 is taken as
stated (every catalogue measure gives one), but running costs and staff days of 0–0 count as
not stated, and every sum says for how many of its measures the figure was given.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.model import Measure


@dataclass(frozen=True)
class Sum:
    """A summed range and how many of the `total` measures stated the figure."""

    low: int
    high: int
    stated: int
    total: int

    @property
    def complete(self) -> bool:
        return self.stated == self.total

    @property
    def known(self) -> bool:
        return self.stated > 0


@dataclass(frozen=True)
class Costs:
    """One-off cost (€), running cost (€ per year) and staff time (person-days) of some measures."""

    one_off: Sum
    yearly: Sum
    staff_days: Sum


def _sum(ranges: list[tuple[int, int]], zero_is_stated: bool) -> Sum:
    stated = [(low, high) for low, high in ranges if zero_is_stated or low or high]
    return Sum(sum(low for low, _ in stated), sum(high for _, high in stated), len(stated), len(ranges))


def costs(measures: list[Measure] | tuple[Measure, ...]) -> Costs:
    """The summed costs and staff time of `measures`."""
    return Costs(
        one_off=_sum([(m.cost_min, m.cost_max) for m in measures], zero_is_stated=True),
        yearly=_sum([(m.cost_yearly_min, m.cost_yearly_max) for m in measures], zero_is_stated=False),
        staff_days=_sum([(m.staff_days_min, m.staff_days_max) for m in measures], zero_is_stated=False),
    )
