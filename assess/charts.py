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

# Charts are drawn at the width of the A4 text block (210 mm less 2 × 16 mm margins = 178 mm, 7.0 in)
# and saved at exactly that size, so that printing never scales them down: every text is at least
# MIN_FONT points on paper.
WIDTH = 6.9
MIN_FONT = 9


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
    plt.rcParams.update({"svg.fonttype": "none", "font.size": MIN_FONT, "font.family": "DejaVu Sans",
                         "svg.hashsalt": "assess", "text.parse_math": False, "legend.fontsize": MIN_FONT,
                         "axes.labelsize": MIN_FONT + 0.5, "xtick.labelsize": MIN_FONT, "ytick.labelsize": MIN_FONT})
    return plt


_ID = re.compile(r'(?<=\s)id="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def _to_svg(fig, plt, name: str, fmt: str = "svg"):
    """The figure as an SVG element to inline into HTML (ids prefixed with `name`), or PNG bytes.

    matplotlib numbers ids per figure (figure_1, text_1 …), so several charts in one page would
    repeat them; the prefix keeps every id in the report unique. The figure keeps its size (the
    layout engine fits labels inside it), so a chart is never wider than the text block.
    """
    if fmt == "png":
        raw = io.BytesIO()
        fig.savefig(raw, format="png", dpi=150, metadata={"Software": None})
        plt.close(fig)
        return raw.getvalue()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE: the SVG is inlined into HTML.
    svg = svg[svg.find("<svg"):]
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{name}-{m[1]}"', svg)
    return _presentation(_REF.sub(lambda m: m[1] + (f"{name}-{m[2]}" if m[2] in ids else m[2]), svg))


_STYLE_ELEMENT = re.compile(r"\s*<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>")
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')


def _presentation(svg: str) -> str:
    """matplotlib's SVG with its styles as SVG presentation attributes (`fill="#fff"`, not
    `style="fill: #fff"`): the report's Content-Security-Policy admits no inline styles but its own,
    and presentation attributes are not styles. The `*{…}` defaults go on the root element, whose
    children inherit them."""

    def attributes(declarations: str) -> str:
        pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
        return "".join(f' {prop.strip()}="{value.strip()}"' for prop, value in pairs)

    defaults = _STYLE_ELEMENT.search(svg)
    if defaults:
        svg = svg[:defaults.start()] + svg[defaults.end():]
        svg = svg.replace("<svg ", "<svg" + attributes(defaults[1]) + " ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda m: attributes(m[1]), svg)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def radar(labels: list[str], series: list[Series], colors: dict | None = None, fmt: str = "svg"):
    """A radar chart of dimension scores (0–100) as SVG (or PNG bytes); needs at least three axes."""
    plt = _pyplot()
    colors = {**PALETTE, **(colors or {})}
    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)] + [0]
    fig = plt.figure(figsize=(WIDTH, 4.9))
    # The circle takes the middle of the width; the sides hold labels of about 18 characters.
    ax = fig.add_axes((0.29, 0.16, 0.42, 0.74), polar=True)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100])
    ax.set_yticklabels(["20", "40", "60", "80", "100"], color="#4b5563", fontsize=MIN_FONT)
    ax.set_rlabel_position(180 / count)  # between the first two axes, clear of their labels
    ax.set_xticks(angles[:-1])
    ax.set_xticklabels([_wrap(lbl, 18) for lbl in labels], fontsize=MIN_FONT)
    # Labels stand clear of the outer circle, wide ones at the sides further out.
    ax.tick_params(axis="x", pad=14)
    for angle, tick in zip(angles, ax.get_xticklabels()):
        side = math.sin(angle)
        tick.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1 else "center")
    for s in series:
        # A dimension without a score is a gap in the line, not a zero.
        values = [v if v is not None else math.nan for v in s.values]
        values.append(values[0])
        dashed = s.style in ("target", "baseline", "peer")
        ax.plot(angles, values, color=colors[s.style], linewidth=2 if not dashed else 1.5,
                linestyle="--" if dashed else "-", label=s.name, marker="o" if not dashed else None, markersize=3)
        if s.style == "current" and None not in s.values:
            ax.fill(angles, values, color=colors[s.style], alpha=0.15)
    fig.legend(loc="lower center", ncol=min(len(series), 2), frameon=False)
    return _to_svg(fig, plt, "radar", fmt)


# Label height per text line and gap between labels in the priority matrix, in points of the 0–100 axis
# (a 9 pt line is about 11 pt high; the axis is about 290 pt tall).
LABEL_LINE = 4.2
LABEL_GAP = 0.8
# Width of a point's number label and the shifts of points that share a position, in units of the
# priority axis: a point and its label stay within ±0.5 of its column, so columns never collide.
LABEL_WIDTH = 0.22
SIDE_BY_SIDE = (0.0, 0.2, -0.2)


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


@dataclass(frozen=True)
class MatrixLabel:
    """A point of the priority matrix and its number label: the label's box is x0–x1, y0–y1."""

    number: int
    x: float
    score: float
    y: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        left = self.x + 0.06
        return left, self.y - LABEL_LINE / 2, left + LABEL_WIDTH, self.y + LABEL_LINE / 2


def matrix_labels(points: list[tuple[str, int, float]]) -> list[MatrixLabel]:
    """Where the priority matrix puts its points and their number labels.

    Each point is labelled with its number (1, 2 …) in the key beside the chart: a name would not fit
    between the columns. Points that share a position are set side by side; the labels of one priority
    column are stacked so that none overlaps (see `_stack`).
    """
    seen: dict[tuple, int] = {}
    columns: dict[int, list[tuple[float, float, int]]] = {}
    for number, (_name, priority, score) in enumerate(points, start=1):
        if score is None:
            continue
        key = (priority, round(score / 4))
        offset = seen.get(key, 0)
        seen[key] = offset + 1
        columns.setdefault(priority, []).append((score, priority + SIDE_BY_SIDE[offset % len(SIDE_BY_SIDE)], number))
    placed = []
    for column in columns.values():
        column.sort()
        heights = [LABEL_LINE + LABEL_GAP] * len(column)
        for (score, x, number), y in zip(column, _stack([score for score, _, _ in column], heights, 0, 100)):
            placed.append(MatrixLabel(number, x, score, y))
    return placed


def priority_matrix(points: list[tuple[str, int, float]], colors: dict | None = None, labels: dict | None = None,
                    fmt: str = "svg"):
    """Scatter of dimensions: the municipality's priority (1–5, x) against maturity (0–100, y).

    The lower right quadrant — high priority, low maturity — is shaded as "act first". Points carry
    numbers; the key beside the chart names the dimensions. `labels` holds the axis titles and the
    quadrant names in the report's language.
    """
    plt = _pyplot()
    colors = {**PALETTE, **(colors or {})}
    labels = labels or {}
    fig = plt.figure(figsize=(WIDTH, 4.6))
    ax = fig.add_axes((0.09, 0.12, 0.56, 0.85))
    ax.set_xlim(0.5, 6.0)
    ax.set_ylim(0, 100)
    # Priorities 4 and 5 are "high"; below 50 points is "low maturity".
    ax.axvspan(3.5, 6.0, ymin=0, ymax=0.5, color=colors["target"], alpha=0.10)
    ax.axvline(3.5, color="#9ca3af", linewidth=0.8)
    ax.axhline(50, color="#9ca3af", linewidth=0.8)
    ax.text(5.9, 2, labels.get("act_first", "act first"), ha="right", va="bottom", color=colors["target"], fontweight="bold")
    ax.text(5.9, 98, labels.get("keep", "keep up"), ha="right", va="top", color="#374151")
    ax.text(0.6, 2, labels.get("later", "later"), ha="left", va="bottom", color="#374151")
    ax.text(0.6, 98, labels.get("strength", "strength"), ha="left", va="top", color="#374151")
    for label in matrix_labels(points):
        ax.scatter([label.x], [label.score], s=40, color=colors["current"], zorder=3)
        ax.annotate(str(label.number), (label.x, label.score), xytext=(label.box[0], label.y), textcoords="data",
                    va="center", fontweight="bold",
                    arrowprops={"arrowstyle": "-", "color": "#9ca3af", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 2}
                    if abs(label.y - label.score) > LABEL_LINE / 2 else None)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel(labels.get("x", "priority (1–5)"))
    ax.set_ylabel(labels.get("y", "maturity (0–100)"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    # The key: numbers right-aligned in one column, names (wrapped) in the next, line by line.
    numbers, names = [], []
    for number, (name, _p, _s) in enumerate(points, start=1):
        lines = textwrap.wrap(name, 27, break_long_words=False) or [""]
        numbers += [str(number)] + [""] * (len(lines) - 1)
        names += lines
    fig.text(0.705, 0.97, "\n".join(numbers), va="top", ha="right", linespacing=1.35, fontweight="bold")
    fig.text(0.72, 0.97, "\n".join(names), va="top", ha="left", linespacing=1.35)
    return _to_svg(fig, plt, "matrix", fmt)


# A roadmap chart taller than this (inches) does not fit an A4 page with its heading; the report
# then draws one chart per phase.
ROADMAP_MAX_HEIGHT = 8.0


def _roadmap_rows(bars) -> tuple[list[str], list[float], float]:
    """Wrapped titles, row centres and total height of the rows (in text lines)."""
    titles = [_wrap(title, 66) for title, *_ in bars]
    centres, top = [], 0.0
    for title in titles:
        n = title.count("\n") + 1
        centres.append(top + n / 2 + 0.25)
        top += n + 0.45
    return titles, centres, top


def roadmap_height(bars: list[tuple[str, int, int, str]]) -> float:
    """The height in inches of the roadmap chart of `bars`."""
    return max(2.0, 0.13 * _roadmap_rows(bars)[2] + 0.65)


def roadmap(bars: list[tuple[str, int, int, str]], colors: dict | None = None, labels: dict | None = None,
            fmt: str = "svg"):
    """A Gantt-like chart: one bar per measure, (title, start month, end month, style key).

    Titles wrap onto as many lines as they need, never shortened; each row is as tall as its title
    (one text line is 0.13 in, enough for 9 pt type).
    """
    plt = _pyplot()
    colors = {**PALETTE, **(colors or {})}
    labels = labels or {}
    titles, centres, top = _roadmap_rows(bars)
    fig, ax = plt.subplots(figsize=(WIDTH, roadmap_height(bars)), layout="constrained")
    for centre, (_title, start, end, style) in zip(centres, bars):
        ax.barh(centre, end - start, left=start, height=0.9, color=colors.get(style, colors["current"]))
    ax.set_yticks(centres)
    ax.set_yticklabels(titles, fontsize=MIN_FONT, linespacing=1.1)
    ax.set_ylim(top, 0)
    ax.set_xlim(0, 36)
    ax.set_xticks([0, 6, 12, 18, 24, 30, 36])
    for boundary in (6, 18):
        ax.axvline(boundary, color="#9ca3af", linewidth=0.8, linestyle=":")
    ax.set_xlabel(labels.get("x", "months"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _to_svg(fig, plt, "roadmap" + labels.get("id", ""), fmt)


def trend(rounds: list[str], series: list[Series], fmt: str = "svg"):
    """A line chart of scores (0–100) across rounds: one line per series (a dimension or the index),
    a gap where a round has no value. With two rounds it is a slope chart."""
    plt = _pyplot()
    fig = plt.figure(figsize=(WIDTH, 3.6))
    ax = fig.add_axes((0.08, 0.14, 0.5, 0.8))
    series = [s for s in series if any(v is not None for v in s.values)]  # a line for what was scored
    positions = list(range(len(rounds)))
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, s in enumerate(series):
        values = [v if v is not None else math.nan for v in s.values]
        bold = s.style == "current"
        ax.plot(positions, values, color=PALETTE["current"] if bold else cycle[i % len(cycle)], marker="o", markersize=3,
                linewidth=2.5 if bold else 1.3, label=_wrap(s.name, 30))
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.3, max(len(rounds) - 0.7, 0.3))
    ax.set_xticks(positions)
    ax.set_xticklabels([_wrap(r, 14) for r in rounds])
    ax.grid(axis="y", color="#e5e7eb")
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(loc="center left", bbox_to_anchor=(0.6, 0.55), frameon=False)
    return _to_svg(fig, plt, "trend", fmt)
