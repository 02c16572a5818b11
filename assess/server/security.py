"""Tokens, passwords, CSRF, login rate limiting and the security headers of every response."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask import abort, request, session
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from assess.server.models import LoginAttempt, now

LINK_DAYS = 60  # a personal link expires after this many days unless the coordinator chooses otherwise
LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_LIMIT = 5  # failed logins per account and per address within the window
MIN_PASSWORD = 10  # characters of a coordinator password
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def new_token() -> str:
    """An unguessable link token (256 bits); only its hash is stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_ok(stored: str, password: str) -> bool:
    return check_password_hash(stored, password)


# --- CSRF: one random token per session, checked on every state-changing request ------------------

def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Abort with 400 unless a POST carries the session's CSRF token (form field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    expected = session.get("csrf", "")
    if not expected or not sent or not hmac.compare_digest(str(sent), str(expected)):
        abort(400, description="csrf")


# --- login rate limit, kept in the database so every worker sees the same count -----------------

def _keys(email: str) -> list[str]:
    return [f"user:{email.strip().lower()}"[:300], f"addr:{request.remote_addr or '-'}"[:300]]


def login_blocked(db, email: str) -> bool:
    since = now() - LOGIN_WINDOW
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
    for key in _keys(email):
        count = db.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.key == key,
                                                                                 LoginAttempt.at >= since))
        if count >= LOGIN_LIMIT:
            return True
    return False


def record_failed_login(db, email: str) -> None:
    for key in _keys(email):
        db.add(LoginAttempt(key=key))


# --- headers ---------------------------------------------------------------------------------

def content_security_policy(nonce: str | None) -> str:
    """No inline script, no external assets: everything comes from this server."""
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    style = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return ("default-src 'none'; "
            f"script-src {script}; style-src {style}; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def security_headers(response, nonce: str | None, https: bool):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(nonce))
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"  # a respondent's link never leaks to another site
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    headers.setdefault("Cache-Control", "no-store")
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return response
