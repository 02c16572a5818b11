"""The authorization matrix: every route × every role × own/other municipality.

The expected access of each endpoint is written down here, independently of
assess/server/access.py; a route that is missing from this table fails the test, so every
new route needs a decision in both places.
"""

from __future__ import annotations

import json
import shutil

import pytest
from flask import Flask
from sqlalchemy import func, select

from assess.library import Library
from assess.server import access
from assess.server.models import AnswerRow, MeasureTracking, Municipality, Respondent, Round, User
from tests.server.helpers import QUICK, Client, add_user, create_round, create_town, invite

EXPECTED = {
    "static": "public",
    "health": "public",
    "auth.login": "public",
    "auth.logout": "signed_in",
    "auth.users": "admin",
    "auth.user_create": "admin",
    "auth.user_active": "admin",
    "coordinator.index": "signed_in",
    "coordinator.towns": "signed_in",
    "coordinator.town_create": "signed_in",
    "coordinator.town": "owner",
    "coordinator.town_delete": "owner",
    "coordinator.round_create": "owner",
    "coordinator.round": "owner",
    "coordinator.round_progress": "owner",
    "coordinator.round_settings": "owner",
    "coordinator.round_close": "owner",
    "coordinator.round_reopen": "owner",
    "coordinator.carry_over": "owner",
    "coordinator.invite": "owner",
    "coordinator.report": "owner",
    "coordinator.export": "owner",
    "coordinator.import_files": "owner",
    "coordinator.revoke": "owner",
    "coordinator.new_link": "owner",
    "coordinator.respondent_delete": "owner",
    "portfolio.portfolio": "signed_in",
    "portfolio.programme_report": "signed_in",
    "portfolio.programme_xlsx": "signed_in",
    "portfolio.peer_opt_in": "owner",
    "portfolio.measure_track": "owner",
    "portfolio.plan_export": "owner",
    "respond.form": "link",
    "respond.save": "link",
}
MEASURE = next(m.id for m in Library().catalogue(QUICK).measures)
ROLES = ("anonymous", "respondent", "other_coordinator", "admin", "owner")
ALLOWED = {
    "public": set(ROLES),
    "signed_in": {"other_coordinator", "admin", "owner"},
    "admin": {"admin"},
    "owner": {"owner"},
    "link": set(ROLES),  # whoever holds the link: it is the key
}


def test_every_route_is_in_the_matrix(sqlite_app):
    endpoints = {rule.endpoint for rule in sqlite_app.url_map.iter_rules()}
    assert endpoints == set(EXPECTED)


def test_the_app_refuses_a_route_without_a_rule():
    app = Flask("probe")
    app.add_url_rule("/secret", "secret_place", lambda: "x")
    with pytest.raises(RuntimeError, match="secret_place"):
        access.check_every_route_has_a_rule(app)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Two coordinators with a town, round and invited respondent each, and an admin who owns nothing:
    built once, as a database file and the session cookies of each role."""
    from assess.server import create_app

    path = tmp_path_factory.mktemp("world") / "assess.db"
    app = create_app(f"sqlite:///{path}", testing=True)
    clients = {"anonymous": Client(app)}
    ids = {}
    for role, email in (("owner", "a@stadt-a.de"), ("other_coordinator", "b@stadt-b.de")):
        add_user(app, email)
        client = Client(app)
        assert client.login(email).status_code == 302
        town = create_town(client, name=f"Town {role}")
        round_id = create_round(client, town)
        link = invite(client, round_id, f"Person {role}")
        clients[role] = client
        ids[role] = {"town_id": town, "round_id": round_id, "link": link}
    add_user(app, "admin@land.de", admin=True)
    clients["admin"] = Client(app)
    assert clients["admin"].login("admin@land.de").status_code == 302
    respondent = Client(app)
    assert respondent.get(ids["owner"]["link"]).status_code == 200
    clients["respondent"] = respondent
    with app.extensions["assess_sessions"]() as db:
        for role in ("owner", "other_coordinator"):
            ids[role]["respondent_id"] = db.scalar(select(Respondent.id).join(Round).where(Round.id == ids[role]["round_id"]))
        ids["user_id"] = db.scalar(select(User.id).where(User.email == "b@stadt-b.de"))
    cookies = {role: client.http.get_cookie("assess_session") for role, client in clients.items()}
    app.extensions["assess_engine"].dispose()
    return path, {role: c.value if c else None for role, c in cookies.items()}, ids


@pytest.fixture
def world(template, tmp_path):
    """A fresh copy of the template world for each test (the session key is in the database)."""
    from assess.server import create_app

    source, cookies, ids = template
    copy = tmp_path / "assess.db"
    shutil.copyfile(source, copy)
    app = create_app(f"sqlite:///{copy}", testing=True)
    clients = {}
    for role, cookie in cookies.items():
        clients[role] = Client(app)
        if cookie:
            clients[role].http.set_cookie("assess_session", cookie, domain="localhost")
    yield app, clients, ids
    app.extensions["assess_engine"].dispose()


def _url(rule, ids) -> str:
    values = {"town_id": ids["owner"]["town_id"], "round_id": ids["owner"]["round_id"],
              "respondent_id": ids["owner"]["respondent_id"], "token": ids["owner"]["link"].split("/")[-1],
              "user_id": ids["user_id"], "fmt": "csv" if rule.endpoint == "portfolio.plan_export" else "json",
              "filename": "app.css", "measure_id": MEASURE}
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name])) \
                   .replace(f"<path:{name}>", str(values[name]))
    return path


def _snapshot(app):
    with app.extensions["assess_sessions"]() as db:
        return (db.scalar(select(func.count()).select_from(Municipality)),
                tuple(db.scalars(select(Round.status).order_by(Round.id))),
                tuple(db.execute(select(Respondent.id, Respondent.revoked_at)).all()),
                db.scalar(select(func.count()).select_from(AnswerRow)),
                tuple(db.scalars(select(User.active).order_by(User.id))),
                tuple(db.scalars(select(Municipality.peer_opt_in).order_by(Municipality.id))),
                tuple(db.execute(select(MeasureTracking.measure, MeasureTracking.status)).all()))


def _request(client: Client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    if url.endswith("/answer"):
        return client.post_json(url, {"question": "sec_backup", "value": "none"})
    return client.post(url, {})


def _allowed(response) -> bool:
    if response.status_code in (401, 403, 404):
        return False
    if response.status_code == 302 and "/login" in response.headers["Location"] and "/logout" not in response.request.path:
        return False
    return True


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_access_matrix(world, endpoint):
    app, clients, ids = world
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    assert rules
    allowed = ALLOWED[EXPECTED[endpoint]]
    for rule in rules:
        url = _url(rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            before = _snapshot(app)
            for role in [r for r in ROLES if r not in allowed]:
                response = _request(clients[role], method, url)
                assert not _allowed(response), f"{role} may not {method} {url} ({response.status_code})"
                if method == "GET" and role in ("anonymous", "respondent") and EXPECTED[endpoint] != "link":
                    assert response.status_code == 302  # to the login page
                assert _snapshot(app) == before, f"{role}'s refused {method} {url} changed data"
            for role in [r for r in ROLES if r in allowed and r != "owner"] + (["owner"] if "owner" in allowed else []):
                if endpoint in ("auth.logout",) and role != "owner":
                    continue  # signing out the others would only break the later checks
                response = _request(clients[role], method, url)
                assert _allowed(response), f"{role} must be able to {method} {url} ({response.status_code})"


def test_another_coordinators_objects_look_as_if_they_did_not_exist(world):
    app, clients, ids = world
    other = clients["other_coordinator"]
    for url in (f"/towns/{ids['owner']['town_id']}", f"/rounds/{ids['owner']['round_id']}",
                f"/rounds/{ids['owner']['round_id']}/report.html", f"/rounds/{ids['owner']['round_id']}/export.zip"):
        response = other.get(url)
        assert response.status_code == 404
        assert "Town owner" not in response.data.decode()
        assert "Diese Seite gibt es nicht" in response.data.decode() and "Abmelden" in response.data.decode()
    page = other.get("/towns").data.decode()
    assert "Town other_coordinator" in page and "Town owner" not in page


def test_a_link_opens_exactly_one_respondents_answers(world):
    app, clients, ids = world
    mine, theirs = ids["owner"]["link"], ids["other_coordinator"]["link"]
    person = Client(app)
    person.get(mine)
    assert person.post_json(mine + "/answer", {"question": "sec_backup", "value": "immutable_drilled"}).status_code == 200
    with app.extensions["assess_sessions"]() as db:
        rows = db.execute(select(AnswerRow.respondent_id, AnswerRow.value)).all()
    assert rows == [(ids["owner"]["respondent_id"], "immutable_drilled")]
    page = Client(app).get(theirs).data.decode()
    data = json.loads(page.split('id="assess-data">', 1)[1].split("</script>", 1)[0])
    assert data["prefill"]["answers"] == {} and data["prefill"]["respondent"]["name"] == "Person other_coordinator"
    assert person.get(mine[:-1] + ("A" if mine[-1] != "A" else "B")).status_code == 404
