"""The coordinator's and respondents' path through a round, on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
import re
import zipfile

import yaml

from tests.server.helpers import Client, DIGITAL, QUICK, create_round, create_town, invite, sign_in

Q = QUICK


def test_a_round_from_invitation_to_report(app):
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    town = create_town(coordinator)
    round_id = create_round(coordinator, town)
    petra_link = invite(coordinator, round_id, "Petra Schneider", "Hauptamt")
    stefan_link = invite(coordinator, round_id, "Stefan Lechner", "IT")

    petra, stefan = Client(app), Client(app)
    page = petra.get(petra_link)
    assert page.status_code == 200
    assert "Strategie" in page.data.decode()
    assert stefan.get(stefan_link).status_code == 200
    # every answer is saved as it is given
    assert petra.post_json(petra_link + "/answer", {"question": "sec_backup", "value": "none"}).status_code == 200
    assert stefan.post_json(stefan_link + "/answer", {"question": "sec_backup", "value": "offline_tested",
                                                      "comment": "Band im Tresor"}).status_code == 200
    assert petra.post_json(petra_link + "/answer", {"question": "str_strategy", "value": "draft"}).status_code == 200
    assert petra.post_json(petra_link + "/answer", {"priority": "security", "value": 5}).status_code == 200
    # changing an answer replaces it; null removes it
    assert petra.post_json(petra_link + "/answer", {"question": "str_strategy", "value": "adopted"}).status_code == 200
    assert stefan.post_json(stefan_link + "/answer", {"question": "it_operations", "value": "sla"}).status_code == 200
    assert stefan.post_json(stefan_link + "/answer", {"question": "it_operations", "value": None}).status_code == 200

    # the respondent sees their own answers again when coming back, and only those
    again = petra.get(petra_link).data.decode()
    data = json.loads(again.split('id="assess-data">', 1)[1].split("</script>", 1)[0])
    assert data["prefill"]["answers"] == {"sec_backup": "none", "str_strategy": "adopted"}
    assert "Band im Tresor" not in again

    progress = coordinator.get(f"/rounds/{round_id}/progress.json").get_json()
    assert [(r["name"], r["answered"], r["applicable"]) for r in progress["respondents"]] == [
        ("Petra Schneider", 2, len(Q.questions)), ("Stefan Lechner", 1, len(Q.questions))]

    page = coordinator.get(f"/rounds/{round_id}").data.decode()
    total = len(Q.questions)
    assert f"2 / {total}" in page and f"1 / {total}" in page
    assert "Abweichende Einschätzungen" in page and "Stefan Lechner" in page  # none vs offline_tested: 3 steps

    assert coordinator.post(f"/rounds/{round_id}/settings", {"method": "min", "priority-services": "5",
                                                            "target-security": "4"}).status_code == 302
    assert coordinator.post(f"/rounds/{round_id}/close").status_code == 302
    closed = petra.post_json(petra_link + "/answer", {"question": "sec_isb", "value": "none"})
    assert closed.status_code == 409 and closed.get_json()["error"] == "round_closed"
    closed_page = petra.get(petra_link)
    assert closed_page.status_code == 409 and "abgeschlossen" in closed_page.data.decode()

    report = coordinator.get(f"/rounds/{round_id}/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["Content-Disposition"]
    html = report.data.decode()
    assert "Petra Schneider" in html and "Stefan Lechner" in html and "Musterstadt" in html
    english = coordinator.get(f"/rounds/{round_id}/report.md?lang=en").data.decode()
    assert "Musterstadt" in english and "Information security and data protection" in english and "Strategie" not in english
    data = coordinator.get(f"/rounds/{round_id}/report.json").get_json()
    assert data["respondents"] == [{"name": "Petra Schneider", "role": "Hauptamt"}, {"name": "Stefan Lechner", "role": "IT"}]
    assert data["municipality"]["ags"] == "09999001" and data["questionnaire"]["version"] == Q.version
    pdf = coordinator.get(f"/rounds/{round_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    docx = coordinator.get(f"/rounds/{round_id}/report.docx?edition=voll&lang=de")
    assert docx.status_code == 200 and docx.data.startswith(b"PK") and "-voll-de.docx" in docx.headers["Content-Disposition"]
    full = coordinator.get(f"/rounds/{round_id}/report.html?edition=voll&lang=de").data
    assert len(full) > len(report.data)  # the full edition says more than the short one (the default)
    assert coordinator.get(f"/rounds/{round_id}/report.html?edition=lang").status_code == 404

    # the merged answer file keeps each respondent's value and the town's own priorities and targets
    archive = zipfile.ZipFile(io.BytesIO(coordinator.get(f"/rounds/{round_id}/export.zip").data))
    merged = yaml.safe_load(archive.read("zusammengefuehrt.yaml"))
    assert merged["answers"]["sec_backup"]["value"] == "none"  # min
    assert merged["answers"]["sec_backup"]["respondents"] == {"Petra Schneider": "none", "Stefan Lechner": "offline_tested"}
    assert merged["priorities"]["services"] == 5 and merged["priorities"]["security"] == 5
    assert merged["targets"] == {"security": 4}


def test_an_invalid_answer_is_refused_with_a_message_and_not_stored(app):
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    round_id = create_round(coordinator, create_town(coordinator))
    link = invite(coordinator, round_id, "Petra")
    petra = Client(app)
    petra.get(link)
    for payload, word in (({"question": "sec_backup", "value": "sometimes"}, "sometimes"),
                          ({"question": "nope", "value": "none"}, "nope"),
                          ({"priority": "security", "value": 9}, "1"),
                          ({"question": "sec_backup", "value": ["none"]}, "sec_backup"),
                          ([1, 2], "JSON")):
        response = petra.post_json(link + "/answer", payload)
        assert response.status_code == 422, payload
        assert word in response.get_json()["message"]
    assert coordinator.get(f"/rounds/{round_id}/progress.json").get_json()["respondents"][0]["answered"] == 0


def test_files_and_server_round_trip_losslessly(app, tmp_path):
    """Export a round as answer files, import them into a new round: the same files come out."""
    from assess.resources import example_path

    coordinator = sign_in(app, "berater@example.org")
    town = create_town(coordinator)
    first = create_round(coordinator, town, DIGITAL.ref)
    source = example_path("musterstadt.yaml").read_bytes()
    response = coordinator.post(f"/rounds/{first}/import", {"files": (io.BytesIO(source), "musterstadt.yaml")},
                                content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()[:3000]
    link = invite(coordinator, first, "Stefan Lechner", "IT")
    stefan = Client(app)
    stefan.get(link)
    for question, value in (("sec_backup", "offline_tested"), ("str_strategy", "draft")):
        assert stefan.post_json(link + "/answer", {"question": question, "value": value, "comment": "„Zitat“ & <b>"}).status_code == 200

    exported = zipfile.ZipFile(io.BytesIO(coordinator.get(f"/rounds/{first}/export.zip").data))
    people = [n for n in exported.namelist() if not n.startswith("zusammengefuehrt")]
    assert len(people) == 2
    original = yaml.safe_load(source)
    original["date"] = original["date"].isoformat()  # the answer-file writer quotes dates
    assert yaml.safe_load(exported.read(people[0])) == original  # everything: facts, the team of three, answers

    second = create_round(coordinator, town, DIGITAL.ref, "Kopie")
    files = {"files": [(io.BytesIO(exported.read(n)), n) for n in people]}
    assert coordinator.post(f"/rounds/{second}/import", files, content_type="multipart/form-data").status_code == 302
    again = zipfile.ZipFile(io.BytesIO(coordinator.get(f"/rounds/{second}/export.zip").data))
    for name in exported.namelist():
        assert yaml.safe_load(again.read(name)) == yaml.safe_load(exported.read(name)), name


def test_an_import_that_does_not_fit_says_why_and_stores_nothing(app):
    coordinator = sign_in(app, "berater@example.org")
    round_id = create_round(coordinator, create_town(coordinator))  # quickcheck
    bad = f"questionnaire: {QUICK.ref}\nmunicipality: {{name: X, population: 100}}\nanswers:\n  sec_backup: sometimes\n".encode()
    other = f"questionnaire: {DIGITAL.ref}\nmunicipality: {{name: X, population: 100}}\nanswers: {{}}\n".encode()
    response = coordinator.post(f"/rounds/{round_id}/import",
                                {"files": [(io.BytesIO(bad), "bad.yaml"), (io.BytesIO(other), "other.yaml")]},
                                content_type="multipart/form-data")
    page = response.data.decode()
    assert response.status_code == 400
    assert "bad.yaml:4" in page and "sometimes" in page and DIGITAL.ref in page
    assert coordinator.get(f"/rounds/{round_id}/progress.json").get_json()["respondents"] == []


def test_deleting_a_town_deletes_its_rounds_respondents_and_answers(app):
    from sqlalchemy import func, select

    from assess.server.models import AnswerRow, Respondent, Round

    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    town = create_town(coordinator)
    round_id = create_round(coordinator, town)
    link = invite(coordinator, round_id, "Petra")
    petra = Client(app)
    petra.get(link)
    petra.post_json(link + "/answer", {"question": "sec_backup", "value": "none"})
    assert coordinator.post(f"/towns/{town}/delete", {"confirm": "falsch"}).status_code == 302
    assert coordinator.get(f"/towns/{town}").status_code == 200  # a wrong name deletes nothing
    assert coordinator.post(f"/towns/{town}/delete", {"confirm": "Musterstadt"}).status_code == 302
    assert coordinator.get(f"/towns/{town}").status_code == 404
    with app.extensions["assess_sessions"]() as db:
        for model in (Round, Respondent, AnswerRow):
            assert db.scalar(select(func.count()).select_from(model)) == 0
    assert petra.get(link).status_code == 404


def test_a_report_compares_with_the_towns_previous_closed_round(app):
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    town = create_town(coordinator)

    def round_with_answer(label: str, value: str) -> int:
        round_id = create_round(coordinator, town, label=label)
        link = invite(coordinator, round_id, "Petra")
        person = Client(app)
        person.get(link)
        assert person.post_json(link + "/answer", {"question": "sec_backup", "value": value}).status_code == 200
        return round_id

    earlier = round_with_answer("2024", "none")
    assert coordinator.get(f"/rounds/{earlier}/report.json").get_json()["comparison"] is None  # nothing before it
    later = round_with_answer("2026", "immutable_drilled")
    assert coordinator.get(f"/rounds/{later}/report.json").get_json()["comparison"] is None  # 2024 is still open
    coordinator.post(f"/rounds/{earlier}/close")
    comparison = coordinator.get(f"/rounds/{later}/report.json").get_json()["comparison"]
    assert comparison is not None and comparison["overall_delta"] > 0


def test_every_answer_type_is_checked_saved_and_exported_like_an_answer_file(app):
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    round_id = create_round(coordinator, create_town(coordinator), DIGITAL.ref)
    link = invite(coordinator, round_id, "Petra Schneider")
    petra = Client(app)
    petra.get(link)
    good = {"str_own_staff": 2.5, "svc_channels": ["counter", "phone"], "proc_council": "ris", "proc_council_invitation": True,
            "sec_mfa": "unknown", "coop_intermunicipal": "none", "coop_shared_services": ["dms"]}
    for question, value in good.items():
        assert petra.post_json(link + "/answer", {"question": question, "value": value}).status_code == 200, question
    for question, value in (("svc_business", ["none_of_these", "events"]), ("proc_council_invitation", "vielleicht"),
                            ("str_own_staff", "zwei"), ("svc_channels", "counter,phone")):
        refused = petra.post_json(link + "/answer", {"question": question, "value": value})
        assert refused.status_code == 422, question
    exported = zipfile.ZipFile(io.BytesIO(coordinator.get(f"/rounds/{round_id}/export.zip").data))
    answers = yaml.safe_load(exported.read("petra-schneider.yaml"))["answers"]
    # coop_shared_services is asked only with intermunicipal cooperation: skipped, as the form's download skips it
    assert answers == {k: v for k, v in good.items() if k != "coop_shared_services"}


def test_a_workshop_workbook_is_imported_as_one_respondent_per_column(app, tmp_path):
    openpyxl = __import__("pytest").importorskip("openpyxl")
    from assess.capture.sheet import export_workbook

    path = tmp_path / "workshop.xlsx"
    export_workbook(Q, path, 2, "de")
    workbook = openpyxl.load_workbook(path)

    def put(key, *values):
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(min_col=1, max_col=1):
                if row[0].value == key:
                    for i, value in enumerate(values):
                        sheet.cell(row=row[0].row, column=4 + i, value=value)
                    return
        raise KeyError(key)

    backup = Q.question("sec_backup")
    put("municipality.name", "Musterstadt")
    put("municipality.population", 12400)
    put("respondent.name", "Erika Muster", "Max Meier")
    put("respondent.role", "Hauptamt", "IT")
    put("sec_backup", backup.option("none").text.de, backup.option("offline_tested").text.de)
    workbook.save(path)

    coordinator = sign_in(app, "berater@example.org")
    round_id = create_round(coordinator, create_town(coordinator))
    response = coordinator.post(f"/rounds/{round_id}/import", {"files": (io.BytesIO(path.read_bytes()), "workshop.xlsx")},
                                content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()[-3000:]
    people = coordinator.get(f"/rounds/{round_id}/progress.json").get_json()["respondents"]
    assert [(p["name"], p["role"], p["answered"]) for p in people] == [("Erika Muster", "Hauptamt", 1), ("Max Meier", "IT", 1)]
    page = coordinator.get(f"/rounds/{round_id}").data.decode()
    assert "übernommen aus workshop.xlsx" in page


def test_an_admin_adds_and_disables_accounts_in_the_browser(app):
    admin = sign_in(app, "admin@land.de", admin=True)
    refused = admin.post("/admin/users", {"email": "kurz@stadt.de", "password": "kurz"})
    assert refused.status_code == 400 and "mindestens 10 Zeichen" in refused.data.decode()
    assert admin.post("/admin/users", {"email": "Neu@Stadt.de", "password": "lang-genug-123"}).status_code == 302
    assert admin.post("/admin/users", {"email": "neu@stadt.de", "password": "lang-genug-123"}).status_code == 400
    newcomer = Client(app)
    assert newcomer.login("neu@stadt.de", "lang-genug-123").status_code == 302
    assert newcomer.get("/admin/users").status_code == 404  # not an admin
    from sqlalchemy import select

    from assess.server.models import User

    with app.extensions["assess_sessions"]() as db:
        user_id = db.scalar(select(User.id).where(User.email == "neu@stadt.de"))
    assert admin.post(f"/admin/users/{user_id}/active", {"active": "0"}).status_code == 302
    assert newcomer.get("/towns").status_code == 302  # signed out at once
    assert "gesperrt" in admin.get("/admin/users").data.decode()


def test_after_an_update_a_round_is_carried_over_to_the_new_questionnaire_version(app):
    """A round begun on quickcheck 1.0; the update installed 1.1, which declares how 1.0 answers carry over."""
    from assess.server.models import AnswerRow, Respondent, Round

    migration = QUICK.migration_from("1.0")
    assert migration is not None, "the test needs a version with a declared migration"
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    round_id = create_round(coordinator, create_town(coordinator))
    link = invite(coordinator, round_id, "Petra")
    with app.extensions["assess_sessions"]() as db:
        round_ = db.get(Round, round_id)
        round_.questionnaire_version = "1.0"
        person_id = round_.respondents[0].id
        db.add_all([AnswerRow(respondent_id=person_id, question="sec_backup", value="offline_tested", comment="NAS"),
                    AnswerRow(respondent_id=person_id, question="svc_ozg_level", value="level3"),
                    AnswerRow(respondent_id=person_id, question="field_broadband", value="gigabit")])
        db.commit()
    person = Client(app)
    waiting = person.get(link)
    assert waiting.status_code == 409 and "aktualisiert" in waiting.data.decode()
    page = coordinator.get(f"/rounds/{round_id}")
    assert page.status_code == 409 and f"Version {QUICK.version}" in page.data.decode()
    done = coordinator.post(f"/rounds/{round_id}/carry-over")
    page = done.data.decode()
    assert done.status_code == 200 and "field_broadband" in page and QUICK.ref in page  # says what was dropped
    assert person.get(link).status_code == 200
    with app.extensions["assess_sessions"]() as db:
        rows = {a.question: (a.value, a.comment) for a in db.get(Respondent, person_id).answers}
    assert rows == {"sec_backup": ("offline_tested", "NAS"), "svc_ozg_level": ("level2", "")}


def test_a_respondent_can_answer_in_english(sqlite_app):
    coordinator = sign_in(sqlite_app, "hauptamt@musterstadt.de")
    round_id = create_round(coordinator, create_town(coordinator))
    link = invite(coordinator, round_id, "Petra")
    person = Client(sqlite_app)
    page = person.get(link + "?lang=en").data.decode()
    assert 'lang="en"' in page and "saved as you give them" in page and "Strategy" in page
    refused = person.post_json(link + "/answer", {"question": "sec_backup", "value": "sometimes"})
    assert "is not an option" in refused.get_json()["message"]  # the language sticks (cookie)
    assert "Ihre Antworten" in Client(sqlite_app).get(link).data.decode()  # German by default


def test_a_new_link_for_the_same_person_keeps_the_answers_and_ends_the_old_link(app):
    from sqlalchemy import select

    from assess.server.models import Respondent

    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    round_id = create_round(coordinator, create_town(coordinator))
    old = invite(coordinator, round_id, "Petra")
    petra = Client(app)
    petra.get(old)
    assert petra.post_json(old + "/answer", {"question": "sec_backup", "value": "none"}).status_code == 200
    with app.extensions["assess_sessions"]() as db:
        person_id = db.scalar(select(Respondent.id))
    assert coordinator.post(f"/respondents/{person_id}/revoke").status_code == 302
    response = coordinator.post(f"/respondents/{person_id}/new-link", {"days": "14"})
    assert response.status_code == 201
    new = re.search(r'value="https?://[^"/]+(/r/[A-Za-z0-9_\-]+)" id="new-link"', response.data.decode()).group(1)
    assert new != old and Client(app).get(old).status_code == 404
    page = Client(app).get(new).data.decode()
    assert json.loads(page.split('id="assess-data">', 1)[1].split("</script>", 1)[0])["prefill"]["answers"] == {"sec_backup": "none"}


def test_answer_states_are_saved_shown_again_and_exported(app):
    """The respondent page sends planned / in progress / outdated with the answer; the server checks it
    with the answer file's rules, gives it back on the next visit and writes it into the exported files,
    which import again unchanged."""
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    town = create_town(coordinator)
    round_id = create_round(coordinator, town)
    link = invite(coordinator, round_id, "Petra Schneider", "Hauptamt")
    petra = Client(app)
    page = petra.get(link).data.decode()
    assert 'data-state="sec_backup"' in page and "vorhanden, aber veraltet" in page  # the page offers the states
    for payload in ({"question": "sec_backup", "value": "online_only", "state": {"progress": "in_progress", "until": "2027-06"}},
                    {"question": "str_strategy", "value": "adopted", "state": {"outdated": 2008}},
                    {"question": "sec_isb", "value": "informal", "state": {"progress": "planned"}}):
        assert petra.post_json(link + "/answer", payload).status_code == 200, payload
    for payload, word in (({"question": "sec_dpo", "value": "none", "state": {"outdated": 2008}}, "Dokument"),
                          ({"question": "sec_dpo", "value": "involved", "state": {"progress": "planned"}}, "beste"),
                          ({"question": "sec_dpo", "value": "none", "state": {"progress": "in_progress", "until": "bald"}}, "until"),
                          ({"question": "sec_dpo", "value": "none", "state": "geplant"}, "JSON")):
        response = petra.post_json(link + "/answer", payload)
        assert response.status_code == 422 and word in response.get_json()["message"], (payload, response.get_json())
    # answered again without a state: the state goes
    assert petra.post_json(link + "/answer", {"question": "sec_isb", "value": "informal"}).status_code == 200

    again = petra.get(link).data.decode()
    data = json.loads(again.split('id="assess-data">', 1)[1].split("</script>", 1)[0])
    assert data["prefill"]["states"] == {
        "sec_backup": {"progress": "in_progress", "toward": "offline_untested", "until": "2027-06"},
        "str_strategy": {"outdated": 2008}}

    archive = zipfile.ZipFile(io.BytesIO(coordinator.get(f"/rounds/{round_id}/export.zip").data))
    person = yaml.safe_load(archive.read("petra-schneider.yaml"))
    assert person["answers"]["sec_backup"] == {"value": "online_only", "progress": "in_progress",
                                               "toward": "offline_untested", "until": "2027-06"}
    assert person["answers"]["str_strategy"] == {"value": "adopted", "outdated": 2008}
    assert person["answers"]["sec_isb"] == "informal"

    second = create_round(coordinator, town, label="Kopie")
    text = archive.read("petra-schneider.yaml")
    assert coordinator.post(f"/rounds/{second}/import", {"files": (io.BytesIO(text), "petra.yaml")},
                            content_type="multipart/form-data").status_code == 302
    copy = zipfile.ZipFile(io.BytesIO(coordinator.get(f"/rounds/{second}/export.zip").data))
    assert yaml.safe_load(copy.read("petra-schneider.yaml"))["answers"] == person["answers"]
