"""A consultant with two towns and two rounds each, in a real browser against a running `assess serve`:
answers imported, rounds closed, measures tracked, the trend read, the portfolio filtered, the peer
benchmark joined — and no other town's name anywhere it must not be."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.model import size_class_for
from assess.server import create_app
from assess.server import models as m
from tests.server.helpers import PASSWORD, QUICK, add_user, free_port, start_server

pytestmark = pytest.mark.browser

WEAK = {"str_strategy": "draft", "sec_backup": "none", "sec_isb": "none", "proc_efile": "planned"}
BETTER = {"str_strategy": "adopted", "sec_backup": "none", "sec_isb": "appointed", "proc_efile": "partial"}
PEERS = [(f"Vergleichsort {i}", 4000 + i * 100, 30.0 + i * 5) for i in range(6)]


@pytest.fixture
def server(sqlite_url):
    app = create_app(sqlite_url)
    add_user(app, "beratung@kanzlei.de")
    with app.extensions["assess_sessions"]() as db:  # six small towns of another coordinator that opted in
        owner = m.User(email="andere@kanzlei.de", name="andere", password_hash="x")
        db.add(owner)
        db.flush()
        for name, population, score in PEERS:
            town = m.Municipality(owner_id=owner.id, name=name, population=population, state="BW", peer_opt_in=True)
            db.add(town)
            db.flush()
            round_ = m.Round(municipality_id=town.id, label="2025", questionnaire_id=QUICK.id, questionnaire_version=QUICK.version,
                             status="closed", priorities={}, targets={})
            db.add(round_)
            db.flush()
            db.add_all([m.RoundScore(round_id=round_.id, municipality_id=town.id, questionnaire_id=QUICK.id,
                                     questionnaire_version=QUICK.version, size_class=size_class_for(population), state="BW",
                                     latest=True, peer=True, dimension=d, score=score, coverage=1.0, gap=None, measures=[])
                        for d in [m.OVERALL] + [d.id for d in QUICK.dimensions]])
        db.commit()
    app.extensions["assess_engine"].dispose()
    port = free_port()
    process = start_server(sqlite_url, port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
    process.stdout.close()


def _answer_file(folder: Path, name: str, town: str, population: int, answers: dict) -> Path:
    path = folder / name
    lines = [f"questionnaire: {QUICK.ref}", "municipality:", f"  name: {town}", f"  population: {population}",
             "date: 2026-03-01", "respondents:", "  - {name: Petra Schneider, role: Hauptamt}", "answers:"]
    path.write_text("\n".join(lines + [f"  {q}: {v}" for q, v in answers.items()]) + "\n", encoding="utf-8")
    return path


def test_a_consultant_follows_two_towns_over_two_rounds(chromium, server, tmp_path):
    problems: list[str] = []
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.goto(server + "/towns")
    page.fill("#email", "beratung@kanzlei.de")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")

    towns = {"Aachtal": (4200, "BW", WEAK, BETTER), "Bergheim": (26000, "NW", BETTER, WEAK)}
    for name, (population, state, first, second) in towns.items():
        page.goto(server + "/towns")
        page.fill("#t-name", name)
        page.fill("#t-population", str(population))
        page.select_option("#t-state", state)
        page.click("form[action$='/towns'] button")
        town_url = page.url
        for label, answers in (("Erhebung 2024", first), ("Erhebung 2026", second)):
            page.goto(town_url)
            page.select_option("#r-questionnaire", QUICK.ref)
            page.fill("#r-label", label)
            page.click("form[action$='/rounds'] button")
            page.set_input_files("#files", str(_answer_file(tmp_path, f"{name}-{label[-4:]}.yaml", name, population, answers)))
            page.click("form[action$='/import'] button")
            assert "Petra Schneider" in page.text_content("#respondents")
            if label == "Erhebung 2024" and name == "Aachtal":
                # The backup measure is taken on and (wrongly) marked as done before the next round.
                row = page.locator("#plan-table tr[data-measure*='backup']").first
                measure = row.get_attribute("data-measure")
                row.locator("input[name=accepted]").check()
                row.locator("input[name=owner]").fill("IT-Dienstleister")
                row.locator("input[name=due]").fill("2025-06-30")
                row.locator("select[name=status]").select_option("erledigt")
                row.locator("button").click()
                row = page.locator(f"#plan-table tr[data-measure='{measure}']")
                assert row.locator("input[name=accepted]").is_checked()
                assert row.locator("input[name=owner]").input_value() == "IT-Dienstleister"
            page.click("#toggle-round")
            assert page.text_content("#round-status") == "abgeschlossen"
        # The second round's page: the trend and, for Aachtal, the carried-over status flagged.
        changes = page.text_content("#trend-changes")
        if name == "Aachtal":
            assert "Verbessert: Strategie" in changes
            row = page.locator(f"#plan-table tr[data-measure='{measure}']")
            assert "laut den Antworten aber noch offen" in row.text_content()
            assert row.locator("select[name=status]").input_value() == "erledigt"
            with page.expect_download() as info:
                page.click("#plan-xlsx")
            assert info.value.suggested_filename.endswith(".xlsx")
        else:
            assert "Verschlechtert: Strategie" in changes
        assert page.locator("#trend-table thead th").count() == 3  # the two rounds

    page.click("#nav-portfolio")
    rows = {page.text_content(f"#portfolio tbody tr:nth-child({i}) td:first-child"):
            page.text_content(f"#portfolio tbody tr:nth-child({i}) td:nth-child(5)") for i in (1, 2)}
    assert rows == {"Aachtal": "↑", "Bergheim": "↓"}
    assert "Vergleichsort" not in page.text_content("#portfolio")
    page.select_option("select[name=state]", "NW")
    page.click("form.filters button")
    assert page.locator("#portfolio tbody tr").count() == 1 and "Bergheim" in page.text_content("#portfolio")
    page.click("#programme-link")
    assert "Am häufigsten empfohlene Maßnahmen" in page.content() and "Vergleichsort" not in page.content()

    page.goto(server + "/portfolio")
    page.click("text=Aachtal")
    page.click("#peer-toggle")  # join the peer comparison: six small towns in BW opted in
    group = page.text_content("#peer-group")
    assert "6 Kommunen derselben Größenklasse" in group
    assert page.locator("#peer-table tbody tr").count() == len(QUICK.dimensions) + 1
    assert "Vergleichsort" not in page.content()
    assert not [p for p in problems if "Failed to load resource" not in p], problems
    context.close()
