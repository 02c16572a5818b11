"""The funding table: real programmes with the states they serve and their validity dates.

Measures name programmes by id (`funding_programmes`); a report shows a programme only where it
applies — the municipality's state and the assessment date inside the programme's validity.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from assess.errors import message
from assess.loading import ID_PATTERN, read_text
from assess.model import Text
from assess.resources import data_dir
from assess.yamlfile import Checker, read_file, shown

FUNDING_FILE = "funding.yaml"
ALL_STATES = "alle"
STATES = ("BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")
PROGRAMME_KEYS = ("id", "name", "issuer", "states", "valid_from", "valid_until", "url", "note", "source")
TABLE = Text("Fördertabelle", "the funding table")


@dataclass(frozen=True)
class Programme:
    """A funding programme: who may apply (states) and when (validity dates, both inclusive)."""

    id: str
    name: Text
    issuer: str
    states: tuple[str, ...]
    valid_from: dt.date
    valid_until: dt.date | None  # None: no end date known
    url: str
    source: str
    note: Text = Text("", "")

    def serves(self, state: str) -> bool:
        return ALL_STATES in self.states or state in self.states

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class FundingTable:
    programmes: tuple[Programme, ...]
    path: str = ""

    def programme(self, pid: str) -> Programme | None:
        return next((p for p in self.programmes if p.id == pid), None)

    def applicable(self, ids: tuple[str, ...], state: str, day: dt.date | None) -> tuple[Programme, ...]:
        """The programmes among `ids` open to a municipality in `state` on `day`.

        Without a state every state's programmes are candidates; without a date today counts, so an
        expired programme is never shown.
        """
        day = day or dt.date.today()
        found = (self.programme(pid) for pid in ids)
        return tuple(p for p in found if p is not None and (not state or p.serves(state)) and p.valid_on(day))


@functools.lru_cache(maxsize=1)
def shipped_table() -> FundingTable:
    """The funding table shipped with the questionnaires, read once."""
    return load_funding()


def programmes_for(measure, answers) -> tuple[Programme, ...]:
    """The programmes of `measure` open to the municipality of `answers` on its assessment date."""
    if not measure.funding_programmes:
        return ()
    return shipped_table().applicable(measure.funding_programmes, answers.municipality.state, as_date(answers.date))


def funding_path() -> Path:
    return data_dir("questionnaires") / FUNDING_FILE


def load_funding(path: Path | None = None) -> FundingTable:
    """Load and validate the funding table; raise ValidationError listing every problem (file:line)."""
    path = path or funding_path()
    checker = Checker(str(path))
    table = _read(checker, read_file(path), str(path))
    checker.raise_if_errors()
    return table


def as_date(value) -> dt.date | None:
    """A date from YAML (a date, or an ISO string), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _read(c: Checker, data, path: str) -> FundingTable:
    data = c.mapping(data, 1, TABLE)
    if data is None:
        return FundingTable((), path)
    c.keys(data, ("programmes", "$schema"), TABLE)
    raw = c.require(data, "programmes", TABLE)
    if not isinstance(raw, list):
        if raw is not None:
            c.error(data.line_of("programmes"), Text("„programmes“ muss eine Liste sein", "'programmes' must be a list"))
        return FundingTable((), path)
    programmes, seen = [], {}
    for _, item, numbered in c.entries(raw, "Programm", "programme"):
        pid = c.string(item, "id", numbered)
        what = Text(f"Programm „{pid}“", f"programme '{pid}'")
        if pid and not ID_PATTERN.match(pid):
            c.error(item.line_of("id"), message("{what}: die Kennung „{pid}“ muss mit einem Kleinbuchstaben beginnen und nur a–z, 0–9 und _ enthalten",
                                                "{what}: the id '{pid}' must start with a lower-case letter and use only a-z, 0-9 and _",
                                                what=what, pid=shown(pid)))
        if pid in seen:
            c.error(item.line_of("id"), Text(f"die Kennung „{pid}“ hat schon ein anderes Programm (Zeile {seen[pid]})",
                                             f"duplicate programme id '{pid}' (first used on line {seen[pid]})"))
        seen[pid] = item.line_of("id")
        c.keys(item, PROGRAMME_KEYS, what)
        states = item.get("states")
        if not isinstance(states, list) or not states or any(s != ALL_STATES and s not in STATES for s in states):
            c.error(item.line_of("states") if "states" in item else item.line, message(
                "{what}: „states“ muss eine Liste von Länderkürzeln sein ({codes}) oder [alle]",
                "{what}: 'states' must be a list of state codes ({codes}) or [alle]", what=what, codes=", ".join(STATES)))
            states = []
        valid_from = _date(c, item, "valid_from", what, required=True)
        valid_until = _date(c, item, "valid_until", what, required=False)
        if valid_from and valid_until and valid_until < valid_from:
            c.error(item.line_of("valid_until"), message("{what}: „valid_until“ liegt vor „valid_from“",
                                                         "{what}: 'valid_until' is before 'valid_from'", what=what))
        source = c.string(item, "source", what)
        programmes.append(Programme(
            id=pid,
            name=read_text(c, item, "name", what),
            issuer=c.string(item, "issuer", what),
            states=tuple(str(s) for s in states),
            valid_from=valid_from or dt.date.min,
            valid_until=valid_until,
            url=c.string(item, "url", what, required=False),
            source=source,
            note=read_text(c, item, "note", what, required=False),
        ))
    return FundingTable(tuple(programmes), path)


def _date(c: Checker, item, key: str, what: Text, required: bool) -> dt.date | None:
    if key not in item or item[key] is None:
        if required:
            c.require(item, key, what)
        return None
    day = as_date(item[key])
    if day is None:
        c.error(item.line_of(key), message("{what}: „{key}“ muss ein Datum wie 2026-12-31 sein, nicht „{value}“",
                                           "{what}: '{key}' must be a date like 2026-12-31, not '{value}'",
                                           what=what, key=key, value=shown(str(item[key]))))
    return day


def check_references(table: FundingTable, catalogue) -> list[str]:
    """Measures that name a programme the table does not have, as 'measure → id' strings."""
    known = {p.id for p in table.programmes}
    return [f"{m.id} → {pid}" for m in catalogue.measures for pid in m.funding_programmes if pid not in known]
