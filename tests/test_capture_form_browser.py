"""The offline form in a real headless browser (Debian's chromium via playwright), from file://.

Regenerate the documentation screenshot with: ASSESS_SCREENSHOTS=1 python -m pytest -k screenshot
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.answers import Answer, AnswerSet, Municipality
from assess.capture.form import render_form
from assess.cli import cli
from assess.loading import load_questionnaire
from assess.resources import questionnaire_paths
from assess.scoring import skipped_questions

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
TRICKY = DATA / "capture" / "questionnaires" / "tricky" / "questionnaire.yaml"


def installed():
    found = []
    for path in questionnaire_paths(()):
        try:
            load_questionnaire(path)
        except Exception:  # an unfinished questionnaire is tested by its own tests
            continue
        found.append(path)
    return found


@pytest.fixture(scope="module")
def browser(chromium):
    """The session's one Chromium (tests/conftest.py): two sync playwright instances cannot share a worker."""
    return chromium


class Tab:
    """A page in a fresh browser context that records script errors and downloads."""

    def __init__(self, browser):
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)

    def open(self, path: Path):
        self.page.goto(path.as_uri())
        return self.page

    def download(self, target: Path, button: str = "#download") -> Path:
        with self.page.expect_download() as info:
            self.page.click(button)
        info.value.save_as(target)
        self.suggested = info.value.suggested_filename
        return target


@pytest.fixture
def tab(browser):
    t = Tab(browser)
    yield t
    t.context.close()
    assert not t.errors, t.errors


def form_file(tmp_path: Path, questionnaire_path: Path, lang: str = "de", form_id: str = "test") -> Path:
    out = tmp_path / f"fragebogen-{form_id}.html"
    out.write_text(render_form(load_questionnaire(questionnaire_path), lang, form_id=form_id), encoding="utf-8")
    return out


def report(tmp_path: Path, answers: Path, search: Path):
    return CliRunner().invoke(cli, ["--questionnaires", str(search), "report", str(answers),
                                    "-o", str(tmp_path / "bericht.md")])


# --- a town hall fills in the form --------------------------------------------------------------


def test_fill_in_download_and_report(tab, tmp_path):
    page = tab.open(form_file(tmp_path, MINI))
    assert page.inner_text("#progress-text") == "0 von 7 Fragen beantwortet"
    assert page.is_hidden("#q-str_goals")
    page.fill("#f-name", "Testdorf")
    page.fill("#f-population", "3.000")
    page.select_option("#f-state", "BY")
    page.fill("#f-respondent", "Erika Muster")
    page.fill("#f-role", "Hauptamt")
    page.select_option("#p-strategy", "5")
    page.check("#q-str_strategy-draft")
    assert page.is_visible("#q-str_goals")  # the condition applies live
    assert page.inner_text("#progress-text") == "1 von 8 Fragen beantwortet"
    page.check("#q-str_goals-services")
    page.check("#q-str_goals-skills")
    page.check("#q-str_budget-true")
    page.click("#q-sec_backup details.help summary") if page.query_selector("#q-sec_backup details.help") else None
    page.check("#q-sec_backup-online")
    page.check("#q-sec_mfa-unknown")
    page.fill("#q-sec_staff-number", "2,5")
    page.click("#q-str_goals details.comment summary")
    page.fill('#q-str_goals textarea[data-comment]', "Beschluss im Rat geplant")
    assert page.inner_text("#progress-text") == "6 von 8 Fragen beantwortet"
    assert page.get_attribute("#progress-bar", "aria-valuenow") == "6"
    path = tab.download(tmp_path / "download.json")
    assert tab.suggested == "antworten-testdorf.json"
    assert "Die Antwortdatei „antworten-testdorf.json“ wurde erstellt" in page.inner_text("#messages")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["questionnaire"] == "mini@1.0"
    assert data["date"] == page.evaluate("new Date().toLocaleDateString('sv')")  # today, ISO, on this computer
    assert data["municipality"] == {"name": "Testdorf", "state": "BY", "population": 3000}
    assert data["respondents"] == [{"name": "Erika Muster", "role": "Hauptamt"}]
    assert data["priorities"] == {"strategy": 5}
    assert data["answers"] == {"str_strategy": "draft", "str_budget": True,
                               "str_goals": {"value": ["services", "skills"], "comment": "Beschluss im Rat geplant"},
                               "sec_backup": "online", "sec_mfa": "unknown", "sec_staff": 2.5}
    result = report(tmp_path, path, DATA / "questionnaires")
    assert result.exit_code == 0, result.output
    assert "Testdorf" in (tmp_path / "bericht.md").read_text(encoding="utf-8")


ANSWER_EVERYTHING = """() => {
  for (const box of document.querySelectorAll('fieldset.question')) {
    if (box.hidden) continue;
    const type = box.dataset.type;
    if (type === 'single') { const r = box.querySelectorAll('input[type=radio]:not([data-special])'); r[r.length - 1].click(); }
    else if (type === 'multi') { [...box.querySelectorAll('input[type=checkbox]:not([data-special]):not([data-exclusive])')].slice(0, 2).forEach(c => c.click()); }
    else if (type === 'yesno') { box.querySelector('input[value=true]').click(); }
    else if (type === 'number') { const i = box.querySelector('input[type=text]'); i.value = '3'; i.dispatchEvent(new Event('input', {bubbles: true})); }
    else { const t = box.querySelector('textarea[name]'); t.value = 'Freitext'; t.dispatchEvent(new Event('input', {bubbles: true})); }
  }
}"""


def expected_answers(questionnaire) -> dict:
    """What ANSWER_EVERYTHING gives, computed with assess's own conditions (in asking order)."""
    answers = AnswerSet(questionnaire.ref, Municipality("X", 1))
    for q in questionnaire.questions:
        if q.id in skipped_questions(questionnaire, answers):
            continue
        if q.type == "single":
            value = q.options[-1].id
        elif q.type == "multi":
            value = tuple(o.id for o in q.options if not o.exclusive)[:2]
        else:
            value = {"yesno": True, "number": 3}.get(q.type, "Freitext")
        answers = answers.with_answer(Answer(q.id, value))
    skipped = skipped_questions(questionnaire, answers)
    return {a.question: list(a.value) if isinstance(a.value, tuple) else a.value
            for a in answers.answers if a.question not in skipped}


@pytest.mark.parametrize("path", [pytest.param(MINI, id="mini"), pytest.param(TRICKY, id="tricky")]
                         + [pytest.param(p, id=p.parent.name) for p in installed()])
def test_every_question_of_a_questionnaire_round_trips(tab, tmp_path, path):
    """Answer every visible question; the page's conditions must agree with assess's; the report runs."""
    questionnaire = load_questionnaire(path)
    page = tab.open(form_file(tmp_path, path))
    page.fill("#f-name", "Bad Prüfingen")
    page.fill("#f-population", "12000")
    page.evaluate(ANSWER_EVERYTHING)
    downloaded = tab.download(tmp_path / "a.json")
    assert tab.suggested == "antworten-bad-pruefingen.json"
    data = json.loads(downloaded.read_text(encoding="utf-8"))
    assert data["answers"] == expected_answers(questionnaire)
    total = len(data["answers"])
    assert page.inner_text("#progress-text") == f"{total} von {total} Fragen beantwortet"
    result = report(tmp_path, downloaded, path.parent.parent)
    assert result.exit_code == 0, result.output


def test_nested_conditions_apply_live(tab, tmp_path):
    page = tab.open(form_file(tmp_path, TRICKY))
    # n_any: Two ticked, or f_choice not "high". While both are unanswered the condition is open, and a
    # question is asked only when its condition certainly holds (as in assess.scoring)
    assert page.is_hidden("#q-n_any") and page.is_hidden("#q-n_all") and page.is_hidden("#q-n_chain")
    page.check("#q-f_choice-high")
    assert page.is_hidden("#q-n_any")
    page.check("#q-f_ticks-b")
    assert page.is_visible("#q-n_any")
    page.check("#q-n_any-true")
    assert page.is_visible("#q-n_chain")  # a chain of conditions
    page.uncheck("#q-f_ticks-b")
    assert page.is_hidden("#q-n_any") and page.is_hidden("#q-n_chain")
    # n_all: gate yes and at least 2
    page.check("#q-n_gate-true")
    page.fill("#q-f_count-number", "1")
    assert page.is_hidden("#q-n_all")
    page.fill("#q-f_count-number", "2")
    assert page.is_visible("#q-n_all")
    page.check("#q-f_count-not_applicable")  # a special answer clears the number ...
    assert page.input_value("#q-f_count-number") == "" and page.is_hidden("#q-n_all")
    page.fill("#q-f_count-number", "4")  # ... and typing a number clears the special answer
    assert not page.is_checked("#q-f_count-not_applicable") and page.is_visible("#q-n_all")
    # exclusive options
    page.check("#q-f_ticks-a")
    page.check("#q-f_ticks-none")
    assert not page.is_checked("#q-f_ticks-a")
    page.check("#q-f_ticks-unknown")
    assert not page.is_checked("#q-f_ticks-none")
    page.check("#q-f_ticks-b")
    assert not page.is_checked("#q-f_ticks-unknown")
    # hostile texts are shown as text
    assert "</script>" in page.text_content("#q-f_choice details.help")
    assert page.title().startswith("Prüf-Check </script>")


def test_the_page_validates_before_downloading(tab, tmp_path):
    page = tab.open(form_file(tmp_path, MINI))
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#download")
    messages = page.inner_text("#messages")
    assert "Bitte prüfen Sie diese Angaben" in messages
    assert "Bitte geben Sie den Namen der Gemeinde an." in messages
    assert "Bitte geben Sie die Einwohnerzahl als ganze Zahl an, z. B. 12000." in messages
    assert page.evaluate("document.activeElement.id") == "f-name"
    assert page.get_attribute("#f-name", "aria-invalid") == "true"
    page.fill("#f-name", "Testdorf")
    page.fill("#f-population", "3000,5")
    page.fill("#f-ags", "123")
    page.fill("#q-sec_staff-number", "zwei")
    page.click("#download")
    messages = page.inner_text("#messages")
    assert "Bitte geben Sie den Namen" not in messages
    assert "Einwohnerzahl als ganze Zahl" in messages
    assert "Der Gemeindeschlüssel hat genau 8 Ziffern" in messages
    assert "Wie viele Personen kümmern sich um IT?: Bitte geben Sie eine Zahl ein" in messages
    assert page.is_visible("#e-sec_staff")
    assert downloads == []
    page.fill("#f-population", "3000")
    page.fill("#f-ags", "09123456")
    page.fill("#q-sec_staff-number", "2")
    data = json.loads(tab.download(tmp_path / "ok.json").read_text(encoding="utf-8"))
    assert data["municipality"]["ags"] == "09123456" and data["answers"] == {"sec_staff": 2}


def test_the_draft_survives_closing_the_page_and_stays_with_its_form(tab, tmp_path):
    path = form_file(tmp_path, MINI, form_id="one")
    page = tab.open(path)
    page.fill("#f-name", "Testdorf")
    page.check("#q-str_strategy-adopted")
    page.check("#q-str_goals-processes")
    assert "Entwurf in diesem Browser gespeichert" in page.inner_text("#draft-status")
    page.close()
    page = tab.context.new_page()
    page.goto(path.as_uri())
    assert page.input_value("#f-name") == "Testdorf"
    assert page.is_checked("#q-str_strategy-adopted") and page.is_checked("#q-str_goals-processes")
    assert "Ihr Entwurf vom" in page.inner_text("#draft-status")
    other = tab.context.new_page()
    other.goto(form_file(tmp_path, MINI, form_id="two").as_uri())  # another form: its own, empty draft
    assert other.input_value("#f-name") == ""
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#reset")
    assert page.input_value("#f-name") == "" and not page.is_checked("#q-str_strategy-adopted")
    page.reload()
    assert page.input_value("#f-name") == ""


def test_an_earlier_answer_file_can_be_loaded_to_continue(tab, tmp_path):
    page = tab.open(form_file(tmp_path, MINI))
    earlier = tmp_path / "antworten-testdorf.json"
    earlier.write_text(json.dumps({
        "questionnaire": "mini@1.0", "municipality": {"name": "Testdorf", "population": 3000, "state": "BY"},
        "respondents": [{"name": "Erika", "role": "IT"}], "priorities": {"security": 2},
        "answers": {"str_strategy": "draft", "str_goals": {"value": ["skills"], "comment": "Notiz"},
                    "sec_staff": 1.5, "old_question": True, "sec_backup": "maybe"},
    }), encoding="utf-8")
    page.set_input_files("#load-file", str(earlier))
    page.wait_for_function("() => document.getElementById('messages').textContent.length > 0")
    messages = page.inner_text("#messages")
    assert "Die Antwortdatei „antworten-testdorf.json“ wurde geladen: 3 Antworten." in messages
    assert "Nicht übernommen (gibt es in diesem Fragebogen nicht): old_question." in messages
    assert "Nicht übernommen (der Wert ist hier nicht gültig): sec_backup." in messages
    assert page.input_value("#f-name") == "Testdorf" and page.input_value("#f-state") == "BY"
    assert page.input_value("#f-respondent") == "Erika" and page.input_value("#p-security") == "2"
    assert page.is_checked("#q-str_strategy-draft") and page.is_checked("#q-str_goals-skills")
    assert page.input_value("#q-sec_staff-number") == "1,5"
    assert page.input_value('#q-str_goals textarea[data-comment]') == "Notiz"
    data = json.loads(tab.download(tmp_path / "again.json").read_text(encoding="utf-8"))
    assert data["answers"] == {"str_strategy": "draft", "str_goals": {"value": ["skills"], "comment": "Notiz"},
                               "sec_staff": 1.5}

    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"questionnaire": "tricky@2.1", "answers": {}}), encoding="utf-8")
    page.set_input_files("#load-file", str(foreign))
    page.wait_for_function("() => document.getElementById('messages').textContent.includes('anderen Fragebogen')")
    assert "Diese Datei gehört zu einem anderen Fragebogen (tricky@2.1); dieses Formular ist für mini@1.0." \
        in page.inner_text("#messages")
    assert page.input_value("#f-name") == "Testdorf"  # nothing was lost

    yaml_file = tmp_path / "antworten.yaml"
    yaml_file.write_text((DATA / "mini-answers.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    page.set_input_files("#load-file", str(yaml_file))
    page.wait_for_function("() => document.getElementById('messages').textContent.includes('JSON')")
    assert "keine Antwortdatei im JSON-Format" in page.inner_text("#messages")


def test_english_form_in_the_browser(tab, tmp_path):
    page = tab.open(form_file(tmp_path, MINI, lang="en"))
    assert page.inner_text("#progress-text") == "0 of 7 questions answered"
    page.fill("#f-name", "Sample Town")
    page.fill("#f-population", "12,000")
    page.check("#q-str_budget-false")
    data = json.loads(tab.download(tmp_path / "en.json").read_text(encoding="utf-8"))
    assert tab.suggested == "answers-sample-town.json"
    assert data["municipality"]["population"] == 12000 and data["answers"] == {"str_budget": False}


def test_the_load_button_is_a_real_button_reached_with_the_keyboard(tab, tmp_path):
    page = tab.open(form_file(tmp_path, MINI))
    earlier = tmp_path / "antworten-eins.json"
    earlier.write_text(json.dumps({"questionnaire": "mini@1.0", "municipality": {"name": "Eins", "population": 10},
                                   "answers": {"str_budget": True}}), encoding="utf-8")
    focused = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.tagName + '#' + document.activeElement.id"))
        if focused[-1] == "BUTTON#load-button":
            break
    assert focused[-1] == "BUTTON#load-button", focused
    assert page.inner_text("#load-button") == "Frühere Antwortdatei laden"
    # Enter on the focused button opens the file picker (the hidden input's click). Watching that click
    # is deterministic; waiting for Chromium's own file-chooser event was not under a loaded machine.
    page.evaluate("window.pickerOpened = 0; document.getElementById('load-file')"
                  ".addEventListener('click', (e) => { window.pickerOpened += 1; e.preventDefault(); })")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.pickerOpened === 1")
    page.set_input_files("#load-file", str(earlier))
    page.wait_for_function("() => document.getElementById('messages').textContent.length > 0")
    # One answer is one "Antwort", not "1 Antworten".
    assert "Die Antwortdatei „antworten-eins.json“ wurde geladen: 1 Antwort." in page.inner_text("#messages")


def test_the_error_box_goes_once_the_errors_are_fixed(tab, tmp_path):
    page = tab.open(form_file(tmp_path, MINI))
    page.click("#download")
    assert page.is_visible("#messages .bad")
    assert len(page.query_selector_all("#messages li")) == 2  # name and inhabitants
    page.fill("#f-name", "Testdorf")
    assert page.is_visible("#messages .bad")
    assert [li.inner_text() for li in page.query_selector_all("#messages li")] == [
        "Bitte geben Sie die Einwohnerzahl als ganze Zahl an, z. B. 12000."]
    page.fill("#f-population", "3000")
    assert page.inner_text("#messages").strip() == ""
    assert not page.is_visible("#messages .bad")


OPEN_QUESTIONS = """() => [...document.querySelectorAll('fieldset.question:not([hidden])')]
    .filter(f => !f.querySelector('input:checked')
              && ![...f.querySelectorAll('input[type=text], textarea:not([data-comment])')].some(e => e.value.trim()))
    .map(f => f.id)"""


def answer(page, fieldset_id: str):
    choice = page.query_selector(f"#{fieldset_id} .choices input[type=radio], #{fieldset_id} .choices input[type=checkbox]")
    if choice is not None:
        choice.check()
    else:
        page.fill(f"#{fieldset_id} input[type=text], #{fieldset_id} textarea:not([data-comment])", "2")


@pytest.mark.parametrize("lang,one_open,all_done", [
    ("de", "1 Frage ist noch offen.", "Alle Fragen sind beantwortet."),
    ("en", "1 question is still open.", "Every question is answered."),
])
def test_counts_are_in_the_right_grammatical_number(tab, tmp_path, lang, one_open, all_done):
    page = tab.open(form_file(tmp_path, MINI, lang=lang))
    page.fill("#f-name", "Testdorf")
    page.fill("#f-population", "3000")
    while len(page.evaluate(OPEN_QUESTIONS)) > 1:
        answer(page, page.evaluate(OPEN_QUESTIONS)[0])
    tab.download(tmp_path / "one-open.json")
    assert one_open in page.inner_text("#messages")
    answer(page, page.evaluate(OPEN_QUESTIONS)[0])
    assert page.evaluate(OPEN_QUESTIONS) == []
    tab.download(tmp_path / "none-open.json")
    assert all_done in page.inner_text("#messages")


PHONES = [320, 390]


@pytest.mark.parametrize("width", PHONES)
@pytest.mark.parametrize("path", installed(), ids=lambda p: p.parent.name)
def test_the_form_fits_a_phone_without_sideways_scrolling(browser, tmp_path, width, path):
    # Not is_mobile: a mobile viewport would zoom out to fit wide content, hiding the overflow.
    context = browser.new_context(viewport={"width": width, "height": 740})
    try:
        page = context.new_page()
        page.goto(form_file(tmp_path, path).as_uri())
        page.click("#download")  # with the error list open too
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
            page.evaluate("document.documentElement.scrollWidth")
        # The header scrolls away with the page: it covers no part of the screen once scrolled.
        page.evaluate("window.scrollTo(0, 2000)")
        assert page.evaluate("document.querySelector('header.top').getBoundingClientRect().bottom") <= 0
    finally:
        context.close()


@pytest.mark.skipif(not os.environ.get("ASSESS_SCREENSHOTS"), reason="set ASSESS_SCREENSHOTS=1 to regenerate docs/img")
def test_screenshot_for_the_docs(tab, tmp_path):
    shipped = [p for p in installed() if p.parent.name == "quickcheck"]
    path = shipped[0] if shipped else MINI
    page = tab.open(form_file(tmp_path, path))
    page.set_viewport_size({"width": 1000, "height": 900})
    page.fill("#f-name", "Musterstadt")
    page.fill("#f-population", "12.400")
    page.select_option("#f-state", "BY")
    page.fill("#f-ags", "1234")
    page.fill("#f-respondent", "Erika Muster")
    page.fill("#f-role", "Hauptamt")
    page.click("#download")  # shows the check of the AGS
    img = ROOT / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(img / "form.png"))
    page.fill("#f-ags", "09189155")
    first = load_questionnaire(path).questions[0]
    page.check(f"#q-{first.id} input[type=radio] >> nth=2")
    if page.query_selector(f"#q-{first.id} details.help"):
        page.click(f"#q-{first.id} details.help summary")
    page.evaluate(f"document.getElementById('q-{first.id}').scrollIntoView()")
    page.evaluate("window.scrollBy(0, -140)")
    page.screenshot(path=str(img / "form-question.png"))


def test_answer_states_in_the_form_reach_the_answer_file(tab, tmp_path):
    """Stand per answer: offered only where the questionnaire allows it and today's answer can improve;
    planned / in progress with an optional month, outdated with the year; the download is read by
    assess's one answer parser, and loading it again restores the states."""
    page = tab.open(form_file(tmp_path, MINI))
    page.fill("#f-name", "Testdorf")
    page.fill("#f-population", "3000")
    assert page.is_hidden("#s-str_strategy-box")  # nothing answered yet
    page.check("#q-str_strategy-adopted")
    assert page.is_visible("#s-str_strategy-box")
    options = page.eval_on_selector_all("#s-str_strategy option:not([hidden])", "os => os.map(o => o.value)")
    assert options == ["", "outdated"]  # the best answer: nothing left to plan, but a document can be outdated
    page.select_option("#s-str_strategy", "outdated")
    assert page.is_visible("#s-str_strategy-year") and page.is_hidden("#s-str_strategy-until")
    page.check("#q-str_budget-false")
    page.select_option("#s-str_budget", "planned")
    page.check("#q-sec_backup-online")
    page.select_option("#s-sec_backup", "in_progress")
    page.fill("#s-sec_backup-until", "2027-06")
    page.check("#q-sec_mfa-true")
    assert page.is_hidden("#s-sec_mfa-box")  # yes is the best answer and no document
    assert page.query_selector("#s-str_goals-box") is None  # multiple choice offers no state

    page.click("#download")  # the year is still missing
    assert page.is_visible("#e-str_strategy")
    assert "Bitte das Jahr des veralteten Dokuments angeben" in page.inner_text("#messages")
    page.fill("#s-str_strategy-year", "1900")  # before the answer reader's earliest year: refused here too
    page.click("#download")
    assert "Bitte das Jahr des veralteten Dokuments angeben" in page.inner_text("#messages")
    page.fill("#s-str_strategy-year", "2008")
    page.fill("#s-sec_backup-until", "bald")
    page.click("#download")  # a due date the answer reader would refuse
    assert page.is_visible("#e-sec_backup") and "Bitte das Datum als JJJJ-MM" in page.inner_text("#messages")
    page.fill("#s-sec_backup-until", "06/2027")  # as people write it: saved as 2027-06
    path = tab.download(tmp_path / "stand.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["answers"]["str_strategy"] == {"value": "adopted", "outdated": 2008}
    assert data["answers"]["str_budget"] == {"value": False, "progress": "planned"}
    assert data["answers"]["sec_backup"] == {"value": "online", "progress": "in_progress", "until": "2027-06"}
    assert data["answers"]["sec_mfa"] is True

    from assess.answers import load_answers

    mini = load_questionnaire(MINI)
    answers, _ = load_answers(path, lambda qid, version: mini)
    assert answers.answer("sec_backup").toward == "offline" and answers.answer("str_budget").toward is True
    assert answers.answer("str_strategy").outdated == 2008

    page.check("#q-sec_backup-unknown")  # "weiß nicht" can have no state: it goes
    assert page.is_hidden("#s-sec_backup-box")
    page.set_input_files("#load-file", str(path))
    page.wait_for_function("() => document.getElementById('messages').textContent.includes('geladen')")
    assert page.input_value("#s-sec_backup") == "in_progress" and page.input_value("#s-sec_backup-until") == "2027-06"
    assert page.input_value("#s-str_strategy") == "outdated" and page.input_value("#s-str_strategy-year") == "2008"
    again = json.loads(tab.download(tmp_path / "again.json").read_text(encoding="utf-8"))
    assert again["answers"] == data["answers"]
