"""Portfolio and progress on the server: the trend across rounds (also across questionnaire versions),
measures tracked from round to round and exported, peer benchmarks computed in SQL by the rules
(opt-in, groups of at least five, no names), the overview of many towns and the programme report."""

from __future__ import annotations

import csv
import io
import random

import pytest
from sqlalchemy import select

from assess.library import Library
from assess.model import size_class_for
from assess.peers import ABOVE, BELOW, MIDDLE, MIN_GROUP, quartiles
from assess.server import benchmark, progress
from assess.server import models as m
from assess.server.strings import known
from tests.server.helpers import QUICK, Client, add_user, create_round, create_town, sign_in

CATALOGUE = Library().catalogue(QUICK)
BACKUP_WEAK = {"sec_backup": "none", "str_strategy": "draft", "sec_isb": "none"}
BACKUP_GOOD = {"sec_backup": "offline_tested", "str_strategy": "adopted", "sec_isb": "appointed"}


def answer(app, round_id: int, answers: dict, name: str = "Petra") -> None:
    """A respondent with these answers (as an imported answer file would store them)."""
    with app.extensions["assess_sessions"]() as db:
        person = m.Respondent(round_id=round_id, name=name, role="Hauptamt", source="import: test.yaml", date="2026-03-01")
        person.answers = [m.AnswerRow(question=q, value=v, comment="", evidence="") for q, v in answers.items()]
        db.add(person)
        db.commit()


def close(client: Client, round_id: int) -> None:
    assert client.post(f"/rounds/{round_id}/close").status_code == 302


def recommended(app, round_id: int) -> list[str]:
    with app.extensions["assess_sessions"]() as db:
        rows = progress.plan(db, db.get(m.Round, round_id))
        return [r.measure.id for r in rows if r.recommendation is not None]


# --- rounds over time --------------------------------------------------------------------------

def test_the_trend_shows_each_round_what_improved_and_what_was_completed(sqlite_app):
    client = sign_in(sqlite_app, "beratung@kanzlei.de")
    town = create_town(client)
    t0 = create_round(client, town, label="T0 2024")
    answer(sqlite_app, t0, BACKUP_WEAK)
    close(client, t0)
    t1 = create_round(client, town, label="T1 2026")
    answer(sqlite_app, t1, {**BACKUP_GOOD, "sec_isb": "none"})
    page = client.get(f"/towns/{town}").data.decode()
    table = page.split('id="trend-table"', 1)[1].split("</table>", 1)[0]
    assert "T0 2024" in table and "T1 2026" in table
    index_row = table.split("<td>Index</td>", 1)[1].split("</tr>", 1)[0]
    before, after = [int(v) for v in __import__("re").findall(r'class="num">(\d+)<', index_row)]
    assert after > before
    changes = page.split('id="trend-changes"', 1)[1].split("</ul>", 1)[0]
    assert "Verbessert: Strategie" in changes and "Informationssicherheit" in changes.split("Verbessert:", 1)[1]
    assert "Datensicherung" in changes.split("Laut Antworten erledigt:", 1)[1]  # the backup measure is no longer needed
    assert 'src="data:image/svg+xml;base64,' in page  # the chart


def test_rounds_on_different_questionnaire_versions_compare_only_what_they_share(sqlite_app):
    """T0 was answered on quickcheck 1.0 (never carried over), T1 on the installed version."""
    assert QUICK.migration_from("1.0") is not None
    client = sign_in(sqlite_app, "beratung@kanzlei.de")
    town = create_town(client)
    t0 = create_round(client, town, label="T0")
    answer(sqlite_app, t0, {"sec_backup": "none", "svc_ozg_level": "level3", "field_broadband": "gigabit"})
    with sqlite_app.extensions["assess_sessions"]() as db:
        db.get(m.Round, t0).questionnaire_version = "1.0"
        db.get(m.Round, t0).status = "closed"  # closed by the release before: no stored scores yet
        db.commit()
    t1 = create_round(client, town, label="T1")
    answer(sqlite_app, t1, {"sec_backup": "offline_tested", "svc_ozg_level": "level2", "str_strategy": "adopted"})
    with sqlite_app.extensions["assess_sessions"]() as db:
        found = progress.trend(db, db.get(m.Municipality, town))
        assert [p.round.label for p in found.points] == ["T0", "T1"]
        assert db.scalar(select(m.RoundScore.questionnaire_version).where(m.RoundScore.round_id == t0)) == "1.0"
        note = found.notes[0].get("de")
        assert "quickcheck@1.0" in note and QUICK.ref in note and "nicht verglichen" in note
        assert "field_broadband" in note and "str_strategy" in note  # asked in one round only
        changes = {c.dimension: c.delta for c in found.changes if c.delta is not None}
        # Only the shared questions count: security improved, service stayed (level3 in 1.0 is level2 now).
        assert changes["security"] > 0 and changes["services"] == 0
        assert "strategy" not in changes  # strategy was answered in T1 only: nothing to compare
    page = client.get(f"/towns/{town}").data.decode()
    assert "nur die 2 Fragen" in page


# --- measure tracking --------------------------------------------------------------------------

def test_tracking_carries_into_the_next_round_and_a_completed_measure_still_needed_is_flagged(sqlite_app):
    client = sign_in(sqlite_app, "hauptamt@musterstadt.de")
    town = create_town(client)
    t0 = create_round(client, town, label="T0")
    answer(sqlite_app, t0, BACKUP_WEAK)
    measures = recommended(sqlite_app, t0)
    backup = next(mid for mid in measures if "backup" in mid)
    other = next(mid for mid in measures if mid != backup)
    response = client.post(f"/rounds/{t0}/measures/{backup}", {"accepted": "1", "owner": "=HYPERLINK(\"x\")",
                                                                "due": "2020-01-31", "status": "erledigt"})
    assert response.status_code == 302
    refused = client.post(f"/rounds/{t0}/measures/{other}", {"status": "verworfen", "reason": " "})
    assert refused.status_code == 303
    assert "begründen" in client.get(refused.headers["Location"]).data.decode()
    assert client.post(f"/rounds/{t0}/measures/{other}", {"status": "in_arbeit", "owner": "IT", "due": "2020-02-01"}).status_code == 302
    assert client.post(f"/rounds/{t0}/measures/no-such-measure", {"status": "offen"}).status_code == 303
    close(client, t0)

    t1 = create_round(client, town, label="T1")
    answer(sqlite_app, t1, BACKUP_WEAK)  # the backup is still missing
    page = client.get(f"/rounds/{t1}").data.decode()
    row = page.split(f'data-measure="{backup}"', 1)[1].split("</tr>", 1)[0]
    assert "laut den Antworten aber noch offen" in row and 'value="erledigt" selected' in row
    other_row = page.split(f'data-measure="{other}"', 1)[1].split("</tr>", 1)[0]
    assert 'value="in_arbeit" selected' in other_row and 'value="IT"' in other_row and "überfällig" in other_row

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/rounds/{t1}/plan.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[backup][5] == '=HYPERLINK("x")'  # stays text
    assert book.active.cell(row=[r[0] for r in rows].index(backup) + 1, column=6).data_type == "s"
    assert by_id[backup][7] == "erledigt" and "noch offen" in by_id[backup][9]
    text = client.get(f"/rounds/{t1}/plan.csv").data.decode("utf-8-sig")
    parsed = {r[0]: r for r in csv.reader(io.StringIO(text), delimiter=";")}
    assert parsed[backup][5] == "'=HYPERLINK(\"x\")" and parsed[other][7] == "in Arbeit"
    report = client.get(f"/rounds/{t1}/report.html").data.decode()
    assert 'id="plan-h"' in report and "laut den Antworten aber noch offen" in report
    assert 'id="trend-h"' in report and "<svg" in report.split('id="trend-h"', 1)[1].split("</section>", 1)[0]
    assert '<meta http-equiv="Content-Security-Policy" content="default-src' in report  # as the engine's report
    assert client.get(f"/rounds/{t1}/plan.pdf").status_code == 404


# --- peer benchmarks ---------------------------------------------------------------------------

def _seed(app, scores: list[tuple[str, int, bool, float | None]], state: str = "BY") -> dict[str, int]:
    """Towns (name, population, opted in, index) each with one closed round and stored scores; every
    town also has an earlier closed round with other numbers that must not count."""
    ids = {}
    with app.extensions["assess_sessions"]() as db:
        owner = m.User(email=f"owner{random.random()}@x.de", name="x", password_hash="x")
        db.add(owner)
        db.flush()
        for name, population, opted_in, value in scores:
            town = m.Municipality(owner_id=owner.id, name=name, population=population, state=state, peer_opt_in=opted_in)
            db.add(town)
            db.flush()
            ids[name] = town.id
            for latest, score in ((False, 99.0), (True, value)):
                round_ = m.Round(municipality_id=town.id, label="x", questionnaire_id="quickcheck",
                                 questionnaire_version=QUICK.version, status="closed", priorities={}, targets={})
                db.add(round_)
                db.flush()
                for dimension, v in ((m.OVERALL, score), ("sec", None if score is None else score / 2)):
                    db.add(m.RoundScore(round_id=round_.id, municipality_id=town.id, questionnaire_id="quickcheck",
                                        questionnaire_version=QUICK.version, size_class=size_class_for(population),
                                        state=state,
                                        latest=latest, peer=latest and opted_in, dimension=dimension, score=v,
                                        coverage=1.0, gap=None, measures=[]))
        db.commit()
    return ids


def test_the_sql_quartiles_equal_the_reference_definition(app):
    """On SQLite (window functions) and PostgreSQL (percentile_cont) alike."""
    rng = random.Random(13)
    values = [round(rng.uniform(0, 100), 3) for _ in range(23)]
    rows = [(f"Opt {i}", 8000, True, v) for i, v in enumerate(values)]
    rows += [("Not asked", 8000, False, 0.0), ("No answers", 8000, True, None)]
    _seed(app, rows)
    with app.extensions["assess_sessions"]() as db:
        found = benchmark.distributions(db, "quickcheck", size_class="kleinstadt")
    overall, sec = found[m.OVERALL], found["sec"]
    assert overall.count == 23 and sec.count == 23
    assert (overall.low, overall.median, overall.high) == pytest.approx(quartiles(values), abs=1e-9)
    assert (sec.low, sec.median, sec.high) == pytest.approx(quartiles([v / 2 for v in values]), abs=1e-9)
    for n in (MIN_GROUP, MIN_GROUP + 1, MIN_GROUP + 2):  # odd and even counts
        with app.extensions["assess_sessions"]() as db:
            subset = benchmark.distributions(db, "quickcheck", towns=select(m.Municipality.id).where(
                m.Municipality.name.in_([f"Opt {i}" for i in range(n)])))
        assert (subset[m.OVERALL].low, subset[m.OVERALL].median, subset[m.OVERALL].high) == \
            pytest.approx(quartiles(values[:n]), abs=1e-9)


def test_peer_rules_opt_in_groups_of_five_and_no_names(sqlite_app):
    client = sign_in(sqlite_app, "hauptamt@musterstadt.de")
    town = create_town(client, population="12000")  # a Kleinstadt in BY
    t0 = create_round(client, town)
    answer(sqlite_app, t0, BACKUP_WEAK)
    close(client, t0)
    page = client.get(f"/towns/{town}").data.decode()
    assert 'id="peer-table"' not in page and "Am Vergleich teilnehmen" in page  # not opted in: nothing shown
    assert client.post(f"/towns/{town}/peers", {"opt_in": "1"}).status_code == 302

    # Four other small towns that opted in: too few for their size class and for all sizes.
    _seed(sqlite_app, [(f"Kleinstadt {i}", 9000, True, 40.0 + i) for i in range(4)]
          + [("Schweigsam", 9000, False, 10.0)])
    page = client.get(f"/towns/{town}").data.decode()
    assert 'id="peer-table"' not in page and "zu wenige" in page
    # Two large towns make "all sizes" a group of six: shown as the wider group, with a note.
    _seed(sqlite_app, [("Großstadt A", 150000, True, 80.0), ("Großstadt B", 200000, True, 90.0)])
    with sqlite_app.extensions["assess_sessions"]() as db:
        found = benchmark.benchmark(db, db.get(m.Municipality, town), "quickcheck")
        assert found.scope == "all" and found.wider and found.count == 6
        assert found.rows[m.OVERALL].median == pytest.approx(quartiles([40, 41, 42, 43, 80, 90])[1])
    page = client.get(f"/towns/{town}").data.decode()
    assert "weiter gefassten Gruppe" in page and 'id="peer-table"' in page
    for name in ("Kleinstadt 0", "Großstadt A", "Schweigsam"):
        assert name not in page
    # A fifth small town: the own size class is enough now.
    _seed(sqlite_app, [("Kleinstadt 4", 9000, True, 44.0)])
    with sqlite_app.extensions["assess_sessions"]() as db:
        found = benchmark.benchmark(db, db.get(m.Municipality, town), "quickcheck")
        assert found.scope == "size" and not found.wider and found.count == 5
        assert found.position(m.OVERALL) in (BELOW, MIDDLE, ABOVE)
        in_land = benchmark.benchmark(db, db.get(m.Municipality, town), "quickcheck", with_state=True)
        assert in_land.scope == "size_state" and in_land.count == 5  # all five are in Bayern, too
    _seed(sqlite_app, [("Anderswo", 9000, True, 50.0)], state="HE")
    with sqlite_app.extensions["assess_sessions"]() as db:
        assert benchmark.benchmark(db, db.get(m.Municipality, town), "quickcheck").count == 6
        assert benchmark.benchmark(db, db.get(m.Municipality, town), "quickcheck", with_state=True).count == 5
    page = client.get(f"/towns/{town}?land=1").data.decode()
    assert "5 Kommunen derselben Größenklasse im selben Land" in page
    for place in (BELOW, MIDDLE, ABOVE):  # every place the rule can give has a text on the page
        assert known(f"pos_{place}")
    # Leaving the comparison: the town sees nothing and counts for nobody.
    assert client.post(f"/towns/{town}/peers", {"opt_in": "0"}).status_code == 302
    with sqlite_app.extensions["assess_sessions"]() as db:
        assert benchmark.benchmark(db, db.get(m.Municipality, town), "quickcheck") is None
        assert benchmark.distributions(db, "quickcheck", size_class="kleinstadt")[m.OVERALL].count == 6  # without it


def opted_in_town_with_a_closed_round(app):
    """(client, town, round): a town that takes part in peer benchmarks, one round answered and closed."""
    client = sign_in(app, "hauptamt@musterstadt.de")
    town = create_town(client)
    assert client.post(f"/towns/{town}/peers", {"opt_in": "1"}).status_code == 302
    t0 = create_round(client, town, label="T0")
    answer(app, t0, BACKUP_WEAK)
    close(client, t0)
    return client, town, t0


def test_only_the_latest_closed_round_counts_and_reopening_gives_the_place_back(sqlite_app):
    client, town, t0 = opted_in_town_with_a_closed_round(sqlite_app)
    t1 = create_round(client, town, label="T1")
    answer(sqlite_app, t1, BACKUP_GOOD)

    def flags():
        with sqlite_app.extensions["assess_sessions"]() as db:
            return {r: (latest, peer) for r, latest, peer in db.execute(select(
                m.RoundScore.round_id, m.RoundScore.latest, m.RoundScore.peer).where(m.RoundScore.dimension == m.OVERALL))}

    assert flags() == {t0: (True, True)}
    close(client, t1)
    assert flags() == {t0: (False, False), t1: (True, True)}
    assert client.post(f"/rounds/{t1}/reopen").status_code == 302
    assert flags() == {t0: (True, True)}
    assert client.post(f"/towns/{town}/peers", {"opt_in": "0"}).status_code == 302
    assert flags() == {t0: (True, False)}

    def index(round_id):
        with sqlite_app.extensions["assess_sessions"]() as db:
            return db.scalar(select(m.RoundScore.score).where(m.RoundScore.round_id == round_id,
                                                              m.RoundScore.dimension == m.OVERALL))

    before = index(t0)  # a closed round that changes keeps its stored scores in step
    answer(sqlite_app, t0, {"sec_backup": "immutable_drilled", "str_strategy": "adopted_reviewed"}, name="Nachzügler")
    assert client.post(f"/rounds/{t0}/settings", {"method": "mean"}).status_code == 302
    assert index(t0) > before
    with sqlite_app.extensions["assess_sessions"]() as db:
        people = db.scalars(select(m.Respondent.id).where(m.Respondent.round_id == t0)).all()
    for person in people:
        assert client.post(f"/respondents/{person}/delete").status_code == 302
    assert index(t0) is None


def test_a_round_closed_without_answers_does_not_take_the_towns_place(sqlite_app):
    client, town, t0 = opted_in_town_with_a_closed_round(sqlite_app)
    empty = create_round(client, town, label="zu früh geschlossen")
    close(client, empty)
    with sqlite_app.extensions["assess_sessions"]() as db:
        flags = {r: (latest, peer) for r, latest, peer in db.execute(select(
            m.RoundScore.round_id, m.RoundScore.latest, m.RoundScore.peer).where(m.RoundScore.dimension == m.OVERALL))}
    assert flags == {t0: (True, True), empty: (False, False)}


# --- the overview and the programme report ------------------------------------------------------------

def test_the_overview_filters_pages_and_shows_only_the_own_towns_an_admin_all(sqlite_app):
    client = sign_in(sqlite_app, "beratung@kanzlei.de")
    first = create_town(client, name="Aachtal", population="3000", state="BW")
    t0 = create_round(client, first, label="T0")
    answer(sqlite_app, t0, BACKUP_WEAK)
    close(client, t0)
    t1 = create_round(client, first, label="T1")
    answer(sqlite_app, t1, BACKUP_GOOD)
    close(client, t1)
    measure = recommended(sqlite_app, t1)[0] if recommended(sqlite_app, t1) else CATALOGUE.measures[0].id
    client.post(f"/rounds/{t1}/measures/{measure}", {"status": "offen", "due": "2021-01-01"})
    create_round(client, first, label="T2")  # open
    create_town(client, name="Bergdorf", population="12000", state="BY")
    other = sign_in(sqlite_app, "andere@kanzlei.de")
    create_town(other, name="Fremdstadt", population="50000", state="BY")

    page = client.get("/portfolio").data.decode()
    table = page.split('id="portfolio"', 1)[1]
    assert "Aachtal" in table and "Bergdorf" in table and "Fremdstadt" not in table
    row = table.split("Aachtal", 1)[1].split("</tr>", 1)[0]
    assert "↑" in row and '<td class="num bad">1</td>' in row  # improved; one overdue measure
    assert "Bergdorf" not in client.get("/portfolio?state=BW").data.decode().split('id="portfolio-count"', 1)[1]
    assert "Aachtal" not in client.get("/portfolio?size_class=kleinstadt").data.decode().split('id="portfolio-count"', 1)[1]
    assert "Aachtal" in client.get("/portfolio?size_class=landgemeinde").data.decode()
    only_open = client.get("/portfolio?status=open").data.decode().split('id="portfolio-count"', 1)[1]
    assert "Aachtal" in only_open and "Bergdorf" not in only_open
    assert "Bergdorf" in client.get("/portfolio?status=none").data.decode().split('id="portfolio-count"', 1)[1]

    admin = sign_in(sqlite_app, "land@programm.de", admin=True)
    everything = admin.get("/portfolio").data.decode()
    assert all(name in everything for name in ("Aachtal", "Bergdorf", "Fremdstadt"))
    assert f'href="/towns/{first}"' not in everything  # listed, but the town's pages stay its coordinator's

    report = client.get("/portfolio/report").data.decode()
    assert 'id="recommended"' in report and ": 1 Gemeinde</li>" in report
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/portfolio/report.xlsx").data))
    assert len(book.sheetnames) == 5 and book.sheetnames[-1] == "Gemeinden"
    towns = [r[0] for r in book["Gemeinden"].iter_rows(min_row=2, values_only=True)]
    assert towns == ["Aachtal", "Bergdorf"]


def test_the_overview_is_paginated(sqlite_app):
    from assess.server.overview import PAGE

    add_user(sqlite_app, "viele@kanzlei.de")
    with sqlite_app.extensions["assess_sessions"]() as db:
        owner = db.scalar(select(m.User.id).where(m.User.email == "viele@kanzlei.de"))
        db.add_all([m.Municipality(owner_id=owner, name=f"Gemeinde {i:03d}", population=1000 + i) for i in range(PAGE + 3)])
        db.commit()
    client = Client(sqlite_app)
    client.login("viele@kanzlei.de")
    first = client.get("/portfolio").data.decode()
    assert "Gemeinde 000" in first and f"Gemeinde {PAGE:03d}" not in first and 'id="next-page"' in first
    second = client.get("/portfolio?page=2").data.decode()
    assert f"Gemeinde {PAGE:03d}" in second and "Gemeinde 000" not in second and 'id="next-page"' not in second
