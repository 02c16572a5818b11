"""The report as a Word document (python-docx, optional extra `docx`), for council papers.

Built from the same context as the HTML report (`render.report_context`) and in the same two
editions: real Word headings (so the navigation pane and a table of contents work), real tables
with repeating header rows, charts as PNG images with alternative text, branding from
`assess.yaml` (organisation, logo, accent colour, footer). Everything stays editable.
"""

from __future__ import annotations

import base64
import io
import re

from assess import i18n
from assess.errors import MissingExtraError
from assess.model import Text

FONT = "Arial"
# Characters XML 1.0 cannot hold (C0 controls but tab, newline, carriage return; U+FFFE, U+FFFF):
# text from an answer file may contain them, and a Word file must still be written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """`text` without the characters a Word file (XML) cannot hold."""
    return _NOT_XML.sub("", text)


def write_docx(context: dict) -> bytes:
    """The .docx file of the report described by `context`."""
    try:
        import docx  # noqa: F401
    except ImportError:
        raise MissingExtraError("python-docx", "docx", Text("Das Schreiben von Word-Berichten", "Writing Word reports")) from None
    return _Writer(context).build()


class _Writer:
    def __init__(self, context: dict):
        from docx import Document
        from docx.shared import RGBColor

        self.c = context
        self.lang = context["lang"]
        self.tr = context["tr"]
        self.full = context["full"]
        self.doc = Document()
        accent = context["config"].accent.lstrip("#")
        self.accent = RGBColor.from_string(accent.upper())

    # --- small helpers ----------------------------------------------------------------------

    def t(self, text) -> str:
        return text.get(self.lang) if hasattr(text, "get") and not isinstance(text, dict) else str(text)

    def num(self, value, digits: int = 0) -> str:
        return i18n.number(value, self.lang, digits)

    def heading(self, text: str, level: int):
        return self.doc.add_heading(xml_text(text), level)

    def para(self, text: str = "", style: str | None = None, bold_lead: str = "", small: bool = False):
        from docx.shared import Pt

        p = self.doc.add_paragraph(style=style)
        if bold_lead:
            p.add_run(xml_text(bold_lead)).bold = True
        p.add_run(xml_text(text))
        if small:
            for r in p.runs:
                r.font.size = Pt(9)
        return p

    def bullets(self, items: list[str], numbered: bool = False):
        """A bulleted list, or a numbered one that starts at 1 (Word's "List Number" style would
        continue one numbering through the whole document)."""
        from docx.shared import Cm

        for number, item in enumerate(items, start=1):
            if not numbered:
                self.doc.add_paragraph(xml_text(item), style="List Bullet")
                continue
            p = self.doc.add_paragraph(xml_text(f"{number}.\t{item}"))
            p.paragraph_format.left_indent = Cm(0.75)
            p.paragraph_format.first_line_indent = Cm(-0.75)
            p.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))

    def table(self, head: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), widths: list[float] | None = None,
              row_headers: bool = False):
        """A real Word table: header row repeated on every page, rows that do not split."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        table = self.doc.add_table(rows=1, cols=len(head))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        header = table.rows[0]
        props = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        props.append(repeat)
        for i, text in enumerate(head):
            cell = header.cells[i]
            cell.text = ""
            run = cell.paragraphs[0].add_run(xml_text(text))
            run.bold = True
            self._shade(cell, "EEF2F7")
        for row in rows:
            cells = table.add_row().cells
            for i, text in enumerate(row):
                cells[i].text = ""
                run = cells[i].paragraphs[0].add_run(xml_text(str(text)))
                if row_headers and i == 0:
                    run.bold = True
                if i in numeric:
                    cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for i in numeric & set(range(len(head))):
            header.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            props = row._tr.get_or_add_trPr()
            keep = OxmlElement("w:cantSplit")
            keep.set(qn("w:val"), "true")
            props.append(keep)
            for cell in row.cells:
                for p in cell.paragraphs:
                    for r in p.runs:
                        r.font.size = Pt(9)
        if widths:
            for row in table.rows:
                for cell, width in zip(row.cells, widths):
                    cell.width = Cm(width)
        self.doc.add_paragraph()
        return table

    @staticmethod
    def _shade(cell, fill: str):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)

    def picture(self, png: bytes, alt: str, caption: str):
        """A chart as a PNG image over the text width, with alternative text and a caption."""
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(17))
        shape = self.doc.inline_shapes[-1]
        shape._inline.docPr.set("descr", xml_text(f"{caption}: {alt}"))
        shape._inline.docPr.set("title", caption)
        self.doc.add_paragraph(xml_text(caption), style="Caption")

    def chart(self, name: str, caption: str, alt: str):
        from assess import charts

        inputs = self.c["chart_inputs"].get(name)
        if not inputs:
            return
        draw = {"radar": charts.radar, "matrix": charts.priority_matrix, "roadmap": charts.roadmap}[name]
        self.picture(draw(*inputs, fmt="png"), alt, caption)

    def field(self, paragraph, instruction: str, placeholder: str = "1"):
        """A Word field (PAGE, NUMPAGES, TOC …) that Word and LibreOffice fill in."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        def char(kind):
            run = OxmlElement("w:r")
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.append(fld)
            return run

        begin, sep, end = char("begin"), char("separate"), char("end")
        code = OxmlElement("w:r")
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {instruction} "
        code.append(text)
        shown = OxmlElement("w:r")
        value = OxmlElement("w:t")
        value.text = placeholder
        shown.append(value)
        for part in (begin, code, sep, shown, end):
            paragraph._p.append(part)

    # --- document set-up --------------------------------------------------------------------

    def setup(self):
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt, RGBColor

        c = self.c
        doc = self.doc
        props = doc.core_properties
        props.title = xml_text(f"{self.tr('title')} – {c['a'].municipality.name}")
        props.subject = self.tr("edition_full") if self.full else self.tr("edition_short")
        props.language = self.lang
        props.author = xml_text(c["config"].organisation) or "assess (Kommunal-Digitalcheck)"
        props.keywords = f"{c['q'].ref}"
        normal = doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10.5)
        # The document's language, for spelling, hyphenation and screen readers.
        rpr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "de-DE" if self.lang == "de" else "en-GB")
        rpr.append(lang)
        for level in range(0, 4):
            style = doc.styles["Title" if level == 0 else f"Heading {level}"]
            style.font.name = FONT
            style.font.color.rgb = RGBColor(0x0F, 0x2F, 0x57) if level else self.accent
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
        # Running header with page numbers, as in the PDF.
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run(xml_text(f"{c['running_title']} · {self.tr('page_word')} "))
        self.field(header, "PAGE")
        header.add_run(f" {self.tr('of_word')} ")
        self.field(header, "NUMPAGES")
        for run in header.runs:
            run.font.size = Pt(8.5)
        footer_text = (c["config"].footer + " · " if c["config"].footer else "") + self.tr("created_with")
        footer = section.footer.paragraphs[0]
        footer.add_run(xml_text(footer_text)).font.size = Pt(8)
        if self.full:
            # Word asks to update fields on opening, so the table of contents gets its page numbers.
            settings = doc.settings.element
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)

    # --- the report -------------------------------------------------------------------------

    def build(self) -> bytes:
        self.setup()
        self.cover()
        self.summary()
        self.overview()
        self.comparison()
        if self.full:
            self.matrix()
        self.roadmap()
        self.divergences()
        if self.full:
            self.dimensions()
            self.methodology()
        else:
            self.first_phase()
            self.later()
            self.method_note()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def page_break(self):
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def cover(self):
        from docx.shared import Cm

        c, tr = self.c, self.tr
        config, a, q, s, profile = c["config"], c["a"], c["q"], c["s"], c["profile"]
        logo = _logo_bytes(config.logo_data_uri)
        if logo:
            self.doc.add_picture(io.BytesIO(logo), height=Cm(1.8))
            self.doc.inline_shapes[-1]._inline.docPr.set("descr", xml_text(config.organisation) or "Logo")
        org = (f"{tr('prepared_by')}: {config.organisation} · " if config.organisation else "") + f"{self.t(q.title)} {q.version}"
        self.para(org)
        self.heading(f"{tr('title')}: {a.municipality.name}", 0)
        self.para(f"{tr('as_of')}: {i18n.date(a.date, self.lang)} · {tr('edition_full') if self.full else tr('edition_short')}")
        self.heading(tr("key_facts"), 1)
        level = f"{s.level} · {self.t(q.level(s.level).name)}" if s.level else "–"
        rows = [[tr("index"), self.num(s.score)], [tr("level"), level], [tr("coverage_long"), i18n.percent(s.coverage, self.lang)]]
        if c["municipal"]:  # an organisation-framed bundle has no population or size class
            rows.append([tr("inhabitants"), f"{self.num(a.municipality.population)} · {i18n.label(profile.size_class, self.lang)}"])
        rows.append([tr("municipality"), a.municipality.name])
        if a.municipality.state:
            from assess.answers import STATES

            rows.append([tr("state"), STATES.get(a.municipality.state, a.municipality.state)])
        if a.municipality.ags:
            rows.append([tr("ags"), a.municipality.ags])
        if a.respondents:
            rows.append([tr("respondents"), ", ".join(r.name + (f" ({r.role})" if r.role else "") for r in a.respondents)])
        first = c["phase_costs"][1]
        rows.append([f"{tr('phase_short')} 1: {tr('cost')}", c["amount"](first.one_off)])
        rows.append([tr("questionnaire"), f"{self.t(q.title)} ({q.ref})"])
        self.table([tr("key_facts"), ""], rows, row_headers=True, widths=[6, 11])
        if s.coverage < 0.8:
            self.para(tr("uncertain", coverage=i18n.percent(s.coverage, self.lang)))
        if self.full:
            self.heading(tr("contents"), 1)
            p = self.doc.add_paragraph()
            self.field(p, 'TOC \\o "1-1" \\h \\z \\u', tr("toc_update"))

    def summary(self):
        c, tr = self.c, self.tr
        a, s, q, profile, advice = c["a"], c["s"], c["q"], c["profile"], c["advice"]
        self.page_break()
        self.heading(tr("summary"), 1)
        if s.score is not None:
            self.para(tr("summary_lead", name=a.municipality.name, score=self.num(s.score), level=s.level,
                         level_name=self.t(q.level(s.level).name), size_class=i18n.label(profile.size_class, self.lang),
                         typical_target=c["typical_target"]))
        comparison = c["comparison"]
        if comparison and comparison.overall_delta is not None:
            self.para(tr("since", delta=i18n.points(comparison.overall_delta, self.lang, True),
                         year=(comparison.baseline.answers.date or "")[:4]), bold_lead=tr("comparison") + ": ")
        self.heading(tr("strengths"), 2)
        if profile.strengths:
            self.bullets([f"{self.t(p.dimension.title)} – {tr('points_above', points=i18n.points(p.margin, self.lang))}"
                          for p in profile.strengths])
        else:
            self.para(tr("strengths_none"))
        self.heading(tr("needs_action"), 2)
        if profile.needs_action:
            self.bullets([f"{self.t(p.dimension.title)} – {tr('points_below', points=i18n.points(p.gap, self.lang), priority=p.priority)}"
                          + "".join(f"; {tr('capped_short', max=cap.max_level)}" for cap in p.result.applied_caps)
                          for p in profile.needs_action])
        elif not profile.unscored:
            self.para(tr("needs_action_none"))
        self.heading(tr("top_measures"), 2)
        if advice.top:
            self.bullets([f"{self.t(r.measure.title)} ({tr('phase_short')} {r.phase})" for r in advice.top], numbered=True)
        elif advice.undecided:
            self.para(tr("top_measures_undecided", count=len(advice.undecided)))
        else:
            self.para(tr("top_measures_none"))
        self.heading(tr("costs_heading"), 2)
        self.cost_lines()

    def cost_lines(self):
        c, tr = self.c, self.tr
        amount = c["amount"]
        items = []
        for p in c["advice"].phases:
            if not p.recommendations:
                continue
            cost = c["phase_costs"][p.number]
            items.append(f"{tr('phase_name', number=p.number, start=p.start_month, end=p.end_month)}, "
                         f"{len(p.recommendations)} {tr('measures_count')}: {tr('cost')} {amount(cost.one_off)}; "
                         f"{tr('cost_yearly')} {amount(cost.yearly, 'year')}; {tr('staff_time')} {amount(cost.staff_days, 'days')}")
        self.bullets(items)
        self.para(tr("costs_lead"), small=True)

    def overview(self):
        c, tr = self.c, self.tr
        self.page_break()
        self.heading(tr("overview"), 1)
        self.chart("radar", tr("radar_caption"), c["radar_alt"])
        head = [tr("dimension"), tr("score"), tr("level_short"), tr("target"), tr("priority"), tr("coverage")]
        rows = []
        for p in c["profile"].dimensions:
            level = f"{p.result.level} · {self.t(c['q'].level(p.result.level).name)}" if p.result.level else "–"
            row = [self.t(p.dimension.title), self.num(p.result.score), level + (" *" if p.result.applied_caps else ""),
                   f"{tr('level_short')} {p.target_level}" + (f" ({tr('own_target')})" if p.own_target is not None else ""),
                   f"{p.priority}/5", i18n.percent(p.result.coverage, self.lang)]
            rows.append(row)
        self.table(head, rows, numeric={1, 4, 5})
        for p in c["profile"].dimensions:
            for cap in p.result.applied_caps:
                self.para(f"* {self.t(p.dimension.title)}: {tr('capped_short', max=cap.max_level)} – {self.t(cap.reason)}", small=True)
        peers = c["peers"]
        if peers:
            self.heading(tr("peers_heading"), 2)
            self.para(tr("peers_lead", count=peers.count, minimum=c["peers_minimum"]))
            head = [tr("dimension"), tr("score"), tr("quartile_low"), tr("median"), tr("quartile_high"), tr("peer_position")]
            rows = []
            for row in c["peer_rows"]:
                spread = row["spread"]
                numbers = [self.num(v, 1) for v in (spread.low, spread.median, spread.high)] if spread else ["–"] * 3
                rows.append([row["title"], self.num(row["score"], 1), *numbers, row["position"]])
            self.table(head, rows, numeric={1, 2, 3, 4})

    def comparison(self):
        c, tr = self.c, self.tr
        comparison = c["comparison"]
        if not comparison:
            return
        self.heading(tr("comparison"), 2)
        self.para(tr("comparison_lead", date=i18n.date(comparison.baseline.answers.date, self.lang)))
        year = (comparison.baseline.answers.date or "")[:4]
        rows = [[self.t(ch.dimension.title), self.num(ch.before), self.num(ch.after),
                 tr("since", delta=i18n.points(ch.delta, self.lang, True), year=year) if ch.delta is not None else "–"]
                for ch in comparison.changes]
        self.table([tr("dimension"), tr("before"), tr("now"), tr("change")], rows, numeric={1, 2, 3})
        self.heading(tr("completed"), 3)
        if comparison.completed:
            self.bullets([self.t(m.title) for m in comparison.completed])
        else:
            self.para(tr("completed_none"))

    def matrix(self):
        tr = self.tr
        self.heading(tr("matrix"), 1)
        self.para(tr("matrix_lead"))
        self.chart("matrix", tr("matrix"), self.c["matrix_alt"])

    def roadmap(self):
        c, tr = self.c, self.tr
        amount = c["amount"]
        self.page_break()
        self.heading(tr("roadmap"), 1)
        self.para(tr("roadmap_lead", capacity=c["capacity"], total=c["total"]))
        from assess import charts

        for part in c["roadmap_parts"]:
            self.picture(charts.roadmap(*part["inputs"], fmt="png"), part["alt"], part["caption"])
        self.heading(tr("costs_heading"), 2)
        rows = []
        for p in c["advice"].phases:
            cost = c["phase_costs"][p.number]
            rows.append([tr("phase_name", number=p.number, start=p.start_month, end=p.end_month), str(len(p.recommendations)),
                         amount(cost.one_off), amount(cost.yearly, "year"), amount(cost.staff_days, "days")])
        total = c["roadmap_costs"]
        rows.append([tr("costs_total"), str(total.one_off.total), amount(total.one_off), amount(total.yearly, "year"),
                     amount(total.staff_days, "days")])
        self.table([tr("phase_short"), tr("measures_count").capitalize(), tr("cost"), tr("cost_yearly"), tr("staff_time")], rows,
                   numeric={1}, row_headers=True)
        self.para(tr("costs_lead"), small=True)
        if not self.full:
            return
        for p in c["advice"].phases:
            self.heading(tr("phase", number=p.number, start=p.start_month, end=p.end_month), 2)
            if p.recommendations:
                self.measure_rows(p.recommendations, with_dimension=True)
            else:
                self.para(tr("phase_empty"))
        if c["advice"].later:
            self.heading(tr("later_measures"), 2)
            self.bullets([f"{self.t(r.measure.title)} – {self.t(r.note)}" if r.note else self.t(r.measure.title)
                          for r in c["advice"].later])

    def measure_rows(self, recs, with_dimension: bool = False):
        tr = self.tr
        rows = []
        for r in recs:
            title = self.t(r.measure.title)
            if r.note is not None and r.phase is not None:
                title += f" ({self.t(r.note)})"
            row = [title] + ([self.t(r.dimension.dimension.title)] if with_dimension else [])
            rows.append(row + [i18n.euro(r.measure.cost_min, r.measure.cost_max, self.lang)])
        head = [tr("measure")] + ([tr("dimension")] if with_dimension else []) + [tr("cost")]
        self.table(head, rows)

    def measure(self, r, level: int):
        c, tr = self.c, self.tr
        m = r.measure
        self.heading(self.t(m.title), level)
        self.para(self.t(m.description))
        self.para(self.t(m.reason), bold_lead=f"{tr('why')}: ")
        if self.full:
            for e in r.evidence:
                self.para(tr("answer_to", question=self.t(e.question.text),
                             answer=i18n.answer_text(e.question, e.answer.value, self.lang)), small=True)
        for cap in r.baseline:
            self.para(tr("baseline_note", reason=self.t(cap.reason)), small=True)
        self.para("", bold_lead=f"{tr('first_steps')}:")
        self.bullets([self.t(step) for step in m.steps], numbered=True)
        days = i18n.staff_days(m.staff_days_min, m.staff_days_max, self.lang)
        horizon = i18n.label(m.horizon, self.lang) + (f" – {self.t(r.note)}" if r.note is not None else "")
        facts = [[tr("effort"), i18n.label(m.effort, self.lang)],
                 [tr("cost"), i18n.euro(m.cost_min, m.cost_max, self.lang)]]
        if m.cost_yearly_max:
            facts.append([tr("cost_yearly"), i18n.euro_yearly(m.cost_yearly_min, m.cost_yearly_max, self.lang)])
        if days:
            facts.append([tr("staff_time"), days])
        facts += [[tr("horizon"), horizon], [tr("impact"), f"{m.impact}/3"]]
        requires = [self.t(x.measure.title) for x in c["advice"].recommendations if x.measure.id in m.requires]
        if requires:
            facts.append([tr("requires"), ", ".join(requires)])
        if self.full and self.t(m.example):
            facts.append([tr("example"), self.t(m.example)])
        if self.t(m.funding):
            facts.append([tr("funding"), self.t(m.funding)])
        if self.full and m.source:
            facts.append([tr("source"), m.source])
        self.table([tr("measure_facts"), ""], facts, row_headers=True, widths=[4.5, 12.5])

    def first_phase(self):
        tr = self.tr
        first = self.c["advice"].phases[0].recommendations
        if not first:
            return
        self.heading(tr("first_phase_details"), 1)
        for r in first:
            self.measure(r, 2)

    def later(self):
        c, tr = self.c, self.tr
        advice = c["advice"]
        rest = [p for p in advice.phases[1:] if p.recommendations]
        if not rest and not advice.later:
            return
        self.heading(tr("later_phases"), 1)
        self.para(tr("later_phases_lead"), small=True)
        for p in rest:
            self.heading(tr("phase", number=p.number, start=p.start_month, end=p.end_month), 2)
            self.measure_rows(p.recommendations)
        if advice.later:
            self.heading(tr("later_measures"), 2)
            self.para(tr("later_count", count=len(advice.later)))

    def method_note(self):
        c, tr = self.c, self.tr
        s, q, a = c["s"], c["q"], c["a"]
        self.heading(tr("method_note"), 1)
        self.para(tr("method_short", questions=s.applicable, dimensions=len(q.dimensions), date=i18n.date(a.date, self.lang),
                     coverage=i18n.percent(s.coverage, self.lang)))
        self.para(tr("method_short_targets", size_class=i18n.label(c["profile"].size_class, self.lang), capacity=c["capacity"]))
        self.table([f"{tr('level_short')} {lv.level} · {self.t(lv.name)}" for lv in q.levels],
                   [[tr("from_points", points=self.num(lv.min_score)) for lv in q.levels]])
        self.para(tr("full_edition_where", count=len(c["advice"].recommendations)))

    def divergences(self):
        c, tr = self.c, self.tr
        if not c["divergences"]:
            return
        self.heading(tr("divergences"), 1)
        self.para(tr("divergences_lead"))
        rows = [[self.t(item.question.text), self.t(item.dimension.title),
                 "; ".join(f"{v.respondent}{f' ({v.role})' if v.role else ''}: {i18n.answer_text(item.question, v.value, self.lang)}"
                           for v in item.views)] for item in c["divergences"]]
        self.table([tr("question"), tr("dimension"), tr("respondents")], rows)

    def dimensions(self):
        c, tr = self.c, self.tr
        s, advice = c["s"], c["advice"]
        self.page_break()
        self.heading(tr("results"), 1)
        results = s.question_results
        for d in s.dimensions:
            p = c["profile"].dimension(d.dimension.id)
            level = f" · {tr('level_short')} {d.level} {self.t(c['q'].level(d.level).name)}" if d.level else ""
            self.heading(f"{self.t(d.dimension.title)}: {self.num(d.score)} {tr('points')}{level}", 2)
            if self.t(d.dimension.description):
                self.para(self.t(d.dimension.description))
            self.para(f"{tr('target')}: {tr('level_short')} {p.target_level} ({self.num(p.target_score)} {tr('points')}) · "
                      f"{tr('priority')}: {p.priority}/5 · {tr('coverage')}: {i18n.percent(d.coverage, self.lang)}", small=True)
            for cap in d.applied_caps:
                self.para(tr("capped", max=cap.max_level, uncapped=d.uncapped_level, reason=self.t(cap.reason)))
            rows = []

            def walk(items, depth):
                for item in items:
                    if hasattr(item, "items"):
                        rows.append(["  " * depth + self.t(item.title), "", ""])
                        walk(item.items, depth + 1)
                        continue
                    r = results[item.id]
                    if r.answer and r.status != "skipped":
                        answer = i18n.answer_with_state(r.question, r.answer, self.lang)
                        if r.answer.comment:
                            answer += f" – {r.answer.comment}"
                    else:
                        answer = i18n.label(r.status, self.lang)
                    rows.append(["  " * depth + self.t(r.question.text), answer,
                                 self.num(100 * r.score) if r.score is not None else "–"])

            walk(d.dimension.items, 0)
            self.table([tr("question"), tr("answer"), tr("value")], rows, numeric={2}, widths=[8.5, 7, 1.5])
            if d.unknown:
                self.heading(tr("knowledge_gaps"), 3)
                self.bullets([self.t(r.question.text) + (f" – {tr('who_knows')}: {self.t(d.dimension.owner)}"
                                                          if self.t(d.dimension.owner) else "") for r in d.unknown])
            recs = advice.for_dimension(d.dimension.id)
            self.heading(tr("measures_here"), 3)
            if not recs:
                self.para(tr("no_measures_here"))
            for r in recs:
                self.measure(r, 4)

    def methodology(self):
        c, tr = self.c, self.tr
        q = c["q"]
        self.page_break()
        self.heading(tr("methodology"), 1)
        self.para(f"{self.t(q.title)} ({q.ref})" + (f" – {q.source}" if q.source else ""))
        for key in ("method_scores", "method_caps", "method_targets", "method_rank"):
            self.para(tr(key))
        self.heading(tr("levels"), 2)
        self.table([tr("level_short"), tr("from_score"), tr("description")],
                   [[f"{lv.level} · {self.t(lv.name)}", self.num(lv.min_score), self.t(lv.description)] for lv in q.levels],
                   numeric={1})
        self.heading(tr("targets_table"), 2)
        sizes = c["size_classes"]
        self.table([tr("dimension"), tr("weight")] + [i18n.label(sc, self.lang) for sc in sizes],
                   [[self.t(d.title), self.num(d.weight, 1)] + [str(d.target(sc)) for sc in sizes] for d in q.dimensions],
                   numeric=set(range(1, len(sizes) + 2)))
        self.para(tr("full_edition_here"))


def _logo_bytes(data_uri: str) -> bytes | None:
    """The logo as PNG or JPEG bytes for Word (an SVG logo is left out: Word needs a raster image)."""
    if not data_uri or not data_uri.startswith(("data:image/png;", "data:image/jpeg;")):
        return None
    return base64.b64decode(data_uri.split(",", 1)[1])
