"""The radar chart of dimension scores, drawn with matplotlib's Agg backend as PNG bytes."""

from __future__ import annotations

import io
import math
import textwrap
from typing import cast

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

_COLOURS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700"]


def radar_png(labels: list[str], series: dict[str, list[float | None]], title: str = "") -> bytes:
    """Draw one closed shape per series (scores 0-100, None drawn as 0) on shared axes; return PNG bytes."""
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    figure = Figure(figsize=(6.4, 5.6), dpi=110)
    FigureCanvasAgg(figure)
    axes = cast(PolarAxes, figure.add_subplot(projection="polar"))
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    for index, (name, scores) in enumerate(series.items()):
        values = [s or 0.0 for s in scores]
        colour = _COLOURS[index % len(_COLOURS)]
        axes.plot([*angles, angles[0]], [*values, values[0]], color=colour, linewidth=2, label=name)
        axes.fill([*angles, angles[0]], [*values, values[0]], color=colour, alpha=0.15)
    axes.set_xticks(angles)
    axes.set_xticklabels([textwrap.fill(label, 18) for label in labels], fontsize=8)
    axes.tick_params(axis="x", pad=12)
    axes.set_rlabel_position(360 / len(labels) / 2)
    axes.set_ylim(0, 100)
    axes.set_yticks([20, 40, 60, 80, 100])
    axes.set_yticklabels(["20", "40", "60", "80", "100"], fontsize=7, color="#555555")
    if title:
        axes.set_title(title, fontsize=11, pad=18)
    if len(series) > 1:
        axes.legend(loc="upper right", bbox_to_anchor=(1.3, 1.12), fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
