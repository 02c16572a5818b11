"""Security properties of the server: headers, cookies, CSRF, rate limit, hashes, escaping, error pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import create_engine, select, update

from assess.server.models import Respondent, User
from tests.server.helpers import PASSWORD, Client, add_user, create_round, create_town, invite, sign_in

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _owner_with_round(app):
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    town = create_town(coordinator)
    round_id = create_round(coordinator, town)
    return coordinator, town, round_id


def test_every_page_has_a_strict_csp_and_no_inline_script_without_its_nonce(sqlite_app):
    coordinator, town, round_id = _owner_with_round(sqlite_app)
    link = invite(coordinator, round_id, "Petra")
    pages = [coordinator.get(u) for u in ("/towns", f"/towns/{town}", f"/rounds/{round_id}")]
    pages += [Client(sqlite_app).get("/login"), Client(sqlite_app).get(link), Client(sqlite_app).get("/nowhere")]
    for response in pages:
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        html = response.data.decode()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert 'type="application/json"' in tag or f'nonce="{nonce}"' in tag or 'src="/static/' in tag, tag
        assert not re.search(r"\son\w+=", html), "no inline event handlers"
        assert not re.search(r"(src|href)=\"(https?:)?//", html), "no external assets"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_session_cookie_is_httponly_samesite_and_secure_over_https(sqlite_app):
    add_user(sqlite_app, "a@b.de")
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        client = Client(sqlite_app, base)
        response = client.login("a@b.de")
        cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("assess_session="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure
        if secure:
            assert "max-age" in client.get("/towns").headers["Strict-Transport-Security"]


def test_writes_without_the_csrf_token_are_refused(app):
    coordinator, town, round_id = _owner_with_round(app)
    link = invite(coordinator, round_id, "Petra")
    response = coordinator.post("/towns", {"name": "Fremd", "population": "100"}, csrf=False)
    assert response.status_code == 400 and "abgelaufen" in response.data.decode()
    assert coordinator.post("/towns", {"name": "Fremd", "population": "100", "csrf_token": "guess"}, csrf=False).status_code == 400
    assert "Fremd" not in coordinator.get("/towns").data.decode()
    person = Client(app)
    person.get(link)
    refused = person.post_json(link + "/answer", {"question": "sec_backup", "value": "none"}, csrf=False)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf"
    assert coordinator.get(f"/rounds/{round_id}/progress.json").get_json()["respondents"][0]["answered"] == 0
    assert Client(app).post("/login", {"email": "hauptamt@musterstadt.de", "password": PASSWORD}, csrf=False).status_code == 400


def test_login_is_rate_limited_per_account(app):
    add_user(app, "a@b.de")
    client = Client(app)
    for _ in range(5):
        assert client.login("a@b.de", "falsch-falsch").status_code == 400
    blocked = client.login("a@b.de")  # even the right password, for 15 minutes
    assert blocked.status_code == 429 and "15 Minuten" in blocked.data.decode()
    assert "/towns" not in blocked.headers.get("Location", "")


def test_passwords_are_scrypt_hashes_and_link_tokens_are_stored_only_as_hashes(sqlite_app, sqlite_url):
    coordinator, town, round_id = _owner_with_round(sqlite_app)
    token = invite(coordinator, round_id, "Petra").split("/")[-1]
    with sqlite_app.extensions["assess_sessions"]() as db:
        assert db.scalar(select(User.password_hash)).startswith("scrypt:")
    raw = open(sqlite_url.removeprefix("sqlite:///"), "rb").read()
    for suffix in ("-wal", ""):
        try:
            raw += open(sqlite_url.removeprefix("sqlite:///") + suffix, "rb").read()
        except FileNotFoundError:
            pass
    assert token.encode() not in raw and PASSWORD.encode() not in raw


def test_a_disabled_account_is_signed_out_at_once(app):
    coordinator = sign_in(app, "a@b.de")
    assert coordinator.get("/towns").status_code == 200
    with app.extensions["assess_sessions"]() as db:
        db.execute(update(User).values(active=False))
        db.commit()
    assert coordinator.get("/towns").status_code == 302
    assert coordinator.login("a@b.de").status_code == 400


def test_revoked_expired_and_unknown_links_get_a_page_that_says_what_to_do(app):
    coordinator, town, round_id = _owner_with_round(app)
    revoked, expired = invite(coordinator, round_id, "Petra"), invite(coordinator, round_id, "Stefan")
    with app.extensions["assess_sessions"]() as db:
        petra, stefan = db.scalars(select(Respondent).order_by(Respondent.id)).all()
        stefan.expires_at = dt.datetime(2020, 1, 1)
        db.commit()
        petra_id = petra.id
    assert coordinator.post(f"/respondents/{petra_id}/revoke").status_code == 302
    person = Client(app)
    cases = ((revoked, 410, "gesperrt", "revoked"), (expired, 410, "abgelaufen", "expired"),
             ("/r/unbekannt", 404, "unbekannt", "unknown"))
    for link, code, german, english in cases:
        response = person.get(link + "?lang=de")
        assert response.status_code == code and german in response.data.decode() and "Koordination" in response.data.decode()
        assert "Traceback" not in response.data.decode()
        response = person.get(link + "?lang=en")
        assert response.status_code == code and english in response.data.decode() and 'lang="en"' in response.data.decode()
    assert person.post_json(revoked + "/answer", {"question": "sec_backup", "value": "none"}).get_json()["error"] == "link_revoked"


def test_a_database_that_cannot_be_reached_gets_a_page_not_a_traceback(sqlite_app, tmp_path):
    coordinator, town, round_id = _owner_with_round(sqlite_app)
    link = invite(coordinator, round_id, "Petra")
    petra = Client(sqlite_app)
    assert petra.get(link).status_code == 200  # the page is open when the database goes away
    sqlite_app.extensions["assess_sessions"].configure(bind=create_engine(f"sqlite:///{tmp_path}/missing/dir/x.db"))
    for client, url in ((Client(sqlite_app), link), (coordinator, "/towns")):
        response = client.get(url)
        page = response.data.decode()
        assert response.status_code == 503
        assert "Datenbank ist gerade nicht erreichbar" in page and "Traceback" not in page and "sqlite" not in page.lower()
    response = petra.post_json(link + "/answer", {"question": "sec_backup", "value": "none"})
    assert response.status_code == 503 and response.get_json()["error"] == "db_down"  # the page retries it


def test_hostile_text_is_escaped_in_pages_and_reports(app):
    coordinator = sign_in(app, "a@b.de")
    town = create_town(coordinator, name=HOSTILE)
    round_id = create_round(coordinator, town, label=HOSTILE)
    link = invite(coordinator, round_id, HOSTILE)
    person = Client(app)
    page = person.get(link).data.decode()
    assert HOSTILE not in page and "<script>alert" not in page
    assert person.post_json(link + "/answer", {"question": "sec_backup", "value": "none", "comment": HOSTILE}).status_code == 200
    for url in ("/towns", f"/towns/{town}", f"/rounds/{round_id}", f"/rounds/{round_id}/report.html"):
        html = coordinator.get(url).data.decode()
        assert HOSTILE not in html and "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_to_another_site(sqlite_app, target):
    add_user(sqlite_app, "a@b.de")
    client = Client(sqlite_app)
    response = client.post("/login?next=" + target, {"email": "a@b.de", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/towns"


def test_report_downloads_cannot_run_script_in_the_servers_origin(sqlite_app):
    coordinator, town, round_id = _owner_with_round(sqlite_app)
    link = invite(coordinator, round_id, "Petra")
    person = Client(sqlite_app)
    person.get(link)
    person.post_json(link + "/answer", {"question": "sec_backup", "value": "none"})
    response = coordinator.get(f"/rounds/{round_id}/report.html")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_a_round_whose_questionnaire_is_no_longer_installed_says_so(sqlite_app):
    coordinator, town, round_id = _owner_with_round(sqlite_app)
    with sqlite_app.extensions["assess_sessions"]() as db:
        from assess.server.models import Round

        db.get(Round, round_id).questionnaire_version = "0.1"
        db.commit()
    assert coordinator.get(f"/rounds/{round_id}").status_code == 409  # offers to carry the answers over
    for response in (coordinator.post(f"/rounds/{round_id}/carry-over"), coordinator.get(f"/rounds/{round_id}/export.zip")):
        page = response.data.decode()
        assert response.status_code == 500 and "0.1" in page and "Traceback" not in page
    with sqlite_app.extensions["assess_sessions"]() as db:
        assert db.get(Round, round_id).questionnaire_version == "0.1"  # nothing changed
