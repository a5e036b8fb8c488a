"""A trend chart as inline SVG, drawn on the server: no script, no inline styles (the CSP
allows neither), and a data table beside it on the page for people who cannot see it."""

from __future__ import annotations

from dataclasses import dataclass

from evidence.performance.models import Indicator, IndicatorValue, Unit

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
TICKS = 5


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    values: str  # polyline points
    dots: list[tuple[float, float]]
    lines: list[dict]  # target, baseline, England average: {"name", "y", "class"}
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    plot: tuple[int, int, int, int]  # left, top, right, bottom


def trend(indicator: Indicator, series: list[IndicatorValue]) -> Chart | None:
    if not series:
        return None
    references = [
        ("Target", indicator.target, "app-chart__target"),
        ("Baseline", indicator.baseline_value, "app-chart__baseline"),
        ("England average", indicator.england_average, "app-chart__england"),
    ]
    numbers = [row.value for row in series] + [value for _, value, _ in references if value is not None]
    low, high = min(numbers), max(numbers)
    if indicator.unit is Unit.PERCENT:
        low, high = max(0.0, low - 5), min(100.0, high + 5)
    if high - low < 1:
        low, high = low - 1, high + 1
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (right - LEFT) / max(1, len(series) - 1)

    def x(position: int) -> float:
        return round(LEFT + position * step, 1)

    def y(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - TOP), 1)

    dots = [(x(i), y(row.value)) for i, row in enumerate(series)]
    every = max(1, len(series) // 6)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        values=" ".join(f"{px},{py}" for px, py in dots),
        dots=dots,
        lines=[{"name": name, "y": y(value), "class": css} for name, value, css in references if value is not None],
        y_ticks=[
            (y(low + (high - low) * i / (TICKS - 1)), indicator.show(round(low + (high - low) * i / (TICKS - 1), 1)))
            for i in range(TICKS)
        ],
        x_ticks=[(x(i), f"{row.period:%b %Y}") for i, row in enumerate(series) if i % every == 0],
        plot=(LEFT, TOP, right, bottom),
    )
