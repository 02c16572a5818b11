"""Portfolio and progress: the trend of a town's rounds, the measures it tracks, its peer benchmark,
and the overview and programme report over all towns of a coordinator (an admin: of all towns)."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from assess import i18n
from assess.answers import STATES
from assess.errors import AssessError
from assess.model import SIZE_CLASSES
from assess.server import benchmark as bench
from assess.server import models as m
from assess.server import overview, progress, service
from assess.server.strings import t
from assess.server.tables import csv_bytes, xlsx_bytes

bp = Blueprint("portfolio", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- contexts for the town and round pages -----------------------------------------------------

def trend_context(town: m.Municipality, upto: m.Round | None = None) -> dict:
    found = progress.trend(g.db, town, upto)
    return {"trend": found, "trend_chart": trend_chart(found, g.lang)}


def trend_chart(found: progress.Trend, lang: str) -> str:
    """The trend chart as a data: URL (the page's CSP allows images from data: only)."""
    svg = progress.trend_svg(found, lang)
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode("utf-8")).decode("ascii") if svg else ""


def benchmark_context(town: m.Municipality) -> dict:
    with_state = request.args.get("land") == "1"
    qid = town.rounds[-1].questionnaire_id if town.rounds else None
    found = bench.benchmark(g.db, town, qid, with_state) if qid else None
    return {"benchmark": found, "with_state": with_state, "bench_titles": _titles(qid)}


def _titles(qid: str | None) -> dict:
    if not qid:
        return {}
    try:
        q = service.LIBRARY.resolve(qid, None)
    except AssessError:
        return {}
    return {m.OVERALL: t("index", g.lang), **{d.id: d.title.get(g.lang) for d in q.dimensions}}


def plan_context(round_: m.Round) -> dict:
    if service.installed_version(round_):
        return {"plan": [], "statuses": m.TRACKING_STATUSES}
    return {"plan": progress.plan(g.db, round_), "statuses": m.TRACKING_STATUSES}


# --- opting in to peer benchmarks --------------------------------------------------------------

@bp.post("/towns/<int:town_id>/peers")
def peer_opt_in(town_id: int):
    progress.set_opt_in(g.db, g.town, request.form.get("opt_in") == "1")
    flash(t("peer_on" if g.town.peer_opt_in else "peer_off", g.lang))
    return redirect(url_for("coordinator.town", town_id=town_id))


# --- measure tracking --------------------------------------------------------------------------

@bp.post("/rounds/<int:round_id>/measures/<measure_id>")
def measure_track(round_id: int, measure_id: str):
    form = request.form
    try:
        progress.set_tracking(g.db, g.round, measure_id, accepted=form.get("accepted") == "1",
                              owner=form.get("owner", ""), due=form.get("due", ""), status=form.get("status", "offen"),
                              reason=form.get("reason", ""))
    except progress.TrackingError as exc:
        flash(exc.message_in(g.lang))
        return redirect(url_for("coordinator.round", round_id=round_id, _anchor="plan")), 303
    flash(t("saved", g.lang))
    return redirect(url_for("coordinator.round", round_id=round_id, _anchor="plan"))


def plan_table(round_: m.Round, lang: str) -> tuple[list[str], list[list]]:
    """The action plan as a table: header and rows (for CSV and XLSX)."""
    header = [t(k, lang) for k in ("col_measure_id", "col_measure", "col_dimension", "col_phase", "col_accepted",
                                   "col_owner", "col_due", "col_status", "col_reason", "col_note")]
    q = service.LIBRARY.resolve(round_.questionnaire_id, None)
    titles = {d.id: d.title.get(lang) for d in q.dimensions}
    rows = []
    for row in progress.plan(g.db, round_):
        tracking, rec = row.tracking, row.recommendation
        phase = (str(rec.phase) if rec.phase else t("phase_later", lang)) if rec else t("not_recommended", lang)
        note = t("flag_done_still_open", lang) if row.flagged else (t("overdue", lang) if row.overdue else "")
        rows.append([row.measure.id, row.measure.title.get(lang), titles.get(row.measure.dimension, row.measure.dimension),
                     phase, t("yes" if tracking and tracking.accepted else "no", lang),
                     tracking.owner if tracking else "", tracking.due_date.isoformat() if tracking and tracking.due_date else "",
                     t("status_" + row.status, lang), tracking.reason if tracking else "", note])
    return header, rows


@bp.get("/rounds/<int:round_id>/plan.<fmt>")
def plan_export(round_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    if service.installed_version(g.round):
        abort(409, description="round_outdated")
    header, rows = plan_table(g.round, g.lang)
    name = f"massnahmenplan-{service.slug(g.round.municipality.name)}-{g.round.id}.{fmt}"
    if fmt == "csv":
        response = Response(csv_bytes(header, rows), mimetype="text/csv; charset=utf-8")
    else:
        response = Response(xlsx_bytes([(t("plan", g.lang), header, rows)]), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the portfolio overview and the programme report ----------------------------------------------

def _filters() -> dict:
    args = request.args
    return {"state": args.get("state", "") if args.get("state", "") in STATES else "",
            "size_class": args.get("size_class", "") if args.get("size_class", "") in SIZE_CLASSES else "",
            "status": args.get("status", "") if args.get("status", "") in overview.STATUSES else ""}


def _scope() -> int | None:
    """Whose towns: the coordinator's own; an admin sees every town of the installation."""
    return None if g.user.is_admin else g.user.id


@bp.get("/portfolio")
def portfolio():
    filters = _filters()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) >= 1 else 1
    found = overview.overview(g.db, _scope(), page=page, **filters)
    return render_template("portfolio.html", view=found, filters=filters, states=STATES, size_classes=SIZE_CLASSES,
                           statuses=overview.STATUSES, label=lambda key: i18n.label(key, g.lang))


@bp.get("/portfolio/report")
def programme_report():
    found = overview.programme(g.db, _scope(), request.args.get("questionnaire") or None)
    return render_template("programme.html", report=found, label=lambda key: i18n.label(key, g.lang),
                           states=STATES)


@bp.get("/portfolio/report.xlsx")
def programme_xlsx():
    found = overview.programme(g.db, _scope(), request.args.get("questionnaire") or None)
    response = Response(xlsx_bytes(overview.programme_sheets(g.db, found, _scope(), g.lang)), mimetype=XLSX)
    response.headers["Content-Disposition"] = 'attachment; filename="programmbericht.xlsx"'
    return response
