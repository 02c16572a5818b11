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
