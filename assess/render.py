"""Render assessments: Jinja2 environment (autoescaped), report formats, and text for the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from assess import i18n
from assess.assessment import Assessment
from assess.errors import AssessError, NotFoundError
from assess.model import size_class_for
from assess.scoring import ANSWERED, Scores

REPORT_SCHEMA_VERSION = "1.0"


# --- plain data -------------------------------------------------------------------------------


def _round(value):
    return None if value is None else round(value, 1)


def scores_to_data(scores: Scores) -> dict:
    """Scores as plain data: overall and per dimension score, level, coverage, range, caps."""
    return {
        "questionnaire": scores.questionnaire.ref,
        "municipality": scores.answers.municipality.name,
        "overall": {
            "score": _round(scores.score),
            "level": scores.level,
            "coverage": round(scores.coverage, 3),
            "answered": scores.answered,
            "applicable": scores.applicable,
        },
        "dimensions": {
            d.dimension.id: {
                "score": _round(d.score),
                "level": d.level,
                "uncapped_level": d.uncapped_level,
                "caps": [cap.reason.en for cap in d.applied_caps],
                "coverage": round(d.coverage, 3),
                "answered": d.answered,
                "applicable": d.applicable,
                "unknown": [r.question.id for r in d.unknown],
                "score_range": [_round(x) for x in d.score_range] if d.score_range else None,
            }
            for d in scores.dimensions
        },
    }


# --- CLI text ---------------------------------------------------------------------------------

HEAD = {
    "de": ("Dimension", "Punkte", "Stufe", "Abdeckung"),
    "en": ("Dimension", "Score", "Level", "Coverage"),
}


def scores_table(scores: Scores, lang: str) -> str:
    """A plain-text table of the scores for the terminal."""
    q = scores.questionnaire
    rows = []
    for d in scores.dimensions:
        level = f"{d.level} {q.level(d.level).name.get(lang)}" if d.level else "–"
        if d.applied_caps:
            level += " *"
        rows.append((d.dimension.title.get(lang), i18n.number(d.score, lang), level, i18n.percent(d.coverage, lang)))
    overall_level = f"{scores.level} {q.level(scores.level).name.get(lang)}" if scores.level else "–"
    total = ("Gesamt (Reifegradindex)" if lang == "de" else "Overall (maturity index)",
             i18n.number(scores.score, lang), overall_level, i18n.percent(scores.coverage, lang))
    widths = [max(len(r[i]) for r in rows + [HEAD[lang], total]) for i in range(4)]
    fmt = lambda r: "  ".join(c.ljust(w) if i != 1 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()  # noqa: E731
    lines = [f"{scores.answers.municipality.name} · {q.title.get(lang)} {q.version}", "", fmt(HEAD[lang]),
             "-" * (sum(widths) + 6)]
    lines += [fmt(r) for r in rows] + ["-" * (sum(widths) + 6), fmt(total)]
    for d in scores.dimensions:
        for cap in d.applied_caps:
            note = "Stufe begrenzt" if lang == "de" else "level capped"
            lines.append(f"* {d.dimension.title.get(lang)}: {note} auf {cap.max_level} – {cap.reason.get(lang)}"
                         if lang == "de" else f"* {d.dimension.title.get(lang)}: {note} at {cap.max_level} – {cap.reason.get(lang)}")
    if scores.coverage < 0.8:
        lines.append(("Achtung: nur {} der Fragen beantwortet – Ergebnis unsicher." if lang == "de"
                      else "Note: only {} of the questions answered – result uncertain.").format(i18n.percent(scores.coverage, lang)))
    return "\n".join(lines)


def explain_text(scores: Scores, dimension_id: str | None, lang: str) -> str:
    """The trace of one or all dimensions: each answer, value, weight, exclusions and the formula."""
    dims = scores.dimensions
    if dimension_id:
        found = scores.dimension(dimension_id)
        if found is None:
            ids = ", ".join(d.dimension.id for d in dims)
            raise NotFoundError(f"no dimension '{dimension_id}' in {scores.questionnaire.ref}; use one of: {ids}")
        dims = (found,)
    de = lang == "de"
    out = []
    for d in dims:
        out.append(f"== {d.dimension.title.get(lang)} ({d.dimension.id}) ==")
        out.append(("Formel: Punkte = 100 × Σ(Gewicht × Wert) ÷ Σ(Gewicht) über beantwortete, zutreffende Fragen"
                    if de else "Formula: score = 100 × Σ(weight × value) ÷ Σ(weight) over answered, applicable questions")
                   + f" [{i18n.label(d.dimension.aggregate, lang)}]")
        for row in d.trace:
            indent = "  " * (row.depth + 1)
            if row.kind == "group":
                out.append(f"{indent}[{row.id}] {i18n.label(row.aggregate, lang)} → {i18n.number(row.score, lang, 1)}  "
                           f"({'Gewicht' if de else 'weight'} {row.weight:g})")
                continue
            question = scores.questionnaire.question(row.id)
            answer = scores.answers.answer(row.id)
            value = i18n.answer_text(question, answer.value if answer else None, lang)
            if row.status == ANSWERED:
                how = f"{row.detail} = {i18n.number(row.score, lang, 1)}" if row.detail else i18n.number(row.score, lang, 1)
                out.append(f"{indent}{row.id}: {how}  ({'Gewicht' if de else 'weight'} {row.weight:g}) – {value}")
            else:
                out.append(f"{indent}{row.id}: {'ausgelassen' if de else 'left out'} – {i18n.label(row.status, lang)}")
        result = i18n.number(d.score, lang, 1)
        out.append(f"  = {result} {'Punkte' if de else 'points'}; "
                   f"{'Abdeckung' if de else 'coverage'} {d.answered}/{d.applicable} ({i18n.percent(d.coverage, lang)})")
        if d.level:
            name = scores.questionnaire.level(d.level).name.get(lang)
            out.append(f"  {'Stufe' if de else 'level'} {d.level} ({name})")
        for cap in d.applied_caps:
            out.append(f"  {'begrenzt von Stufe' if de else 'capped from level'} {d.uncapped_level} "
                       f"{'auf' if de else 'to'} {cap.max_level}: {cap.reason.get(lang)}")
        if d.score_range:
            low, high = (i18n.number(x, lang, 1) for x in d.score_range)
            out.append(f"  {'mit „weiß nicht“ als niedrigste/höchste Antwort' if de else 'with “don’t know” as lowest/highest answer'}: "
                       f"{low} – {high}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- reports ----------------------------------------------------------------------------------


def environment(template_dir: Path | None = None):
    """Jinja2 environment: the user's folder first, built-ins last, `default:` reaches a built-in."""
    import jinja2

    from assess.resources import data_dir

    builtin = jinja2.FileSystemLoader(str(data_dir("reports")))
    loaders = [jinja2.FileSystemLoader(str(template_dir))] if template_dir else []
    loaders += [jinja2.PrefixLoader({"default": builtin}), builtin]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def report_context(assessment: Assessment, lang: str) -> dict:
    """Everything the report templates show, with charts as SVG text."""
    from assess import charts

    q, a, s = assessment.questionnaire, assessment.answers, assessment.scores
    size_class = size_class_for(a.municipality.population)
    labels = [d.dimension.title.get(lang) for d in s.dimensions]
    targets = [q.level(d.dimension.target(size_class)).min_score for d in s.dimensions]
    current_name = "Ist" if lang == "de" else "Current"
    target_name = ("Soll (Zielstufe " if lang == "de" else "Target (level for ") + i18n.label(size_class, lang) + ")"
    radar = charts.radar(labels, [charts.Series(current_name, tuple(d.score for d in s.dimensions)),
                                  charts.Series(target_name, tuple(targets), "target")])
    radar_alt = "; ".join(f"{lbl}: {i18n.number(d.score, lang)} ({target_name}: {i18n.number(t, lang)})"
                          for lbl, d, t in zip(labels, s.dimensions, targets))
    return {
        "lang": lang,
        "q": q,
        "a": a,
        "s": s,
        "size_class": size_class,
        "radar_svg": radar,
        "radar_alt": radar_alt,
        "targets": dict(zip((d.dimension.id for d in s.dimensions), targets)),
    }


def _filters(env, lang: str) -> None:
    env.filters.update(
        t=lambda text: text.get(lang) if hasattr(text, "get") and not isinstance(text, dict) else text,
        num=lambda value, digits=0: i18n.number(value, lang, digits),
        pct=lambda value: i18n.percent(value, lang),
        date=lambda value: i18n.date(value, lang),
        label=lambda key: i18n.label(key, lang),
        euro=lambda low, high: i18n.euro(low, high, lang),
    )
    env.globals["answer_text"] = lambda question, value: i18n.answer_text(question, value, lang)


def render_html(assessment: Assessment, lang: str, template_dir: Path | None = None) -> str:
    """The self-contained HTML report."""
    return _render("report.html.j2", assessment, lang, template_dir)


def render_markdown(assessment: Assessment, lang: str, template_dir: Path | None = None) -> str:
    """The Markdown report."""
    return _render("report.md.j2", assessment, lang, template_dir)


def render_json(assessment: Assessment, lang: str, template_dir: Path | None = None) -> str:
    """The JSON report: every number the report shows."""
    data = {"schema_version": REPORT_SCHEMA_VERSION, "language": lang, **scores_to_data(assessment.scores)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _render(name: str, assessment: Assessment, lang: str, template_dir: Path | None) -> str:
    import jinja2

    env = environment(template_dir)
    _filters(env, lang)
    try:
        return env.get_template(name).render(**report_context(assessment, lang))
    except jinja2.TemplateNotFound as exc:
        raise NotFoundError(f"report template '{exc.name}' not found") from None
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else f"template '{name}': "
        raise AssessError(f"{where}{exc.message}") from None


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json}
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json", ".pdf": "pdf"}


def format_for(path: Path, fmt: str | None) -> str:
    """The output format: given explicitly, or from the file suffix."""
    if fmt:
        return fmt
    found = SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise AssessError(f"cannot tell the report format from '{path}'; use a suffix .html, .pdf, .md or .json, or --format")
    return found


def render_report_file(assessment: Assessment, path: Path, fmt: str | None, lang: str) -> Path:
    """Render the report in the chosen format and write it atomically; return the path."""
    from assess.answers import atomic_write

    fmt = format_for(path, fmt)
    atomic_write(Path(path), RENDERERS[fmt](assessment, lang))
    return Path(path)
