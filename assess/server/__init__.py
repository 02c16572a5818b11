"""`assess serve`: the web application (Flask, SQLAlchemy 2, Alembic) for answering as a team.

`create_app(url)` migrates the database to the newest revision and returns the WSGI app; the app
keeps no state outside the database (the cookie-signing key is stored there too), so several
workers or hosts can serve one database. For gunicorn: `gunicorn --preload 'assess.server.wsgi:app'`
with ASSESS_DATABASE_URL set.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, g, jsonify, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from assess.errors import AssessError
from assess.peers import MIN_GROUP
from assess.server import access, db as database
from assess.server.models import User
from assess.server.security import CSRF_FIELD, check_csrf, csrf_token, security_headers
from assess.server.strings import known, t

log = logging.getLogger("assess.server")
MAX_UPLOAD = 10 * 1024 * 1024


class _SessionInterface(SecureCookieSessionInterface):
    """Session cookie: HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def create_app(database_url: str, *, behind_proxy: bool = False, testing: bool = False) -> Flask:
    app = Flask(__name__)
    engine = database.make_engine(database_url)
    database.migrate(engine)
    sessions = database.session_factory(engine)
    app.config.update(
        SECRET_KEY=database.secret_key(sessions),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="assess_session",
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        TESTING=testing,
        PREFERRED_URL_SCHEME="https" if behind_proxy else "http",
    )
    engine.dispose()  # no open connection is inherited by forked workers (gunicorn --preload)
    app.session_interface = _SessionInterface()
    app.extensions["assess_engine"] = engine
    app.extensions["assess_sessions"] = sessions
    if behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    from assess.server.views import auth, coordinator, portfolio, respond

    for blueprint in (auth.bp, coordinator.bp, portfolio.bp, respond.bp):
        app.register_blueprint(blueprint)

    @app.get("/healthz")
    def health():
        g.db.execute(text("SELECT 1"))
        return jsonify(status="ok")

    access.check_every_route_has_a_rule(app)

    @app.before_request
    def _before():
        g.nonce = secrets.token_urlsafe(16)
        g.lang = _language()
        g.user = None
        g.db = sessions()
        uid = session.get("uid")
        if uid is not None:
            user = g.db.get(User, uid)
            if user is not None and user.active and session.get("pw") == user.password_hash[-16:]:
                g.user = user
            else:
                session.clear()
        check_csrf()
        return access.authorize()

    @app.teardown_request
    def _teardown(_exc):
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.after_request
    def _after(response):
        if request.args.get("lang") in ("de", "en"):
            response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, httponly=True, samesite="Lax",
                                secure=request.is_secure)
        return security_headers(response, g.get("nonce"), request.is_secure)

    @app.context_processor
    def _globals():
        lang = g.get("lang", "de")
        return {"t": lambda key, **values: t(key, lang, **values), "lang": lang, "csrf_token": csrf_token,
                "csrf_field": CSRF_FIELD, "nonce": g.get("nonce", ""), "user": g.get("user"),
                "switch_url": _switch_url(lang), "min_group": MIN_GROUP}

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        return _error_page(exc.code or 500, exc.description if exc.description in _KEYS else _default_key(exc.code))

    @app.errorhandler(DBAPIError)
    def _db_error(exc):
        log.error("database error: %s", exc)
        return _error_page(503, "db_down")

    @app.errorhandler(SQLAlchemyError)
    def _sa_error(exc):
        log.error("database error: %s", exc)
        return _error_page(503, "db_down")

    @app.errorhandler(AssessError)
    def _assess_error(exc):  # e.g. a round whose questionnaire version is no longer installed
        log.error("%s", exc.message_in("en"))
        return _error_page(500, "e500", exc.message_in(g.get("lang") or "de"))

    @app.errorhandler(Exception)
    def _internal(exc):
        log.exception("internal error")
        return _error_page(500, "e500")

    return app


_KEYS = {"link_unknown", "link_expired", "link_revoked", "round_closed", "csrf", "db_down", "no_answers", "round_outdated"}


def _default_key(code: int | None) -> str:
    return {400: "e400", 401: "e401", 404: "e404", 405: "e400", 413: "e413"}.get(code or 500, "e500")


def _error_page(code: int, key: str, detail: str = ""):
    lang = g.get("lang") or _language()
    if key == "db_down":  # the session is unusable: show the page without the account
        g.user = None
        db = g.pop("db", None)
        if db is not None:
            try:
                db.rollback()
                db.close()
            except Exception:  # the database is gone
                pass
    hint = t(key + "_do", lang) if known(key + "_do") else (t("e404_do", lang) if code == 404 else "")
    if request.is_json or request.path.endswith("/answer"):
        response = jsonify(error=key, message=t(key, lang), hint=hint, detail=detail)
        response.status_code = code
        return response
    try:
        return render_template("error.html", code=code, message=t(key, lang), hint=hint, detail=detail), code
    except Exception:  # never a traceback, even when a template cannot render
        log.exception("error page")
        return f"<!DOCTYPE html><title>{code}</title><p>{t(key, lang)}</p>", code, {"Content-Type": "text/html; charset=utf-8"}


def _language() -> str:
    wanted = request.args.get("lang") or request.cookies.get("lang")
    return wanted if wanted in ("de", "en") else "de"


def _switch_url(lang: str) -> str:
    args = request.args.to_dict()
    args["lang"] = "de" if lang == "en" else "en"
    from urllib.parse import urlencode

    return request.path + "?" + urlencode(args)
