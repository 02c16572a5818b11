"""Charts for reports, drawn with matplotlib (Agg) and returned as inline SVG text.

matplotlib is imported inside the functions so that `assess --help` stays fast.
"""

from __future__ import annotations

import io
import re
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

    # parse_math off: a "$" in a municipality's or dimension's name is text, not TeX.
    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans", "svg.hashsalt": "assess",
                         "text.parse_math": False})
    return plt


_ID = re.compile(r'(?<=\s)id="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def _to_svg(fig, plt, name: str) -> str:
    """The figure as an SVG element to inline into HTML; its ids are prefixed with `name`.

    matplotlib numbers ids per figure (figure_1, text_1 …), so several charts in one page would
    repeat them; the prefix keeps every id in the report unique.
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE: the SVG is inlined into HTML.
    svg = svg[svg.find("<svg"):]
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{name}-{m[1]}"', svg)
    return _REF.sub(lambda m: m[1] + (f"{name}-{m[2]}" if m[2] in ids else m[2]), svg)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _two_lines(text: str, width: int) -> str:
    """At most two wrapped lines, the second shortened with an ellipsis."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if len(lines) <= 2:
        return "\n".join(lines)
    return lines[0] + "\n" + textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")


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
    ax.set_rlabel_position(180 / count)  # between the first two axes, clear of their labels
    ax.set_xticks(angles[:-1])
    ax.set_xticklabels([_wrap(lbl, 20) for lbl in labels], fontsize=8)
    ax.tick_params(axis="x", pad=10)
    for s in series:
        # A dimension without a score is a gap in the line, not a zero.
        values = [v if v is not None else math.nan for v in s.values]
        values.append(values[0])
        dashed = s.style in ("target", "baseline", "peer")
        ax.plot(angles, values, color=colors[s.style], linewidth=2 if not dashed else 1.5,
                linestyle="--" if dashed else "-", label=s.name, marker="o" if not dashed else None, markersize=3)
        if s.style == "current" and None not in s.values:
            ax.fill(angles, values, color=colors[s.style], alpha=0.15)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=min(len(series), 3), frameon=False)
    return _to_svg(fig, plt, "radar")


# Label height per text line and gap between labels in the priority matrix, in points of the 0–100 axis.
LABEL_LINE = 3.6
LABEL_GAP = 1.2


def _stack(wanted: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Centres for labels of the given heights, as close to `wanted` (ascending) as they fit without overlap.

    Labels are pushed up where they would overlap the one below; if the stack then runs over `high`,
    it is pushed back down, and never below `low`.
    """
    centres: list[float] = []
    for want, height in zip(wanted, heights):
        floor = centres[-1] + (heights[len(centres) - 1] + height) / 2 if centres else low + height / 2
        centres.append(max(want, floor))
    ceiling = high - heights[-1] / 2 if heights else high
    for i in range(len(centres) - 1, -1, -1):
        centres[i] = min(centres[i], ceiling)
        if i:
            ceiling = centres[i] - (heights[i] + heights[i - 1]) / 2
    return centres


def priority_matrix(points: list[tuple[str, int, float]], colors: dict | None = None, labels: dict | None = None) -> str:
    """Scatter of dimensions: the municipality's priority (1–5, x) against maturity (0–100, y).

    The lower right quadrant — high priority, low maturity — is shaded as "act first".
    `labels` holds the axis titles and the quadrant names in the report's language.
    """
    plt = _pyplot()
    colors = {**PALETTE, **(colors or {})}
    labels = labels or {}
    fig, ax = plt.subplots(figsize=(7.2, 5.0))
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0, 100)
    # Priorities 4 and 5 are "high"; below 50 points is "low maturity".
    ax.axvspan(3.5, 5.5, ymin=0, ymax=0.5, color=colors["target"], alpha=0.10)
    ax.axvline(3.5, color="#9ca3af", linewidth=0.8)
    ax.axhline(50, color="#9ca3af", linewidth=0.8)
    ax.text(5.4, 3, labels.get("act_first", "act first"), ha="right", va="bottom", color=colors["target"], fontsize=9, fontweight="bold")
    ax.text(5.4, 97, labels.get("keep", "keep up"), ha="right", va="top", color="#374151", fontsize=8)
    ax.text(0.6, 3, labels.get("later", "later"), ha="left", va="bottom", color="#374151", fontsize=8)
    ax.text(0.6, 97, labels.get("strength", "strength"), ha="left", va="top", color="#374151", fontsize=8)
    # Points that share a position are set side by side; labels of one priority column are stacked
    # so that none overlaps, each joined to its point by a thin line where it had to move.
    seen: dict[tuple, int] = {}
    columns: dict[int, list[tuple[float, float, str]]] = {}
    for name, priority, score in points:
        if score is None:
            continue
        key = (priority, round(score / 4))
        offset = seen.get(key, 0)
        seen[key] = offset + 1
        x = priority + 0.12 * offset
        ax.scatter([x], [score], s=46, color=colors["current"], zorder=3)
        columns.setdefault(priority, []).append((score, x, _wrap(name, 18)))
    for column in columns.values():
        column.sort()
        heights = [LABEL_LINE * (text.count("\n") + 1) + LABEL_GAP for _, _, text in column]
        for (score, x, text), y in zip(column, _stack([score for score, _, _ in column], heights, 0, 100)):
            ax.annotate(text, (x, score), xytext=(x + 0.1, y), textcoords="data", fontsize=7.5, va="center",
                        arrowprops={"arrowstyle": "-", "color": "#9ca3af", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3}
                        if abs(y - score) > LABEL_LINE else None)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel(labels.get("x", "priority (1–5)"))
    ax.set_ylabel(labels.get("y", "maturity (0–100)"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _to_svg(fig, plt, "matrix")


def roadmap(bars: list[tuple[str, int, int, str]], colors: dict | None = None, labels: dict | None = None) -> str:
    """A Gantt-like chart: one bar per measure, (title, start month, end month, style key)."""
    plt = _pyplot()
    colors = {**PALETTE, **(colors or {})}
    labels = labels or {}
    height = max(2.0, 0.46 * len(bars) + 1.2)
    fig, ax = plt.subplots(figsize=(7.2, height))
    for index, (_title, start, end, style) in enumerate(bars):
        ax.barh(index, end - start, left=start, height=0.6, color=colors.get(style, colors["current"]))
    ax.set_yticks(range(len(bars)))
    ax.set_yticklabels([_two_lines(t, 46) for t, *_ in bars], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 36)
    ax.set_xticks([0, 6, 12, 18, 24, 30, 36])
    for boundary in (6, 18):
        ax.axvline(boundary, color="#9ca3af", linewidth=0.8, linestyle=":")
    ax.set_xlabel(labels.get("x", "months"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _to_svg(fig, plt, "roadmap")
