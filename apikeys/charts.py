"""An inline SVG bar chart of requests per day: no script, no library."""

from dataclasses import dataclass

WIDTH = 720
HEIGHT = 200
TOP = 16
BOTTOM = 28
LEFT = 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: object
    count: int
    label: str  # shown under some bars


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    max_count: int
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    label_y: int


def usage_chart(days: list[dict]) -> Chart:
    plot_height = HEIGHT - TOP - BOTTOM
    max_count = max([row["count"] for row in days] + [1])
    slot = (WIDTH - LEFT) / max(len(days), 1)
    bars = []
    for index, row in enumerate(days):
        # An empty day is a 1px line on the baseline, so the 30 slots stay visible.
        height = max(plot_height * row["count"] / max_count, 1)
        label = row["day"].strftime("%-d %b") if index % 7 == 0 or index == len(days) - 1 else ""
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                day=row["day"],
                count=row["count"],
                label=label,
            )
        )
    ticks = [(round(TOP + plot_height * (1 - f), 1), round(max_count * f)) for f in (0, 0.5, 1)]
    return Chart(WIDTH, HEIGHT, TOP + plot_height, max_count, bars, ticks, HEIGHT - 8)
