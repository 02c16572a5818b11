"""Plain text for the terminal: the score table of `assess score` and the trace of `assess explain`.

Kept apart from the reports, so that scoring in the terminal loads no advice, charts or templates.
"""

from __future__ import annotations

from assess import i18n, texts
from assess.errors import NotFoundError
from assess.model import Text
from assess.scoring import ANSWERED, Scores


def scores_table(scores: Scores, lang: str) -> str:
    """A plain-text table of the scores for the terminal."""
    q = scores.questionnaire
    head = tuple(texts.text("score.head", lang))
    rows = []
    for d in scores.dimensions:
        level = f"{d.level} {q.level(d.level).name.get(lang)}" if d.level else "–"
        if d.applied_caps:
            level += " *"
        rows.append((d.dimension.title.get(lang), i18n.number(d.score, lang), level, i18n.percent(d.coverage, lang)))
    overall_level = f"{scores.level} {q.level(scores.level).name.get(lang)}" if scores.level else "–"
    total = ("Gesamt (Reifegradindex)" if lang == "de" else "Overall (maturity index)",
             i18n.number(scores.score, lang), overall_level, i18n.percent(scores.coverage, lang))
    widths = [max(len(r[i]) for r in rows + [head, total]) for i in range(4)]
    fmt = lambda r: "  ".join(c.ljust(w) if i != 1 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()  # noqa: E731
    lines = [f"{scores.answers.municipality.name} · {q.title.get(lang)} {q.version}", "", fmt(head),
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
            raise NotFoundError(Text(f"keine Dimension „{dimension_id}“ in {scores.questionnaire.ref}; möglich sind: {ids}",
                                     f"no dimension '{dimension_id}' in {scores.questionnaire.ref}; use one of: {ids}"))
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


# --- reports ---------------------------------------------------------------------------------
