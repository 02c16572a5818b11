"""Chart layout helpers: labels of the priority matrix never overlap and stay on the axis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assess.charts import _stack


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(2, 12)), max_size=12))
def test_stacked_labels_keep_their_order_and_never_overlap(labels):
    labels = sorted(labels)
    wanted = [w for w, _ in labels]
    heights = [h for _, h in labels]
    centres = _stack(wanted, heights, 0, 100)
    assert len(centres) == len(labels)
    for i in range(1, len(centres)):
        assert centres[i] - centres[i - 1] >= (heights[i] + heights[i - 1]) / 2 - 1e-9
    if sum(heights) <= 100:  # room for all: every label stays inside the axis
        assert all(c - h / 2 >= -1e-9 and c + h / 2 <= 100 + 1e-9 for c, h in zip(centres, heights))


def test_a_label_with_room_stays_at_its_point():
    assert _stack([10, 50, 90], [5, 5, 5], 0, 100) == [10, 50, 90]
    assert _stack([40, 41], [5, 5], 0, 100) == [40, 45]
    assert _stack([99, 99.5], [5, 5], 0, 100) == [92.5, 97.5]


# --- every example: the charts as they are drawn for the reports ----------------------------------

import html  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from assess.library import Library  # noqa: E402
from assess.charts import LABEL_LINE, matrix_labels  # noqa: E402
from assess.render import report_context  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOWNS = ["musterstadt", "musterstadt-2024", "musterstadt-quickcheck", "landgemeinde-waldbach",
         "mittelstadt-hafenstedt", "kleinstadt-lindenau"]
# The A4 text block: 210 mm less two margins of 16 mm, in points.
TEXT_WIDTH_PT = (210 - 2 * 16) / 25.4 * 72


@pytest.fixture(scope="module", params=TOWNS)
def context(request):
    return report_context(Library().assess_file(EXAMPLES / f"{request.param}.yaml"), "de", edition="voll")


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_matrix_labels_of_every_example_never_overlap(context):
    points = context["chart_inputs"]["matrix"][0]
    labels = matrix_labels(points)
    assert len(labels) == sum(score is not None for _, _, score in points)
    for i, a in enumerate(labels):
        x0, y0, x1, y1 = a.box
        assert 0.5 <= x0 and x1 <= 6.0 and 0 <= y0 and y1 <= 100, a
        assert abs(a.y - a.score) <= 2 * LABEL_LINE * len(labels), a  # near its point
        for b in labels[i + 1:]:
            assert not overlap(a.box, b.box), (a, b)


@given(st.lists(st.tuples(st.integers(1, 5), st.floats(0, 100)), max_size=12))
def test_matrix_labels_never_overlap_for_any_points(points):
    labels = matrix_labels([(f"D{i}", prio, score) for i, (prio, score) in enumerate(points)])
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not overlap(a.box, b.box), (a, b)


def svg_facts(svg: str) -> tuple[float, float, list[str]]:
    """Width in points, smallest font size and the texts of an inline SVG from assess.charts."""
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)[1])
    # Presentation attributes (font-size="9px"), see assess.charts._presentation.
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)px"', svg)]
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    texts += [html.unescape(t) for t in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)]
    return width, min(sizes), texts


def all_charts(context) -> list[str]:
    return [str(svg) for svg in [context["radar_svg"], context["matrix_svg"]] + [part["svg"] for part in context["roadmap_parts"]]]


def test_chart_text_is_at_least_9_points_on_a4(context):
    for svg in all_charts(context):
        width, smallest, _ = svg_facts(svg)
        # Printed at most at the text block's width, so never scaled down, every text stays at least 9 pt.
        assert width <= TEXT_WIDTH_PT
        assert smallest >= 9


def test_roadmap_labels_wrap_and_are_never_shortened(context):
    from assess.charts import ROADMAP_MAX_HEIGHT, roadmap_height

    titles = [title for p in context["advice"].phases for r in p.recommendations for title in [r.measure.title.get("de")]]
    for part in context["roadmap_parts"]:
        _, _, texts = svg_facts(str(part["svg"]))
        shown = " ".join(texts)
        assert "…" not in shown
        words = shown.split()
        for title, *_ in part["inputs"][0]:
            for word in title.split():
                assert word in words, (word, title)
        # Every part fits on an A4 page with its heading.
        assert len(context["roadmap_parts"]) == 1 or roadmap_height(part["inputs"][0]) <= ROADMAP_MAX_HEIGHT + 2
    assert [title for part in context["roadmap_parts"] for title, *_ in part["inputs"][0]] == titles
