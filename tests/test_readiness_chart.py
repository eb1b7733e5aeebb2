"""The radar chart's layout, measured on the drawn figure: labels, ticks and legend keep clear of each other."""

from __future__ import annotations

import math

import pytest
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from readiness_support import QUESTIONNAIRE

from advisor.readiness.chart import radar_figure, radar_png

LABELS = [d.name for d in QUESTIONNAIRE.dimensions]
_EXTREMES = [20.0, 95.0, 5.0, 100.0, 60.0, 15.0, 80.0, 40.0]
LOW_AND_HIGH = [_EXTREMES[i % len(_EXTREMES)] for i in range(len(LABELS))]  # one score per dimension
SERIES = {
    "one": {"Acme, 3 Dec 2026, version 1": LOW_AND_HIGH},
    "two": {
        "Before: version 1, 3 Dec 2026": LOW_AND_HIGH,
        "After: version 2, 3 Dec 2026": [min(100.0, v + 30) for v in LOW_AND_HIGH],
    },
    "two long names": {
        "Before: Rhineland Regional Bank, 3 Dec 2026, version 1": LOW_AND_HIGH,
        "After: Rhineland Regional Bank, 3 Dec 2026, version 2": LOW_AND_HIGH,
    },
}


def _labels(figure: Figure) -> list[Bbox]:
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    return [t.get_window_extent(renderer) for t in figure.axes[0].texts if t.get_gid() == "dimension-label"]


def _circle(figure: Figure) -> tuple[float, float, float]:
    box = figure.axes[0].get_window_extent()
    return (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, box.width / 2


def _distance_to_box(x: float, y: float, box: Bbox) -> float:
    dx = max(box.x0 - x, 0, x - box.x1)
    dy = max(box.y0 - y, 0, y - box.y1)
    return math.hypot(dx, dy)


@pytest.mark.parametrize("case", SERIES)
def test_every_dimension_label_sits_outside_the_outer_circle_and_inside_the_figure(case: str) -> None:
    figure = radar_figure(LABELS, SERIES[case], title="Readiness")
    cx, cy, radius = _circle(figure)
    page = figure.bbox
    labels = _labels(figure)
    assert len(labels) == len(LABELS)
    for box in labels:
        assert _distance_to_box(cx, cy, box) > radius + 2  # clear of the circle by at least 2 pixels
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1


@pytest.mark.parametrize("case", SERIES)
def test_labels_do_not_overlap_each_other_the_title_or_the_legend(case: str) -> None:
    figure = radar_figure(LABELS, SERIES[case], title="Readiness")
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    others = [figure._suptitle.get_window_extent(renderer)] if figure._suptitle else []
    others += [legend.get_window_extent(renderer) for legend in figure.legends]
    labels = _labels(figure)
    for i, box in enumerate(labels):
        assert not any(box.overlaps(other) for other in labels[i + 1 :] + others)


@pytest.mark.parametrize("case", SERIES)
def test_the_legend_stays_inside_the_figure_and_clear_of_the_circle(case: str) -> None:
    figure = radar_figure(LABELS, SERIES[case], title="Readiness")
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    cx, cy, radius = _circle(figure)
    for legend in figure.legends:
        box = legend.get_window_extent(renderer)
        assert figure.bbox.x0 <= box.x0 and box.x1 <= figure.bbox.x1 and figure.bbox.y0 <= box.y0
        assert _distance_to_box(cx, cy, box) > radius
    assert len(figure.legends) == (1 if len(SERIES[case]) > 1 else 0)


def test_score_ticks_sit_between_spokes_not_on_them() -> None:
    figure = radar_figure(LABELS, SERIES["one"])
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axes = figure.axes[0]
    ticks = [t.get_window_extent(renderer) for t in axes.get_yticklabels() if t.get_text()]
    assert len(ticks) == 4
    for index in range(len(LABELS)):
        angle = 2 * math.pi * index / len(LABELS)
        spoke = [axes.transData.transform((angle, r)) for r in range(0, 101, 2)]
        assert not any(tick.contains(x, y) for tick in ticks for x, y in spoke)


def test_png_bytes_are_a_picture() -> None:
    assert radar_png(LABELS, SERIES["one"]).startswith(b"\x89PNG\r\n\x1a\n")
