"""The report as plain data: the JSON format (documented in docs/report-json.md), versioned."""

from __future__ import annotations

from assess.assessment import Assessment
from assess.funding import programmes_for
from assess.model import Text
from assess.peers import MIN_GROUP
from assess.scoring import Scores

SCHEMA_VERSION = "2.0"


def _r(value):
    return None if value is None else round(value, 1)


def _text(text: Text, lang: str) -> str:
    return text.get(lang)


def scores_to_data(scores: Scores, lang: str = "en") -> dict:
    """Scores as plain data: overall and per dimension score, level, coverage, range, caps."""
    return {
        "questionnaire": scores.questionnaire.ref,
        "municipality": scores.answers.municipality.name,
        "overall": {"score": _r(scores.score), "level": scores.level, "coverage": round(scores.coverage, 3),
                    "answered": scores.answered, "applicable": scores.applicable},
        "dimensions": {
            d.dimension.id: {
                "title": _text(d.dimension.title, lang),
                "score": _r(d.score),
                "level": d.level,
                "uncapped_level": d.uncapped_level,
                "caps": [_text(c.reason, lang) for c in d.applied_caps],
                "coverage": round(d.coverage, 3),
                "answered": d.answered,
                "applicable": d.applicable,
                "score_range": [_r(x) for x in d.score_range] if d.score_range else None,
                "unknown": [r.question.id for r in d.unknown],
            }
            for d in scores.dimensions
        },
    }


def _value(value):
    return list(value) if isinstance(value, tuple) else value


def _recommendation(r, lang: str, answers) -> dict:
    """One recommended (or waiting) measure with its duty, evidence and reason."""
    duty = r.measure.duty
    return {
        "measure": r.measure.id,
        "dimension": r.measure.dimension,
        "title": _text(r.measure.title, lang),
        "rank_value": round(r.value, 3),
        "phase": r.phase,
        "effort": r.measure.effort,
        "impact": r.measure.impact,
        "horizon": r.measure.horizon,
        "cost_eur": [r.measure.cost_min, r.measure.cost_max],
        "cost_yearly_eur": [r.measure.cost_yearly_min, r.measure.cost_yearly_max],
        "staff_days": [r.measure.staff_days_min, r.measure.staff_days_max],
        "funding_programmes": [p.id for p in programmes_for(r.measure, answers)],
        "requires": list(r.measure.requires),
        "evidence": [e.question.id for e in r.evidence],
        "answers": [
            {"question": e.question.id, "value": _value(e.answer.value), "progress": e.answer.progress or None,
             "toward": _value(e.answer.toward), "until": e.answer.until or None, "outdated": e.answer.outdated}
            for e in r.evidence
        ],
        "reason": _text(r.reason, lang),
        "duty": {"law": duty.law, "paragraph": duty.paragraph, "since": duty.since, "until": duty.until or None}
        if r.duty else None,
        "status": r.status,
        "extra": r.extra,
        "note": _text(r.note, lang) if r.note else None,
        "closes_baseline": [_text(c.reason, lang) for c in r.baseline],
    }


def report_data(assessment: Assessment, lang: str) -> dict:
    """Every number and finding the report shows, in the report's language."""
    q, a, s, advice = assessment.questionnaire, assessment.answers, assessment.scores, assessment.advice
    profile = advice.profile
    m = a.municipality
    data = {
        "schema": "assess-report",
        "schema_version": SCHEMA_VERSION,
        "language": lang,
        "questionnaire": {"id": q.id, "version": q.version, "title": _text(q.title, lang)},
        "municipality": {"name": m.name, "ags": m.ags or None, "state": m.state or None,
                         "population": m.population, "size_class": profile.size_class},
        "date": a.date or None,
        "respondents": [{"name": r.name, "role": r.role} for r in a.respondents],
        **{k: v for k, v in scores_to_data(s, lang).items() if k in ("overall", "dimensions")},
        "strengths": [p.dimension.id for p in profile.strengths],
        "needs_action": [p.dimension.id for p in profile.needs_action],
        "knowledge_gaps": [{"question": g.question.id, "dimension": g.dimension.id, "text": _text(g.question.text, lang)}
                           for g in profile.knowledge_gaps],
        "headline": {
            "score": _r(advice.headline.score),
            "provisional": advice.headline.provisional,
            "range": [_r(advice.headline.low), _r(advice.headline.high)],
            "coverage": round(advice.headline.coverage, 3),
            "dimensions": [d.id for d in advice.headline.covered],
        },
        "recommendations": [_recommendation(r, lang, assessment.answers) for r in advice.recommendations + advice.later],
        "roadmap": [
            {"phase": p.number, "start_month": p.start_month, "end_month": p.end_month,
             "measures": [r.measure.id for r in p.recommendations]}
            for p in advice.phases
        ],
        "later": [r.measure.id for r in advice.later],
        "open_measures": [
            {"measure": o.measure.id, "dimension": o.measure.dimension, "title": _text(o.measure.title, lang),
             "questions": [q.id for q in o.questions], "asked": o.asked}
            for o in advice.open_measures
        ],
        "covered": [{"measure": r.measure.id, "by": other.id} for r, other in advice.covered],
        "comparison": None,
        "peers": None,
    }
    for prof in profile.dimensions:
        data["dimensions"][prof.dimension.id].update(
            priority=prof.priority,
            size_class_target_level=prof.size_class_target,
            own_target_level=prof.own_target,
            target_score=_r(prof.target_score),
            gap=_r(prof.gap),
            weighted_gap=_r(prof.weighted_gap),
        )
    if assessment.peers is not None:
        group = assessment.peers
        data["peers"] = {"count": group.count, "min_group": MIN_GROUP,
                         "score": _spread(group.score, group.score_position),
                         "dimensions": {dim: _spread(found, where) for dim, found, where in group.dimensions}}
    comparison = assessment.comparison
    if comparison is not None:
        data["comparison"] = {
            "baseline_date": comparison.baseline.answers.date or None,
            "baseline_score": _r(comparison.baseline.score),
            "overall_delta": _r(comparison.overall_delta),
            "dimensions": {c.dimension.id: {"before": _r(c.before), "after": _r(c.after), "delta": _r(c.delta)}
                           for c in comparison.changes},
            "completed": [mm.id for mm in comparison.completed],
        }
    return data


def _spread(found, where) -> dict | None:
    """A peer group's distribution of one score, with the town's position in it (null below MIN_GROUP)."""
    if found is None:
        return None
    return {"low": _r(found.low), "median": _r(found.median), "high": _r(found.high), "count": found.count,
            "position": where}
