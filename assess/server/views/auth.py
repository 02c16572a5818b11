"""Signing in and out, and the admin's account list."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import func, select

from assess.server.models import User
from assess.server.security import MIN_PASSWORD, hash_password, login_blocked, password_ok, record_failed_login
from assess.server.strings import t

bp = Blueprint("auth", __name__)

# Compared against when the account does not exist, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = hash_password("not a real password, only for timing")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = ""
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        password = request.form.get("password", "")
        if login_blocked(g.db, email):
            g.db.commit()
            return render_template("login.html", error=t("login_blocked", g.lang), email=email), 429
        user = g.db.scalar(select(User).where(func.lower(User.email) == email)) if email else None
        ok = password_ok(user.password_hash if user else _DUMMY_HASH, password)
        if user is not None and ok and user.active:
            session.clear()
            session["uid"] = user.id
            session["pw"] = user.password_hash[-16:]
            g.db.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("coordinator.towns"))
        record_failed_login(g.db, email)
        g.db.commit()
        error = t("login_failed", g.lang)
        return render_template("login.html", error=error, email=email), 400
    return render_template("login.html", error=error, email="")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this server (no scheme, no host, no '//'): never an open redirect."""
    if not target:
        return None
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("auth.login"))


@bp.get("/admin/users")
def users():
    return render_template("users.html", users=g.db.scalars(select(User).order_by(User.email)).all(), errors=[])


@bp.post("/admin/users")
def user_create():
    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    errors = []
    if not email or "@" not in email or g.db.scalar(select(User).where(func.lower(User.email) == email)):
        errors.append(t("err_email", g.lang))
    if len(password) < MIN_PASSWORD:
        errors.append(t("err_password", g.lang))
    if errors:
        return render_template("users.html", users=g.db.scalars(select(User).order_by(User.email)).all(), errors=errors), 400
    g.db.add(User(email=email, name=request.form.get("name", "").strip()[:200], password_hash=hash_password(password),
                  is_admin=request.form.get("is_admin") == "1"))
    g.db.commit()
    flash(t("saved", g.lang))
    return redirect(url_for("auth.users"))


@bp.post("/admin/users/<int:user_id>/active")
def user_active(user_id: int):
    user = g.db.get(User, user_id)
    if user is None or user.id == g.user.id:
        abort(404)
    user.active = request.form.get("active") == "1"
    g.db.commit()
    return redirect(url_for("auth.users"))
