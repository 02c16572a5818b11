"""The whole team in a real browser: a coordinator sets up a round, two respondents answer at the
same time (one reloads midway), the coordinator sees the progress, closes, merges and downloads
the HTML report that shows both. Debian's chromium via playwright, against a running `assess serve`."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.server import create_app
from tests.server.helpers import Client, PASSWORD, QUICK, add_user, create_round, create_town, free_port, invite, start_server

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(chromium):
    return chromium


@pytest.fixture
def server(sqlite_url):
    app = create_app(sqlite_url)
    add_user(app, "hauptamt@musterstadt.de")
    app.extensions["assess_engine"].dispose()
    port = free_port()
    process = start_server(sqlite_url, port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
    process.stdout.close()


def _page(browser, problems: list):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    return page


def _saved(page) -> None:
    page.wait_for_function("() => window.assessServer && !window.assessServer.busy()", timeout=20000)
    assert "Gespeichert" in page.text_content("#draft-status")


ANSWERS_PETRA = [("str_strategy", "draft"), ("sec_backup", "none"), ("sec_isb", "informal"), ("proc_efile", "pilot"),
                 ("it_operations", "contract"), ("svc_ozg_level", "level2")]
ANSWERS_STEFAN = [("str_strategy", "adopted"), ("sec_backup", "offline_tested"), ("sec_isb", "appointed"),
                  ("proc_efile", "partial"), ("it_operations", "sla"), ("svc_ozg_level", "unknown")]


def test_two_respondents_answer_at_once_and_the_report_shows_both(browser, server, tmp_path):
    problems: list[str] = []
    coordinator = _page(browser, problems)
    coordinator.goto(server + "/towns")
    coordinator.fill("#email", "hauptamt@musterstadt.de")
    coordinator.fill("#password", PASSWORD)
    coordinator.click("button[type=submit].primary")
    coordinator.fill("#t-name", "Musterstadt")
    coordinator.fill("#t-population", "12400")
    coordinator.select_option("#t-state", "BY")
    coordinator.click("form[action$='/towns'] button")
    coordinator.select_option("#r-questionnaire", QUICK.ref)
    coordinator.fill("#r-label", "Quick-Check 2026")
    coordinator.click("form[action$='/rounds'] button")
    round_url = coordinator.url
    assert "/rounds/" in round_url
    links = []
    for name, role in (("Petra Schneider", "Hauptamt"), ("Stefan Lechner", "IT")):
        coordinator.fill("#i-name", name)
        coordinator.select_option("#i-role", role)
        coordinator.click("#invite-form button")
        links.append(coordinator.input_value("#new-link"))
    coordinator.goto(round_url)  # open while the team answers

    petra, stefan = _page(browser, problems), _page(browser, problems)
    petra.goto(links[0])
    stefan.goto(links[1])
    assert petra.is_hidden("#facts") and "bei jeder Eingabe gespeichert" in petra.text_content(".intro")
    for step, ((q1, v1), (q2, v2)) in enumerate(zip(ANSWERS_PETRA, ANSWERS_STEFAN)):
        petra.check(f"#q-{q1}-{v1}")  # no waiting in between: both save at the same time
        stefan.check(f"#q-{q2}-{v2}")
        if step == 2:
            _saved(stefan)
            stefan.reload()  # comes back midway: the answers so far are there
            for q, v in ANSWERS_STEFAN[:3]:
                assert stefan.is_checked(f"#q-{q}-{v}")
    petra.click("#q-sec_backup details.comment summary")
    petra.fill("[data-comment=sec_backup]", "Sicherung nur auf dem NAS im Keller")
    petra.select_option("#p-security", "5")
    _saved(petra)
    _saved(stefan)

    total = len(QUICK.questions)
    # the round's page refreshes the progress by itself
    coordinator.wait_for_function(f"() => document.querySelector('#respondents td.progress').textContent === '6 / {total}'",
                                  timeout=15000)
    coordinator.goto(round_url)
    rows = {coordinator.text_content(f"#respondents tr:nth-child({i}) td:first-child"):
            coordinator.text_content(f"#respondents tr:nth-child({i}) td.progress") for i in (1, 2)}
    assert rows == {"Petra Schneider": f"6 / {total}", "Stefan Lechner": f"6 / {total}"}
    coordinator.click("#toggle-round")
    assert coordinator.text_content("#round-status") == "abgeschlossen"
    stefan.check("#q-sec_emergency-none")  # too late: the round is closed, and the page says so
    stefan.wait_for_function("() => document.getElementById('draft-status').textContent.indexOf('abgeschlossen') >= 0")
    coordinator.select_option("#s-method", "min")
    coordinator.click("form[action$='/settings'] button")
    with coordinator.expect_download() as info:
        coordinator.click("#report-html-de-voll")  # the full edition lists every comment
    report = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Musterstadt" in report and "Petra Schneider" in report and "Stefan Lechner" in report
    assert "Sicherung nur auf dem NAS im Keller" in report
    assert not [p for p in problems if "Failed to load resource" not in p], problems


def test_a_network_drop_is_retried_and_shown_and_a_closed_tab_loses_nothing(browser, server, sqlite_url):
    app = create_app(sqlite_url)
    coordinator = Client(app)
    assert coordinator.login("hauptamt@musterstadt.de").status_code == 302
    round_id = create_round(coordinator, create_town(coordinator))
    link = server + invite(coordinator, round_id, "Petra Schneider")

    def stored() -> int:
        return coordinator.get(f"/rounds/{round_id}/progress.json").get_json()["respondents"][0]["answered"]

    problems: list[str] = []
    page = _page(browser, problems)
    context = page.context
    page.goto(link)
    page.check("#q-str_strategy-draft")
    _saved(page)
    context.set_offline(True)
    page.check("#q-sec_backup-none")
    page.wait_for_function("() => document.getElementById('draft-status').textContent.indexOf('Keine Verbindung') >= 0")
    assert stored() == 1
    context.set_offline(False)  # the page sends it by itself
    _saved(page)
    assert stored() == 2

    context.set_offline(True)
    page.check("#q-sec_isb-informal")
    page.wait_for_function("() => document.getElementById('draft-status').textContent.indexOf('Keine Verbindung') >= 0")
    page.close()  # the tab is closed before the answer reached the server
    context.set_offline(False)
    assert stored() == 2
    again = context.new_page()
    again.goto(link)  # opened again later: the answer kept in the browser is sent
    assert again.is_checked("#q-sec_isb-informal")
    _saved(again)
    assert stored() == 3
    app.extensions["assess_engine"].dispose()


def test_a_state_chosen_on_the_respondent_page_reaches_the_exported_file(browser, server, sqlite_url):
    """The respondent page in a real browser: „in Umsetzung bis 06/2027“ under an answer is saved with it
    and comes out of the round's export as the answer file's progress/until/toward."""
    import io
    import zipfile

    import yaml

    app = create_app(sqlite_url)
    coordinator = Client(app)
    assert coordinator.login("hauptamt@musterstadt.de").status_code == 302
    round_id = create_round(coordinator, create_town(coordinator))
    link = server + invite(coordinator, round_id, "Petra Schneider")
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(link)
    page.check("#q-sec_isb-informal")
    page.select_option("#s-sec_isb", "in_progress")
    page.fill("#s-sec_isb-until", "2027-06")
    _saved(page)
    archive = zipfile.ZipFile(io.BytesIO(coordinator.get(f"/rounds/{round_id}/export.zip").data))
    person = yaml.safe_load(archive.read("petra-schneider.yaml"))
    assert person["answers"]["sec_isb"] == {"value": "informal", "progress": "in_progress", "toward": "appointed",
                                            "until": "2027-06"}
    assert not [p for p in problems if "Failed to load resource" not in p], problems
