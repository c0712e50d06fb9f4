"""The bench's targets (issue 22) and the rounds they are judged on.

A ratio measured once on a shared 2-core machine moves by tens of points from one run to
the next, so each compared row runs alternating rounds of both sides and is judged on the
median round, with every round and their spread printed beside it.
"""

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

INTAKE_SHARE = 0.60  # of the insert-only limit view behind the same key auth
INTAKE_API_RATE = 100.0  # accepted requests per second
GALLERY_SHARE = 0.40  # of a bare Django view returning as many bytes
ROUNDS = 3


@dataclass(frozen=True)
class Rounds:
    """Paired measurements (ours, baseline), one per round, judged on the median round."""

    pairs: Sequence[tuple]
    ratio: Callable[[tuple], float]

    @property
    def ratios(self) -> list[float]:
        return sorted(self.ratio(pair) for pair in self.pairs)

    @property
    def median(self) -> tuple:
        """The round whose ratio is the median (the lower middle one of an even count)."""
        ranked = sorted(self.pairs, key=self.ratio)
        return ranked[(len(ranked) - 1) // 2]

    @property
    def median_ratio(self) -> float:
        return self.ratio(self.median)

    @property
    def spread(self) -> float:
        """Largest minus smallest ratio, in the ratio's own unit."""
        return max(self.ratios) - min(self.ratios)

    def describe(self) -> str:
        shares = ", ".join(f"{ratio:.0%}" for ratio in self.ratios)
        return f"rounds {shares}; spread {self.spread * 100:.0f} points"


def share(ours: float, baseline: float) -> float:
    return ours / baseline if baseline else 0.0


def median(values: Sequence[float]) -> float:
    return statistics.median_low(values)


def missed(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """The names of the report rows whose last column says their target was not met."""
    return [row[0] for row in rows if row[-1] != "yes"]
