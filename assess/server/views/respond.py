"""The respondent's side: the offline form's page, served with saving per answer, and its JSON endpoint."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request, url_for

from assess.capture.form import render_form
from assess.server import service
from assess.server.models import now
from assess.server.security import csrf_token
from assess.server.strings import t

bp = Blueprint("respond", __name__)
SERVER_TEXTS = ("server_saved", "server_saving", "server_retry", "server_refused", "server_stopped")


def _open_round():
    if g.respondent.round.status != "open":
        abort(409, description="round_closed")
    if service.installed_version(g.respondent.round):
        abort(409, description="round_outdated")
    return g.respondent.round


@bp.get("/r/<token>")
def form(token: str):
    round_ = _open_round()
    q = service.questionnaire_of(round_)
    person = g.respondent
    ui = {key: t(key, g.lang) for key in SERVER_TEXTS}
    ui["intro"] = t("server_intro", g.lang)
    html = render_form(q, g.lang, service.answer_set(person, q, drop_skipped=False),
                       form_id=f"server-{round_.id}-{person.id}",
                       server={"save": url_for("respond.save", token=token), "csrf": csrf_token(),
                               "nonce": g.nonce, "ui": ui})
    return html


@bp.post("/r/<token>/answer")
def save(token: str):
    round_ = _open_round()
    payload = request.get_json(silent=True)
    try:
        service.save_answer(g.db, g.respondent, service.questionnaire_of(round_), payload)
    except service.Refused as exc:
        return jsonify(error="invalid", message=exc.message_in(g.lang)), 422
    return jsonify(ok=True, saved=now().isoformat(timespec="seconds") + "Z")
