"""The radar chart of dimension scores, drawn with matplotlib's Agg backend as PNG bytes.

Dimension labels sit outside the outer circle, anchored away from it; the score ticks sit between two spokes
on a white ground; the legend (for comparisons) sits below the chart. ``radar_figure`` returns the drawn figure
so tests can measure where each piece landed.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # matplotlib loads on the first chart: the UI and API start without it (0.4 s)
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

_COLOURS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700"]
_LABEL_RADIUS = 112  # in score units: just outside the outer circle (100)
_PLOT_BOX = (0.2, 0.22, 0.6, 0.6)  # left, bottom, width, height: room for labels around, legend below


def radar_png(labels: list[str], series: dict[str, list[float | None]], title: str = "") -> bytes:
    """Draw one closed shape per series (scores 0-100, None drawn as 0) on shared axes; return PNG bytes."""
    figure = radar_figure(labels, series, title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def radar_figure(labels: list[str], series: dict[str, list[float | None]], title: str = "") -> Figure:
    """The radar chart as a drawn matplotlib figure (see the module docstring for the layout)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    figure = Figure(figsize=(7.2, 6.6), dpi=150)
    FigureCanvasAgg(figure)
    axes = cast(PolarAxes, figure.add_axes(_PLOT_BOX, projection="polar"))
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    for index, (name, scores) in enumerate(series.items()):
        _shape(axes, angles, [s or 0.0 for s in scores], _COLOURS[index % len(_COLOURS)], name)
    _axes_style(axes, angles, labels)
    if title:
        figure.suptitle(title, fontsize=12, y=0.97)
    if len(series) > 1:
        columns = 2 if len(series) == 2 and max(len(name) for name in series) <= 36 else 1
        figure.legend(loc="lower center", bbox_to_anchor=(0.5, 0.01), ncol=columns, fontsize=8.5)
    figure.canvas.draw()
    return figure


def _shape(axes: PolarAxes, angles: list[float], values: list[float], colour: str, name: str) -> None:
    closed_angles, closed_values = [*angles, angles[0]], [*values, values[0]]
    axes.plot(closed_angles, closed_values, color=colour, linewidth=2, label=name)
    axes.fill(closed_angles, closed_values, color=colour, alpha=0.15)


def _axes_style(axes: PolarAxes, angles: list[float], labels: list[str]) -> None:
    axes.set_ylim(0, 100)
    axes.set_xticks(angles)
    axes.set_xticklabels([])
    axes.set_yticks([20, 40, 60, 80, 100])
    axes.set_yticklabels(["20", "40", "60", "80", ""], fontsize=7, color="#555555")
    axes.set_rlabel_position(math.degrees(math.pi / len(angles)))  # halfway between the first two spokes
    axes.yaxis.set_zorder(3)  # the score ticks stay readable over the shapes
    for tick in axes.get_yticklabels():
        tick.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    for angle, label in zip(angles, labels, strict=True):
        across, up = math.sin(angle), math.cos(angle)
        axes.text(
            angle,
            _LABEL_RADIUS,
            textwrap.fill(label, 16),
            fontsize=8.5,
            ha="left" if across > 0.1 else "right" if across < -0.1 else "center",
            va="bottom" if up > 0.1 else "top" if up < -0.1 else "center",
            clip_on=False,
            gid="dimension-label",
        )
