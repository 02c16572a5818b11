"""The funding table: loading with file:line errors, and programmes shown only where and when they apply."""

from __future__ import annotations

import datetime as dt

import pytest

from assess.answers import AnswerSet, Municipality
from assess.funding import load_funding, programmes_for, shipped_table
from assess.model import Measure, AllOf, Text
from assess.errors import ValidationError

GOOD = """\
programmes:
  - id: by_example
    name: {de: "Beispielprogramm", en: "Example programme"}
    issuer: "Land"
    states: [BY]
    valid_from: 2019-10-01
    valid_until: 2023-09-30
    source: "Richtlinie 2019"
  - id: open_everywhere
    name: {de: "Offen", en: "Open"}
    issuer: "Bund"
    states: [alle]
    valid_from: 2025-01-01
    source: "Richtlinie 2025"
"""


def write(tmp_path, text):
    path = tmp_path / "funding.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def measure(*ids):
    return Measure("m_x", "strategy", Text("t", "t"), Text("d", "d"), (), AllOf(()), Text("r", "r"), "S", 1, "quick",
                   funding_programmes=ids)


def test_a_programme_is_shown_only_in_its_state_and_within_its_dates(tmp_path):
    table = load_funding(write(tmp_path, GOOD))
    ids = ("by_example", "open_everywhere")
    assert [p.id for p in table.applicable(ids, "BY", dt.date(2023, 9, 30))] == ["by_example"]
    assert [p.id for p in table.applicable(ids, "BY", dt.date(2023, 10, 1))] == []
    assert [p.id for p in table.applicable(ids, "TH", dt.date(2022, 1, 1))] == []
    assert [p.id for p in table.applicable(ids, "TH", dt.date(2026, 12, 1))] == ["open_everywhere"]


@pytest.mark.parametrize("bad, where, words", [
    (GOOD.replace("valid_until: 2023-09-30", "valid_until: 2018-01-01"), 7, "valid_until"),
    (GOOD.replace("states: [BY]", "states: [Bayern]"), 5, "states"),
    (GOOD.replace("valid_from: 2019-10-01", "valid_from: Oktober"), 6, "2026-12-31"),
    (GOOD.replace("id: open_everywhere", "id: by_example"), 9, "by_example"),
])
def test_a_broken_table_names_file_line_and_fix(tmp_path, bad, where, words):
    path = write(tmp_path, bad)
    with pytest.raises(ValidationError) as caught:
        load_funding(path)
    shown = str(caught.value)
    assert f"{path}:{where}:" in shown and words in shown, shown


def test_the_shipped_table_loads_and_bavarias_digitales_rathaus_ended_in_2023():
    rathaus = shipped_table().programme("by_digitales_rathaus")
    assert rathaus.valid_until == dt.date(2023, 9, 30)
    late = AnswerSet("digitalcheck@1.1", Municipality("X", 5000, state="BY"), (), date="2026-12-01")
    early = AnswerSet("digitalcheck@1.1", Municipality("X", 5000, state="BY"), (), date="2022-03-01")
    assert programmes_for(measure("by_digitales_rathaus"), late) == ()
    assert [p.id for p in programmes_for(measure("by_digitales_rathaus"), early)] == ["by_digitales_rathaus"]
