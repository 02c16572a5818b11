"""The coordinator's pages: municipalities, rounds, invitations, progress, merging, reports, files."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from assess.answers import ROLES, STATES
from assess.capture.merge import METHODS, divergences
from assess.errors import AssessError
from assess.render import DEFAULT_EDITION, EDITIONS
from assess.server import progress, service
from assess.server.models import Municipality, Respondent, Round, now
from assess.server.security import LINK_DAYS, new_token, token_hash
from assess.server.strings import t

bp = Blueprint("coordinator", __name__)
FORMATS = {"html": "text/html", "pdf": "application/pdf", "md": "text/markdown", "json": "application/json",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@bp.get("/")
def index():
    return redirect(url_for("coordinator.towns"))


# --- municipalities ---------------------------------------------------------------------------

@bp.get("/towns")
def towns():
    mine = g.db.scalars(select(Municipality).where(Municipality.owner_id == g.user.id).order_by(Municipality.name)).all()
    return render_template("towns.html", towns=mine, states=STATES, errors=[], form={})


@bp.post("/towns")
def town_create():
    form = request.form
    errors, facts = _town_facts(form)
    if errors:
        mine = g.db.scalars(select(Municipality).where(Municipality.owner_id == g.user.id)).all()
        return render_template("towns.html", towns=mine, states=STATES, errors=errors, form=form), 400
    town = Municipality(owner_id=g.user.id, **facts)
    g.db.add(town)
    g.db.commit()
    return redirect(url_for("coordinator.town", town_id=town.id))


def _town_facts(form) -> tuple[list[str], dict]:
    errors = []
    name = form.get("name", "").strip()[:200]
    if not name:
        errors.append(t("err_name", g.lang))
    population = form.get("population", "").replace(".", "").replace(" ", "").strip()
    if not population.isdigit() or int(population) <= 0:
        errors.append(t("err_population", g.lang))
    ags = form.get("ags", "").replace(" ", "").strip()
    if ags and not re.fullmatch(r"\d{8}", ags):
        errors.append(t("err_ags", g.lang))
    state = form.get("state", "")
    if state and state not in STATES:
        errors.append(t("err_state", g.lang))
    return errors, {"name": name, "population": int(population) if population.isdigit() else 0, "ags": ags, "state": state}


@bp.get("/towns/<int:town_id>")
def town(town_id: int):
    return _town_page()


def _town_page(status: int = 200, errors=()):
    from assess.server.views.portfolio import benchmark_context, trend_context

    return render_template("town.html", town=g.town, questionnaires=service.choices(), errors=list(errors),
                           **trend_context(g.town), **benchmark_context(g.town)), status


@bp.post("/towns/<int:town_id>/delete")
def town_delete(town_id: int):
    if request.form.get("confirm", "").strip() != g.town.name:
        flash(t("err_confirm", g.lang))
        return redirect(url_for("coordinator.town", town_id=town_id))
    name = g.town.name
    service.delete_town(g.db, g.town)
    flash(t("deleted", g.lang, name=name))
    return redirect(url_for("coordinator.towns"))


@bp.post("/towns/<int:town_id>/rounds")
def round_create(town_id: int):
    errors = []
    ref = request.form.get("questionnaire", "")
    available = {q.ref: q for q in service.choices()}
    if ref not in available:
        errors.append(t("err_questionnaire", g.lang))
    due = _date(request.form.get("due", ""))
    if due is False:
        errors.append(t("err_date", g.lang))
    if errors:
        return _town_page(400, errors)
    q = available[ref]
    round_ = Round(municipality_id=g.town.id, label=request.form.get("label", "").strip()[:200] or q.title.get(g.lang),
                   questionnaire_id=q.id, questionnaire_version=q.version, due_date=due or None,
                   priorities={}, targets={})
    g.db.add(round_)
    g.db.commit()
    return redirect(url_for("coordinator.round", round_id=round_.id))


def _date(text: str):
    """A date from a form field: None when empty, False when not a date."""
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return False


# --- a round ----------------------------------------------------------------------------------

def _round_page(status: int = 200, **extra):
    round_ = g.round
    q = service.questionnaire_of(round_)
    people = [(p, *service.progress(p, q), _link_state(p)) for p in round_.respondents]
    result = service.merged(round_)
    result_scores = None
    found = []
    if result is not None:
        from assess.scoring import score

        result_scores = score(q, result.answers)
        found = divergences(result.answers, q)
    from assess.server.views.portfolio import plan_context, trend_context

    return render_template("round.html", round=round_, town=round_.municipality, q=q, people=people,
                           **trend_context(round_.municipality, round_), **plan_context(round_),
                           roles=ROLES, methods=METHODS, scores=result_scores, divergences=found,
                           warnings=result.warnings if result else (), formats=FORMATS, editions=EDITIONS,
                           link_days=LINK_DAYS,
                           new_link=extra.pop("new_link", None), errors=extra.pop("errors", []),
                           import_problems=extra.pop("import_problems", []), notes=extra.pop("notes", [])), status


def _link_state(person: Respondent) -> str:
    if person.token_hash is None:
        return t("imported", g.lang, file=person.source.removeprefix("import: "))
    if person.revoked_at is not None:
        return t("revoked", g.lang)
    if person.expires_at is not None and person.expires_at < now():
        return t("expired", g.lang)
    return t("valid_until", g.lang, date=person.expires_at.date().isoformat() if person.expires_at else "–")


@bp.get("/rounds/<int:round_id>")
def round(round_id: int):  # noqa: A001 - the endpoint's name
    installed = service.installed_version(g.round)
    if installed:  # an update brought a new questionnaire version: carry the answers over first
        return render_template("round_outdated.html", round=g.round, town=g.round.municipality, installed=installed), 409
    return _round_page()


@bp.post("/rounds/<int:round_id>/carry-over")
def carry_over(round_id: int):
    notes = [note.render(g.lang) for note in service.carry_over(g.db, g.round)]
    progress.refresh_scores(g.db, g.round)
    return _round_page(notes=[t("carried_over", g.lang, ref=g.round.ref), *notes])  # too long for a cookie


@bp.get("/rounds/<int:round_id>/progress.json")
def round_progress(round_id: int):
    q = service.questionnaire_of(g.round)
    rows = []
    for person in g.round.respondents:
        answered, total = service.progress(person, q)
        rows.append({"id": person.id, "name": person.name, "role": person.role, "answered": answered, "applicable": total})
    return {"round": g.round.id, "status": g.round.status, "respondents": rows}


@bp.post("/rounds/<int:round_id>/invite")
def invite(round_id: int):
    errors = []
    name = request.form.get("name", "").strip()[:200]
    role = request.form.get("role", "").strip()[:100]
    days = request.form.get("days", str(LINK_DAYS)).strip()
    if not name:
        errors.append(t("err_name", g.lang))
    if not days.isdigit() or not 1 <= int(days) <= 365:
        errors.append(t("err_days", g.lang))
    if errors:
        return _round_page(400, errors=errors)
    token = new_token()
    person = Respondent(round_id=g.round.id, name=name, role=role, token_hash=token_hash(token),
                        expires_at=now() + dt.timedelta(days=int(days)), source="link", date="")
    g.db.add(person)
    g.db.commit()
    link = url_for("respond.form", token=token, _external=True)
    return _round_page(201, new_link=(person.name, link))


@bp.post("/respondents/<int:respondent_id>/revoke")
def revoke(respondent_id: int):
    if g.respondent.revoked_at is None:
        g.respondent.revoked_at = now()
        g.db.commit()
    return redirect(url_for("coordinator.round", round_id=g.round.id))


@bp.post("/respondents/<int:respondent_id>/new-link")
def new_link(respondent_id: int):
    """A new personal link for the same person (lost, expired or revoked): the old one stops working,
    the answers so far stay."""
    days = request.form.get("days", str(LINK_DAYS)).strip()
    if not days.isdigit() or not 1 <= int(days) <= 365:
        return _round_page(400, errors=[t("err_days", g.lang)])
    token = new_token()
    g.respondent.token_hash = token_hash(token)
    g.respondent.revoked_at = None
    g.respondent.expires_at = now() + dt.timedelta(days=int(days))
    g.respondent.source = "link"
    g.db.commit()
    return _round_page(201, new_link=(g.respondent.name, url_for("respond.form", token=token, _external=True)))


@bp.post("/respondents/<int:respondent_id>/delete")
def respondent_delete(respondent_id: int):
    g.db.delete(g.respondent)
    g.db.commit()
    g.db.expire(g.round)
    progress.refresh_scores(g.db, g.round)
    return redirect(url_for("coordinator.round", round_id=g.round.id))


@bp.post("/rounds/<int:round_id>/settings")
def round_settings(round_id: int):
    q = service.questionnaire_of(g.round)
    method = request.form.get("method", "median")
    if method not in METHODS:
        abort(400)
    levels, errors = {"priority": {}, "target": {}}, []
    for kind, high in (("priority", 5), ("target", len(q.levels))):
        for d in q.dimensions:
            raw = request.form.get(f"{kind}-{d.id}", "").strip()
            if not raw:
                continue
            if not raw.isdigit() or not 1 <= int(raw) <= high:
                errors.append(f"{d.title.get(g.lang)}: {t('err_level', g.lang)}")
                continue
            levels[kind][d.id] = int(raw)
    if errors:
        return _round_page(400, errors=errors)
    g.round.merge_method = method
    g.round.priorities = levels["priority"]
    g.round.targets = levels["target"]
    g.db.commit()
    progress.refresh_scores(g.db, g.round)
    flash(t("saved", g.lang))
    return redirect(url_for("coordinator.round", round_id=round_id))


@bp.post("/rounds/<int:round_id>/close")
def round_close(round_id: int):
    progress.set_status(g.db, g.round, "closed")  # stores the round's scores for trend and benchmarks
    return redirect(url_for("coordinator.round", round_id=round_id))


@bp.post("/rounds/<int:round_id>/reopen")
def round_reopen(round_id: int):
    progress.set_status(g.db, g.round, "open")
    return redirect(url_for("coordinator.round", round_id=round_id))


@bp.get("/rounds/<int:round_id>/report.<fmt>")
def report(round_id: int, fmt: str):
    edition = request.args.get("edition", DEFAULT_EDITION)
    if fmt not in FORMATS or edition not in EDITIONS:
        abort(404)
    body = progress.report_bytes(g.db, g.round, fmt, g.lang, edition)
    if body is None:
        abort(409, description="no_answers")
    name = f"bericht-{service.slug(g.round.municipality.name)}-{g.round.id}-{edition}-{g.lang}.{fmt}"
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response


@bp.get("/rounds/<int:round_id>/export.zip")
def export(round_id: int):
    suffix = ".json" if request.args.get("format") == "json" else ".yaml"
    name = f"antworten-{service.slug(g.round.municipality.name)}-{g.round.id}.zip"
    response = Response(service.export_zip(g.round, suffix), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/rounds/<int:round_id>/import")
def import_files(round_id: int):
    q = service.questionnaire_of(g.round)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    problems, sets = [], []
    for upload in files:
        try:
            sets.append((upload.filename, service.read_upload(upload.filename, upload.read(), q)))
        except AssessError as exc:
            problems += service.problems_text(exc, g.lang)
    if problems or not files:
        return _round_page(400, import_problems=problems or [t("e400", g.lang)])
    count = 0
    for filename, found in sets:
        count += len(service.import_sets(g.db, g.round, found, filename))
    g.db.expire(g.round)
    progress.refresh_scores(g.db, g.round)
    flash(t("imported_n", g.lang, count=count))
    return redirect(url_for("coordinator.round", round_id=round_id))
