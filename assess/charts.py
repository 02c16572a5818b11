"""Charts for reports, drawn with matplotlib (Agg) and returned as inline SVG text.

matplotlib is imported inside the functions so that `assess --help` stays fast.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass

PALETTE = {"current": "#1f5fa8", "target": "#c2410c", "baseline": "#6b7280", "peer": "#15803d"}


@dataclass(frozen=True)
class Series:
    """One line of a chart: a name for the legend, values (None = no value) and a style key."""

    name: str
    values: tuple
    style: str = "current"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans", "svg.hashsalt": "assess"})
    return plt


def _to_svg(fig, plt) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE: the SVG is inlined into HTML.
    start = svg.find("<svg")
    return svg[start:]


def radar(labels: list[str], series: list[Series], colors: dict | None = None) -> str:
    """A radar chart of dimension scores (0–100) as SVG; needs at least three axes."""
    plt = _pyplot()
    colors = {**PALETTE, **(colors or {})}
    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)] + [0]
    fig = plt.figure(figsize=(7.2, 6.2))
    ax = fig.add_subplot(polar=True)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100])
    ax.set_yticklabels(["20", "40", "60", "80", "100"], color="#555555", fontsize=7)
    ax.set_xticks(angles[:-1])
    ax.set_xticklabels(["\n".join(textwrap.wrap(lbl, 18)) for lbl in labels], fontsize=8)
    for s in series:
        values = [v if v is not None else 0 for v in s.values]
        values.append(values[0])
        dashed = s.style in ("target", "baseline", "peer")
        ax.plot(angles, values, color=colors[s.style], linewidth=2 if not dashed else 1.5,
                linestyle="--" if dashed else "-", label=s.name, marker="o" if not dashed else None, markersize=3)
        if s.style == "current":
            ax.fill(angles, values, color=colors[s.style], alpha=0.15)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=min(len(series), 3), frameon=False)
    return _to_svg(fig, plt)
