"""An inline SVG bar chart of requests per day: no script, no library."""

from dataclasses import dataclass

WIDTH = 720
HEIGHT = 200
TOP = 16
BOTTOM = 28
LEFT = 40
RIGHT = 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: object
    count: int
    label: str  # shown under some bars

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


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
    slot = (WIDTH - LEFT - RIGHT) / max(len(days), 1)
    bars = []
    for index, row in enumerate(days):
        # An empty day is a 1px line on the baseline, so the 30 slots stay visible.
        height = max(plot_height * row["count"] / max_count, 1)
        # Every seventh day, counted back from today, so today always has a label.
        label = row["day"].strftime("%-d %b") if (len(days) - 1 - index) % 7 == 0 else ""
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
    # Whole numbers only: the middle line only when the maximum is even.
    values = [0, max_count // 2, max_count] if max_count % 2 == 0 else [0, max_count]
    ticks = [(round(TOP + plot_height * (1 - v / max_count), 1), v) for v in values]
    return Chart(WIDTH, HEIGHT, TOP + plot_height, max_count, bars, ticks, HEIGHT - 8)
