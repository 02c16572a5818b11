"""Who may call which route: every endpoint has exactly one rule here, checked before the view runs.

The app refuses to start when a route has no rule (see `check_every_route_has_a_rule`), so no route
can be added without deciding who may use it. A coordinator reaches only the municipalities they
own and what hangs below them; another coordinator's objects answer 404, as if they did not exist.
A respondent's link opens exactly one respondent's answers, and only while it is valid.
"""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from sqlalchemy import select

from assess.server.models import Municipality, Respondent, Round, now
from assess.server.security import token_hash

PUBLIC = "public"            # anyone (login page, static files, health check)
SIGNED_IN = "signed_in"      # any active coordinator account
ADMIN = "admin"              # an active account with the admin flag
OWN_TOWN = "own_town"        # the coordinator who owns <town_id>
OWN_ROUND = "own_round"      # the coordinator who owns the town of <round_id>
OWN_RESPONDENT = "own_respondent"  # the coordinator who owns the town of <respondent_id>'s round
LINK = "link"                # a valid personal link <token>: not revoked, not expired

RULES = {
    "static": PUBLIC,
    "health": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.users": ADMIN,
    "auth.user_create": ADMIN,
    "auth.user_active": ADMIN,
    "coordinator.index": SIGNED_IN,
    "coordinator.towns": SIGNED_IN,
    "coordinator.town_create": SIGNED_IN,
    "coordinator.town": OWN_TOWN,
    "coordinator.town_delete": OWN_TOWN,
    "coordinator.round_create": OWN_TOWN,
    "coordinator.round": OWN_ROUND,
    "coordinator.round_progress": OWN_ROUND,
    "coordinator.round_settings": OWN_ROUND,
    "coordinator.round_close": OWN_ROUND,
    "coordinator.round_reopen": OWN_ROUND,
    "coordinator.carry_over": OWN_ROUND,
    "coordinator.invite": OWN_ROUND,
    "coordinator.report": OWN_ROUND,
    "coordinator.export": OWN_ROUND,
    "coordinator.import_files": OWN_ROUND,
    "coordinator.revoke": OWN_RESPONDENT,
    "coordinator.new_link": OWN_RESPONDENT,
    "coordinator.respondent_delete": OWN_RESPONDENT,
    "portfolio.portfolio": SIGNED_IN,  # the own towns; an admin sees every town
    "portfolio.programme_report": SIGNED_IN,
    "portfolio.programme_xlsx": SIGNED_IN,
    "portfolio.peer_opt_in": OWN_TOWN,
    "portfolio.measure_track": OWN_ROUND,
    "portfolio.plan_export": OWN_ROUND,
    "respond.form": LINK,
    "respond.save": LINK,
}


def check_every_route_has_a_rule(app) -> None:
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(RULES))
    if missing:
        raise RuntimeError(f"routes without an access rule in assess/server/access.py: {', '.join(missing)}")


def authorize() -> None:
    """Run the rule of the requested endpoint; abort (or redirect to the login) when it fails."""
    if request.endpoint is None:
        return  # no such route: Flask answers 404
    rule = RULES.get(request.endpoint)
    if rule is None:
        abort(403)
    if rule == PUBLIC:
        return
    db, args = g.db, request.view_args or {}
    if rule == LINK:
        g.respondent = _respondent_for_link(db, args.get("token", ""))
        return
    if g.user is None:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
        abort(401)
    if rule == SIGNED_IN:
        return
    if rule == ADMIN:
        if not g.user.is_admin:
            abort(404)
        return
    if rule == OWN_TOWN:
        g.town = _owned(db.get(Municipality, args["town_id"]))
    elif rule == OWN_ROUND:
        g.round = db.get(Round, args["round_id"])
        g.town = _owned(g.round.municipality if g.round else None)
    elif rule == OWN_RESPONDENT:
        g.respondent = db.get(Respondent, args["respondent_id"])
        g.round = g.respondent.round if g.respondent else None
        g.town = _owned(g.round.municipality if g.round else None)
    else:  # pragma: no cover - a typo in RULES
        abort(403)


def _owned(town: Municipality | None) -> Municipality:
    if town is None or town.owner_id != g.user.id:
        abort(404)
    return town


def _respondent_for_link(db, token: str) -> Respondent:
    found = db.scalar(select(Respondent).where(Respondent.token_hash == token_hash(token))) if token else None
    if found is None:
        abort(404, description="link_unknown")
    if found.revoked_at is not None:
        abort(410, description="link_revoked")
    if found.expires_at is not None and found.expires_at < now():
        abort(410, description="link_expired")
    return found
