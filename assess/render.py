"""Render assessments: Jinja2 environment (autoescaped), report formats, and text for the CLI."""

from __future__ import annotations

import functools
import json
import re
import string
import threading
from pathlib import Path

from assess import i18n
from assess.assessment import Assessment
from assess.advice import PHASE_CAPACITY, TOTAL_CAPACITY
from assess.answers import STATES
from assess.config import ReportConfig
from assess.funding import programmes_for
from assess.errors import AssessError, MissingExtraError
from assess.model import SIZE_CLASSES, Text
from assess.peers import MIN_GROUP

MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#~"} | {"<": "&lt;", ">": "&gt;", "\n": " ", "\r": " "})
# An "&" that would start an entity (&amp; &lt; &#123;) is written as &amp;, so it shows as typed.
MARKDOWN_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What turns the start of a line into a list, a rule or a heading underline: "1. ", "1) ", "- ",
# "+ ", "---", "===".
MARKDOWN_BLOCK = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+=])(?=\s|$|[-+=])")


class Formatted(str):
    """A number, date or amount formatted by the report's filters: no user text, nothing to escape."""


def markdown_escape(value) -> str:
    """Escape text for Markdown, so that text from an answer file shows exactly as typed.

    Every text a Markdown template inserts passes here (the environment's `finalize`): inline
    markup (`*`, `_`, backticks, links, tables' `|`, HTML) anywhere in it, and whatever would
    start a list, rule or heading where it begins (a name like "1. FC Musterstadt")."""
    if not isinstance(value, str) or isinstance(value, Formatted):
        return value
    text = MARKDOWN_ENTITY.sub("&amp;", value).translate(MARKDOWN_SPECIAL).lstrip()
    return MARKDOWN_BLOCK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def environment(template_dir: Path | None = None, markdown: bool = False):
    """The report's Jinja environment (sandboxed, see assess.templating): the user's folder first,
    built-ins last, `default:` reaches a built-in.

    HTML is autoescaped; Markdown instead escapes every inserted text for Markdown.
    """
    from assess.templating import environment as sandboxed

    return sandboxed(template_dir, finalize=markdown_escape if markdown else None, autoescape=not markdown)


def load_strings(template_dir: Path | None, lang: str) -> dict[str, str]:
    """The report texts in `lang`: built-in strings.yaml, overridden entry by entry by the user's."""
    from assess.loading import read_text
    from assess.resources import data_dir
    from assess.yamlfile import Checker, read_file

    strings = {}
    for folder in (data_dir("reports"), template_dir):
        path = Path(folder) / "strings.yaml" if folder else None
        if path and path.is_file():
            c = Checker(str(path))
            data = c.mapping(read_file(path), 1, Text("Textdatei", "a strings file"))
            c.raise_if_errors()
            for key in data:
                texts = read_text(c, data, key, Text(f"Text „{key}“", f"the text '{key}'"))
                strings[key] = texts.get(lang)
            c.raise_if_errors()
    return strings


class _Placeholders(string.Formatter):
    """str.format with plain names only: `{name}`, never `{name.__class__}` or `{name[0]}`, which would
    let a strings.yaml read past the template sandbox into the objects a template passes to tr()."""

    def get_field(self, field_name, args, kwargs):
        if not field_name.isidentifier() or field_name not in kwargs:
            raise KeyError(field_name)
        return kwargs[field_name], field_name


_PLACEHOLDERS = _Placeholders()


def _translator(strings: dict[str, str], framing: str = "municipal"):
    """tr(key, **values): a report text with its placeholders filled, or a clear error.

    A bundle that is not framed as a municipality gets `key@<framing>` where strings.yaml has one."""

    def tr(key: str, **values) -> str:
        key = f"{key}@{framing}" if f"{key}@{framing}" in strings else key
        if key not in strings:
            raise AssessError(Text(f"der Berichtstext „{key}“ fehlt in strings.yaml",
                                   f"the report text '{key}' is missing from strings.yaml"))
        try:
            return _PLACEHOLDERS.vformat(strings[key], (), values) if values else strings[key]
        except (KeyError, IndexError, ValueError) as exc:
            allowed = ", ".join("{" + name + "}" for name in values) or "none"
            raise AssessError(Text(
                f"strings.yaml: der Text „{key}“ hat einen Platzhalter, der sich nicht füllen lässt ({exc}); "
                f"erlaubt sind: {allowed}",
                f"strings.yaml: the text '{key}' has a placeholder that cannot be filled ({exc}); "
                f"allowed placeholders: {allowed}")) from None

    return tr


def _years(value: str) -> str:
    return value[:4] if value else ""


EDITIONS = ("kurz", "voll")
DEFAULT_EDITION = "kurz"


def check_edition(edition: str) -> str:
    if edition not in EDITIONS:
        raise AssessError(Text(f"die Ausgabe „{edition}“ gibt es nicht; möglich sind: kurz, voll",
                               f"there is no edition '{edition}'; use kurz (short) or voll (full)"))
    return edition


def _amount(total, unit: str, tr, lang: str) -> str:
    """A summed range from assess.costs with its unit, saying honestly where figures are missing."""
    if not total.known:
        return tr("not_stated") if total.total else "–"
    if unit == "days":
        text = i18n.staff_days(total.low, total.high, lang)
    elif unit == "year":
        text = i18n.euro_yearly(total.low, total.high, lang) or tr("no_cost")
    else:
        text = i18n.euro(total.low, total.high, lang) if total.high else tr("no_cost")
    if not total.complete:
        text += " " + tr("stated_for", stated=total.stated, total=total.total)
    return text


def _css_string(value: str) -> str:
    """`value` as a quoted CSS string, safe inside a <style> element."""
    import markupsafe

    escaped = "".join(c if c.isalnum() or c in " .,-–·:()" else f"\\{ord(c):x} " for c in str(value))
    return markupsafe.Markup(f'"{escaped}"')


class _Chart:
    """An SVG chart drawn the first time a template shows it; false when there is nothing to draw."""

    def __init__(self, draw, inputs):
        self._draw, self._inputs, self._svg = draw, inputs, None

    def __bool__(self) -> bool:
        return self._inputs is not None

    def __str__(self) -> str:
        if self._svg is None:
            self._svg = self._draw(*self._inputs) if self._inputs is not None else ""
        return self._svg

    def __html__(self) -> str:  # already markup: the SVG is built by assess.charts from escaped text
        return str(self)


def report_context(assessment: Assessment, lang: str, config: ReportConfig | None = None,
                   edition: str = DEFAULT_EDITION) -> dict:
    """Everything the report templates show, with charts as SVG text and their text alternatives."""
    from assess import charts
    from assess.costs import costs
    from assess.templating import ContentSecurityPolicy

    check_edition(edition)
    config = config or ReportConfig()
    q, a, s, advice = assessment.questionnaire, assessment.answers, assessment.scores, assessment.advice
    tr = _translator(load_strings(config.template_dir, lang), q.framing)
    profile = advice.profile
    colors = {"current": config.accent}
    labels = [d.dimension.title.get(lang) for d in s.dimensions]
    targets = [p.target_score for p in profile.dimensions]
    target_name = tr("target_for", size_class=i18n.label(profile.size_class, lang))
    series = [charts.Series(tr("current"), tuple(d.score for d in s.dimensions)),
              charts.Series(target_name, tuple(targets), "target")]
    alt = [f"{lbl}: {tr('current')} {i18n.number(d.score, lang)}, {tr('target')} {i18n.number(t, lang)}"
           for lbl, d, t in zip(labels, s.dimensions, targets)]
    comparison = assessment.comparison
    if comparison is not None:
        base_name = f"{tr('baseline')} ({i18n.date(comparison.baseline.answers.date, lang)})"
        series.append(charts.Series(base_name, tuple(c.before for c in comparison.changes), "baseline"))
        alt = [f"{text}, {tr('baseline')} {i18n.number(c.before, lang)}" for text, c in zip(alt, comparison.changes)]
    peers = assessment.peers
    peer_rows = []
    if peers is not None:  # the chart shows the group's median; the table its quartiles and the town's position
        peer_name = tr("peers_name", count=peers.count)
        medians = tuple(spread.median if (spread := peers.dimension(d.dimension.id)) else None for d in s.dimensions)
        series.append(charts.Series(peer_name, medians, "peer"))
        alt = [f"{text}, {peer_name} {i18n.number(m, lang)}" for text, m in zip(alt, medians)]
        where = lambda key: tr(f"peer_position_{key}") if key else "–"  # noqa: E731
        peer_rows = [{"title": tr("index"), "score": s.score, "spread": peers.score, "position": where(peers.score_position)}]
        peer_rows += [{"title": d.dimension.title.get(lang), "score": d.score, "spread": peers.dimension(d.dimension.id),
                       "position": where(peers.position(d.dimension.id))} for d in s.dimensions]
    full = edition == "voll"
    matrix_points = [(p.dimension.title.get(lang), p.priority, p.result.score) for p in profile.dimensions]
    matrix_labels = {"x": tr("matrix_x"), "y": tr("matrix_y"), "act_first": tr("act_first"), "keep": tr("keep"),
                     "later": tr("later"), "strength": tr("strength_q")}
    matrix_alt = "; ".join(f"{name}: {tr('priority')} {prio}, {i18n.number(score, lang)} {tr('points')}"
                           for name, prio, score in matrix_points)
    duration = {"quick": 6, "medium": 12, "long": 18}
    style = {1: "current", 2: "peer", 3: "target"}
    placed = [(p, r) for p in advice.phases for r in p.recommendations]
    bars = [(r.measure.title.get(lang), p.start_month, min(36, p.start_month + duration[r.measure.horizon]), style[p.number])
            for p, r in placed]
    # What each chart is drawn from: the docx writer draws the same charts as PNG images.
    chart_inputs = {
        "radar": (labels, series, colors) if len(labels) >= 3 else None,
        "matrix": (matrix_points, colors, matrix_labels) if full else None,
    }
    # The numbers behind each chart, as a table for screen readers and anyone who wants the figures.
    num = lambda value: i18n.number(value, lang)  # noqa: E731
    chart_tables = {
        "radar": {"head": [tr("dimension")] + [x.name for x in series],
                  "rows": [[lbl] + [num(x.values[i]) for x in series] for i, lbl in enumerate(labels)]},
        "matrix": {"head": [tr("dimension"), tr("priority"), tr("score")],
                   "rows": [[name, f"{prio}/5", num(score)] for name, prio, score in matrix_points]},
        "roadmap": {"head": [tr("measure"), tr("phase_short"), tr("from_month"), tr("to_month")],
                    "rows": [[r.measure.title.get(lang), str(p.number), str(start), str(end)]
                             for (p, r), (_, start, end, _s) in zip(placed, bars)]},
    }
    measures_of = lambda recs: [r.measure for r in recs]  # noqa: E731
    phase_costs = {p.number: costs(measures_of(p.recommendations)) for p in advice.phases}
    amount = lambda total, unit="euro": _amount(total, unit, tr, lang)  # noqa: E731
    typical = sorted(p.size_class_target for p in profile.dimensions)[len(profile.dimensions) // 2] if profile.dimensions else 1
    return {
        "lang": lang,
        "edition": edition,
        "full": full,
        "municipal": q.framing == "municipal",  # population, size class, funding programmes
        "q": q,
        "a": a,
        "s": s,
        "advice": advice,
        "profile": profile,
        "comparison": comparison,
        "peers": peers,
        "peer_rows": peer_rows,
        "peers_minimum": MIN_GROUP,
        "config": config,
        # The HTML page's Content-Security-Policy, filled with the hashes of its inline style while it renders.
        "csp": ContentSecurityPolicy(images=True),
        "tr": tr,
        "typical_target": typical,
        "capacity": PHASE_CAPACITY[profile.size_class],
        "total": TOTAL_CAPACITY[profile.size_class],
        "running_title": f"{tr('title')} {a.municipality.name}",
        # Charts are drawn only when a template shows them: Markdown and Word never pay for SVG.
        "radar_svg": _Chart(charts.radar, chart_inputs["radar"]),
        "radar_alt": "; ".join(alt),
        "matrix_svg": _Chart(charts.priority_matrix, chart_inputs["matrix"]),
        "matrix_alt": matrix_alt,
        "roadmap_parts": _roadmap_parts(advice, bars, colors, tr),
        "chart_inputs": chart_inputs,
        "chart_tables": chart_tables,
        "phase_costs": phase_costs,
        "roadmap_costs": costs(measures_of(r for _, r in placed)),
        "amount": amount,
        "divergences": _divergences(assessment),
        "size_classes": SIZE_CLASSES,
        "programmes_for": lambda measure: programmes_for(measure, a),
    }



def _roadmap_parts(advice, bars, colors, tr) -> list[dict]:
    """The roadmap chart: one, or one per phase when a single chart would not fit on an A4 page.

    Each part: caption, alt text, the chart's inputs (for Word) and its SVG.
    """
    from assess import charts

    if not bars:
        return []
    groups = [(tr("roadmap"), bars)]
    if charts.roadmap_height(bars) > charts.ROADMAP_MAX_HEIGHT:
        groups, start = [], 0
        for p in advice.phases:
            count = len(p.recommendations)
            if count:
                caption = f"{tr('roadmap')} – {tr('phase_name', number=p.number, start=p.start_month, end=p.end_month)}"
                groups.append((caption, bars[start:start + count]))
            start += count
    parts = []
    for number, (caption, group) in enumerate(groups, start=1):
        inputs = (group, colors, {"x": tr("months"), "id": str(number) if len(groups) > 1 else ""})
        alt = "; ".join(f"{title}: {begin}–{end} {tr('months')}" for title, begin, end, _ in group)
        parts.append({"caption": caption, "alt": alt, "inputs": inputs, "svg": _Chart(charts.roadmap, inputs)})
    return parts


def _divergences(assessment: Assessment) -> list:
    """Questions where respondents of a merged answer file disagree by two levels or more."""
    if not any(a.by_respondent for a in assessment.answers.answers):
        return []
    from assess.capture.merge import divergences

    return divergences(assessment.answers, assessment.questionnaire)


def _filters(env, lang: str) -> None:
    formatted = lambda f: lambda *args, **kwargs: Formatted(f(*args, **kwargs))  # noqa: E731
    env.filters.update(
        t=lambda text: text.get(lang) if hasattr(text, "get") and not isinstance(text, dict) else text,
        num=formatted(lambda value, digits=0: i18n.number(value, lang, digits)),
        signed=formatted(lambda value: "–" if value is None else ("+" if round(value) > 0 else "") + i18n.number(value, lang)),
        points=formatted(lambda value, signed=False: i18n.points(value, lang, signed)),
        pct=formatted(lambda value: i18n.percent(value, lang)),
        date=formatted(lambda value: i18n.date(value, lang)),
        label=lambda key: i18n.label(key, lang),
        euro=formatted(lambda low, high: i18n.euro(low, high, lang)),
        euro_yearly=formatted(lambda low, high: i18n.euro_yearly(low, high, lang)),
        staff_days=formatted(lambda low, high: i18n.staff_days(low, high, lang)),
        year=formatted(_years),
        state=lambda code: STATES.get(code, code),
    )
    env.globals["answer_text"] = lambda question, value: i18n.answer_text(question, value, lang)
    env.globals["answer_with_state"] = lambda question, answer: i18n.answer_with_state(question, answer, lang)
    env.filters["css_string"] = _css_string


def environment_for(lang: str, template_dir: Path | None = None, markdown: bool = False):
    """The sandboxed environment with the report filters of `lang` (num, pct, date, …) for templates
    in `template_dir` (then the built-in ones), this thread's own (see _environment_for)."""
    return _environment_for(template_dir, markdown, lang, threading.get_ident())


@functools.lru_cache(maxsize=16)
def _environment_for(template_dir: Path | None, markdown: bool, lang: str, thread: int):
    """The environment with the filters of `lang`, made once per thread: Jinja compiles each template
    once and keeps it (re-reading a user's template when its file changes), so a batch of reports does
    not compile the report template for every town. Per thread, because a rendering sets the
    sandbox's deadline on its environment (assess.templating)."""
    env = environment(template_dir, markdown)
    _filters(env, lang)
    return env


def render_html(assessment: Assessment, lang: str, config: ReportConfig | None = None, edition: str = DEFAULT_EDITION) -> str:
    """The self-contained HTML report."""
    return _render("report.html.j2", assessment, lang, config, edition)


def render_markdown(assessment: Assessment, lang: str, config: ReportConfig | None = None, edition: str = DEFAULT_EDITION) -> str:
    """The Markdown report, for pasting into council documents."""
    return _render("report.md.j2", assessment, lang, config, edition)


def print_document(assessment: Assessment, lang: str, config: ReportConfig | None = None, edition: str = DEFAULT_EDITION):
    """The report laid out on A4 pages by weasyprint (optional extra `pdf`): a weasyprint Document."""
    try:
        import weasyprint
    except ImportError:
        raise MissingExtraError("weasyprint", "pdf", Text("Das Schreiben von PDF-Berichten", "Writing PDF reports")) from None
    except OSError as exc:  # weasyprint is installed but the Pango libraries it needs are not
        guide = "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
        raise AssessError(Text(
            f"weasyprint ist installiert, startet aber nicht ({exc}); es braucht die Pango-Bibliotheken, siehe {guide} "
            "– oder schreiben Sie HTML und drucken Sie es im Browser als PDF",
            f"weasyprint is installed but cannot start ({exc}); it needs the Pango libraries: see {guide} "
            "— or write HTML and print it to PDF")) from None
    html = render_html(assessment, lang, config, edition)
    return weasyprint.HTML(string=html, base_url=None).render(**PDF_OPTIONS)


# A tagged PDF (structure for screen readers) as PDF/UA-1, as far as weasyprint supports it; the
# document's language and title come from the HTML's lang and <title>.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def render_pdf(assessment: Assessment, lang: str, config: ReportConfig | None = None, edition: str = DEFAULT_EDITION) -> bytes:
    """The PDF report, printed from the HTML report: tagged, with language, title and numbered pages."""
    return print_document(assessment, lang, config, edition).write_pdf(**PDF_OPTIONS)


def render_docx(assessment: Assessment, lang: str, config: ReportConfig | None = None, edition: str = DEFAULT_EDITION) -> bytes:
    """The Word report (optional extra `docx`): real headings and tables, charts as images with alt text."""
    from assess.render_docx import write_docx

    return write_docx(report_context(assessment, lang, config or ReportConfig(), edition))


def render_json(assessment: Assessment, lang: str, config: ReportConfig | None = None, edition: str = DEFAULT_EDITION) -> str:
    """The JSON report: every number the report shows (schema in docs/report-json.md); the same in both editions."""
    from assess.report_data import report_data

    return json.dumps(report_data(assessment, lang), ensure_ascii=False, indent=2) + "\n"


def _render(name: str, assessment: Assessment, lang: str, config: ReportConfig | None, edition: str = DEFAULT_EDITION) -> str:
    from assess.templating import render

    config = config or ReportConfig()
    env = environment_for(lang, config.template_dir, name.endswith(".md.j2"))
    context = report_context(assessment, lang, config, edition)
    return context["csp"].finish(render(env, name, context))


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json, "pdf": render_pdf, "docx": render_docx}
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json", ".pdf": "pdf",
            ".docx": "docx"}


def format_for(path: Path, fmt: str | None) -> str:
    """The output format: given explicitly, or from the file suffix."""
    if fmt:
        return fmt
    found = SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise AssessError(Text(
            f"das Berichtsformat ist aus „{path}“ nicht erkennbar; verwenden Sie die Endung .html, .pdf, .docx, .md "
            f"oder .json oder --format",
            f"cannot tell the report format from '{path}'; use a suffix .html, .pdf, .docx, .md or .json, or --format"))
    return found


def render_report_file(assessment: Assessment, path: Path, fmt: str | None, lang: str, config: ReportConfig | None = None,
                       edition: str = DEFAULT_EDITION, overwrite: bool = True) -> Path:
    """Render the report in the chosen format and edition and write it atomically; return the path.
    With `overwrite` False an existing file is never replaced (OutputExistsError)."""
    from assess.files import write_bytes

    fmt = format_for(path, fmt)
    output = RENDERERS[fmt](assessment, lang, config, check_edition(edition))
    write_bytes(Path(path), output if isinstance(output, bytes) else output.encode("utf-8"), overwrite)
    return Path(path)
