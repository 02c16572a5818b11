"""The advice engine on constructed cases: selection, ranking, roadmap and comparison."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.advice import PHASE_CAPACITY, Recommendation, advise, compare, profile, roadmap
from assess.answers import Answer, AnswerSet, Municipality
from assess.loading import load_catalogue, load_questionnaire
from assess.model import AllOf, Catalogue, Measure, Text
from assess.scoring import score

DATA = Path(__file__).parent / "data" / "questionnaires" / "mini"


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(DATA / "questionnaire.yaml")


@pytest.fixture(scope="module")
def catalogue(mini):
    return load_catalogue(DATA / "measures.yaml", (mini,))


def answers(population=3000, priorities=(), targets=(), **values) -> AnswerSet:
    return AnswerSet(
        questionnaire="mini@1.0",
        municipality=Municipality("Testdorf", population),
        answers=tuple(Answer(q, v) for q, v in values.items()),
        priorities=tuple(priorities),
        targets=tuple(targets),
    )


WEAK = dict(str_strategy="none", str_budget=False, sec_backup="none", sec_mfa=False, sec_patch=False, sec_staff=0)
STRONG = dict(str_strategy="adopted", str_budget=True, str_goals=["services", "processes", "skills"],
              sec_backup="offline", sec_mfa=True, sec_patch=True, sec_staff=4)


def ids(items):
    return [getattr(item, "measure", item).id for item in items]


def test_size_class_from_population(mini):
    for population, expected in [(4999, "landgemeinde"), (5000, "kleinstadt"), (19999, "kleinstadt"),
                                 (20000, "mittelstadt"), (99999, "mittelstadt"), (100000, "grossstadt")]:
        assert profile(score(mini, answers(population, **WEAK))).size_class == expected


def test_gap_uses_size_class_target_or_own_target(mini):
    weak = score(mini, answers(3000, **WEAK))
    security = profile(weak).dimension("security")
    assert security.size_class_target == 3 and security.own_target is None
    assert security.target_score == 40 and security.gap == 40 - weak.dimension("security").score
    own = profile(score(mini, answers(3000, targets=[("security", 5)], **WEAK))).dimension("security")
    assert own.own_target == 5 and own.target_level == 5 and own.target_score == 80


def test_priority_weights_the_gap(mini):
    low = profile(score(mini, answers(3000, priorities=[("security", 1)], **WEAK))).dimension("security")
    high = profile(score(mini, answers(3000, priorities=[("security", 5)], **WEAK))).dimension("security")
    assert high.weighted_gap == pytest.approx(low.weighted_gap * 5)


def test_strengths_and_needs_action(mini):
    mixed = dict(STRONG, sec_backup="none", sec_mfa=False, sec_staff=0)
    prof = profile(score(mini, answers(3000, **mixed)))
    assert ids_of(prof.strengths) == ["strategy"]
    assert ids_of(prof.needs_action) == ["security"]


def ids_of(profiles):
    return [p.dimension.id for p in profiles]


def test_fulfilled_measures_are_not_recommended(mini, catalogue):
    advice = advise(score(mini, answers(3000, **STRONG)), catalogue)
    assert advice.recommendations == ()
    assert {"m_strategy_adopt", "m_sec_backup", "m_sec_mfa"} <= set(ids(advice.fulfilled))


def test_weak_answers_get_measures_with_reasons(mini, catalogue):
    advice = advise(score(mini, answers(3000, **WEAK)), catalogue)
    assert set(ids(advice.recommendations)) == {"m_strategy_adopt", "m_strategy_budget", "m_sec_backup", "m_sec_mfa"}
    backup = next(r for r in advice.recommendations if r.measure.id == "m_sec_backup")
    assert [e.question.id for e in backup.evidence] == ["sec_backup"]
    assert backup.evidence[0].answer.value == "none"


def test_landgemeinde_never_gets_a_grossstadt_measure(mini, catalogue):
    village = advise(score(mini, answers(3000, **WEAK)), catalogue)
    city = advise(score(mini, answers(250_000, **WEAK)), catalogue)
    assert "m_sec_soc" not in ids(village.recommendations) + ids(village.fulfilled)
    assert "m_sec_soc" in ids(city.recommendations)


def test_priorities_move_the_ranking(mini, catalogue):
    def position(priorities, measure_id):
        recs = advise(score(mini, answers(3000, priorities=priorities, **WEAK)), catalogue).recommendations
        return ids(recs).index(measure_id)

    base = position([("strategy", 3), ("security", 3)], "m_strategy_adopt")
    raised = position([("strategy", 5), ("security", 1)], "m_strategy_adopt")
    lowered = position([("strategy", 1), ("security", 5)], "m_strategy_adopt")
    assert raised <= base <= lowered
    assert raised < lowered


def test_prerequisite_is_scheduled_first(mini, catalogue):
    advice = advise(score(mini, answers(250_000, **WEAK)), catalogue)
    order = [r.measure.id for p in advice.phases for r in p.recommendations]
    assert order.index("m_strategy_adopt") < order.index("m_strategy_budget")
    assert order.index("m_sec_backup") < order.index("m_sec_soc")


def _measure(mid, horizon="quick", requires=(), effort="S", impact=2, dimension="security", cost=0):
    return Measure(mid, dimension, Text(mid, mid), Text("", ""), (), AllOf(()), Text("", ""), effort, impact,
                   horizon, cost_max=cost, requires=tuple(requires))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_roadmap_keeps_order_capacity_and_reasons(data):
    from types import SimpleNamespace

    count = data.draw(st.integers(1, 16))
    recs = []
    for index in range(count):
        earlier = [f"m{j}" for j in range(index)]
        requires = data.draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else []
        measure = _measure(f"m{index}", data.draw(st.sampled_from(["quick", "medium", "long"])), requires,
                           effort=data.draw(st.sampled_from(["S", "M", "L"])),
                           dimension=data.draw(st.sampled_from(["security", "services", "data"])),
                           cost=data.draw(st.sampled_from([0, 5000])))
        measure = replace(measure, foundation=data.draw(st.booleans()))
        recs.append(Recommendation(measure, data.draw(st.floats(0.1, 10)), SimpleNamespace(priority=data.draw(st.integers(1, 5))),
                                   (), None, (), data.draw(st.booleans())))
    ranked = sorted(recs, key=lambda r: -r.value)
    capacity, total = data.draw(st.integers(1, 5)), data.draw(st.integers(3, 20))
    phases, later = roadmap(ranked, capacity, total)
    position = {}
    for phase in phases:
        ordinary = [r for r in phase.recommendations if not r.duty and not r.extra]
        assert len(ordinary) <= capacity
        assert len([r for r in phase.recommendations if r.extra and not r.measure.foundation]) <= max(2, capacity // 2)
        assert all(r.measure.no_cost_step for r in phase.recommendations if r.extra)
        for slot, rec in enumerate(phase.recommendations):
            assert rec.phase == phase.number
            position[rec.measure.id] = (phase.number, slot)
            if rec.measure.horizon == "quick" and phase.number > 1:
                assert rec.note is not None, "a quick measure that starts later says why"
    later_ids = {r.measure.id for r in later}
    assert set(position) | later_ids == {r.measure.id for r in recs} and not set(position) & later_ids
    assert all(r.note is not None and r.phase is None for r in later), "everything that waits says why"
    assert sum(1 for r in recs if r.measure.id in position and not r.duty) <= total
    by_id = {r.measure.id: r for r in recs}
    for rec in recs:
        mid = rec.measure.id
        if mid in later_ids:
            continue
        for req in rec.measure.requires:
            assert req not in later_ids, f"{mid} is planned although its prerequisite {req} is not"
            assert position[req] < position[mid]
            if by_id[req].measure.effort != "S":
                assert position[req][0] < position[mid][0], "a dependant starts after a larger prerequisite's phase"
        if rec.duty and not rec.measure.requires:
            assert position[mid][0] == 1, "an open legal duty without prerequisites goes to phase 1"


def test_phase_capacity_depends_on_size_class():
    assert PHASE_CAPACITY["landgemeinde"] < PHASE_CAPACITY["kleinstadt"] < PHASE_CAPACITY["mittelstadt"] < PHASE_CAPACITY["grossstadt"]


def test_comparison_counts_points_and_completed_measures(mini, catalogue):
    before = score(mini, answers(3000, **WEAK))
    after = score(mini, answers(3000, **dict(WEAK, sec_backup="offline", str_budget=True)))
    comparison = compare(after, before, catalogue)
    security = next(c for c in comparison.changes if c.dimension.id == "security")
    assert security.delta == pytest.approx(after.dimension("security").score - before.dimension("security").score)
    assert security.delta > 0
    assert set(m.id for m in comparison.completed) == {"m_sec_backup", "m_strategy_budget"}
    assert comparison.overall_delta == pytest.approx(after.score - before.score)


def test_a_measure_is_not_completed_while_the_measure_continuing_it_applies(mini, catalogue):
    from assess.model import QuestionCondition

    # "Test the restore" (constructed to apply to an untested offline backup) finishes the work of
    # "set up an offline backup": without `continues` the backup measure counts as completed, with it not.
    restore = replace(_measure("m_sec_restore"), when=QuestionCondition("sec_backup", "in", ("offline",)))
    before = score(mini, answers(3000, **WEAK))
    after = score(mini, answers(3000, **dict(WEAK, sec_backup="offline")))
    independent = Catalogue(catalogue.measures + (restore,))
    assert "m_sec_backup" in ids(compare(after, before, independent).completed)
    continuing = Catalogue(catalogue.measures + (replace(restore, continues="m_sec_backup"),))
    assert "m_sec_backup" not in ids(compare(after, before, continuing).completed)


def test_measure_condition_on_missing_question_is_not_met(mini):
    measure = replace(_measure("m_other"), when=load_catalogue_condition())
    advice = advise(score(mini, answers(3000, **WEAK)), Catalogue((measure,)))
    assert ids(advice.recommendations) == []


def load_catalogue_condition():
    from assess.model import QuestionCondition

    return QuestionCondition("not_in_this_questionnaire", "in", ("none",))


def test_closing_a_missing_baseline_doubles_the_rank_value(mini, catalogue):
    from assess.advice import rank_value

    advice = advise(score(mini, answers(3000, **WEAK)), catalogue)
    backup = next(r for r in advice.recommendations if r.measure.id == "m_sec_backup")
    assert [cap.reason.en for cap in backup.baseline] == ["No offline backup"]
    assert backup.value == pytest.approx(2 * rank_value(backup.measure, backup.dimension))
    mfa = next(r for r in advice.recommendations if r.measure.id == "m_sec_mfa")
    assert mfa.baseline == () and mfa.value == pytest.approx(rank_value(mfa.measure, mfa.dimension))


@pytest.mark.parametrize("values,operand,expected", [
    ({"sec_backup": "online"}, True, True),
    ({"sec_backup": "unknown"}, True, False),
    ({}, True, False),
    ({}, False, True),
    ({"sec_backup": "online"}, False, False),
])
def test_answered_condition(values, operand, expected):
    from assess.conditions import holds
    from assess.model import QuestionCondition

    assert holds(QuestionCondition("sec_backup", "answered", operand), answers(**values)) is expected


def test_a_capped_dimension_shows_a_gap_even_when_its_points_reach_the_target(mini):
    # Everything in security is strong except the backup, which only runs online: the cap holds the
    # level at 2 although the points would reach the target level 3 (40 points).
    strong_but_online = dict(STRONG, sec_backup="online")
    result = score(mini, answers(3000, **strong_but_online))
    security = result.dimension("security")
    assert security.score >= 40 and security.level == 2 and security.applied_caps
    prof = profile(result).dimension("security")
    assert prof.gap == 20  # counted at the floor of level 2
    assert prof.margin == -20
    assert "security" not in ids_of(profile(result).strengths)
    assert "security" in ids_of(profile(result).needs_action)


def test_dont_know_leaves_a_measure_open_not_fulfilled(mini, catalogue):
    unknown = dict(WEAK, sec_backup="unknown")
    advice = advise(score(mini, answers(3000, **unknown)), catalogue)
    assert "m_sec_backup" in ids(advice.undecided)
    assert "m_sec_backup" not in ids(advice.fulfilled) + ids(advice.recommendations)


def test_a_measure_decided_by_any_other_answer_is_not_open(mini, catalogue):
    # m_sec_mfa holds if MFA *or* patching is missing: patching "no" decides it despite an unknown MFA.
    advice = advise(score(mini, answers(3000, **dict(STRONG, sec_mfa="unknown", sec_patch=False))), catalogue)
    assert "m_sec_mfa" in ids(advice.recommendations)
    # ... and with patching in place the unknown MFA keeps it open.
    advice = advise(score(mini, answers(3000, **dict(STRONG, sec_mfa="unknown"))), catalogue)
    assert "m_sec_mfa" in ids(advice.undecided)


def test_an_all_unknown_assessment_completes_nothing_and_claims_nothing(mini, catalogue):
    before = score(mini, answers(3000, **WEAK))
    everything_unknown = {q.id: "unknown" for q in mini.questions if q.allow_unknown}
    after = score(mini, answers(3000, **everything_unknown))
    assert compare(after, before, catalogue).completed == ()
    advice = advise(after, catalogue)
    assert advice.recommendations == () and advice.fulfilled == ()
    assert set(ids(advice.undecided)) == {"m_strategy_adopt", "m_strategy_budget", "m_sec_backup", "m_sec_mfa"}
    assert [p.dimension.id for p in advice.profile.unscored] == ["strategy", "security"]
    assert advice.profile.needs_action == () and advice.profile.strengths == ()


def test_a_question_outside_the_questionnaire_is_not_open(mini):
    """One catalogue serves Quick- and Digital-Check: a question the questionnaire lacks decides nothing."""
    from assess.conditions import evaluate
    from assess.model import QuestionCondition

    condition = QuestionCondition("only_in_the_digitalcheck", "in", ("none",))
    asked = {q.id for q in mini.questions}
    assert evaluate(condition, answers(), asked=asked) is False
    assert evaluate(QuestionCondition("only_in_the_digitalcheck", "answered", False), answers(), asked=asked) is True
    assert evaluate(QuestionCondition("sec_backup", "in", ("none",)), answers(), asked=asked) is None


# --- the real catalogue: evidence, duties, capacity, answer states ----------------------------

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASES = sorted((ROOT / "tests" / "cases").glob("*/answers.yaml"))


_LOADED: dict = {}


def _bundle(qid: str, version: str):
    """The installed questionnaire and its catalogue, read once per test run."""
    from assess.resources import load_catalogue_for, resolve_questionnaire

    if (qid, version) not in _LOADED:
        questionnaire = resolve_questionnaire(qid, version)
        _LOADED[qid, version] = questionnaire, load_catalogue_for(questionnaire)
    return _LOADED[qid, version]


def _catalogue(questionnaire):
    return _bundle(questionnaire.id, questionnaire.version)[1]


def _assess(path, **changes):
    """Score and advise an answer file, optionally with changed answers (a list of Answer) or date."""
    from assess.answers import load_answers

    answers, questionnaire = load_answers(Path(path), lambda qid, version: _bundle(qid, version)[0])
    for answer in changes.pop("answers", ()):
        answers = answers.with_answer(answer)
    answers = replace(answers, **changes)
    scores = score(questionnaire, answers)
    return scores, advise(scores, _catalogue(questionnaire))


@pytest.mark.parametrize("path", EXAMPLES + CASES, ids=lambda p: p.parent.name if p.name == "answers.yaml" else p.stem)
def test_every_recommendation_rests_on_a_real_answer_of_the_town(path):
    scores, advice = _assess(path)
    for rec in advice.recommendations + advice.later:
        assert rec.evidence, f"{rec.measure.id} is recommended without evidence"
        assert all(e.answer is not None and e.answer.value not in ("unknown", "not_applicable") for e in rec.evidence)
        assert rec.reason.de and rec.reason.en
        from assess.i18n import answer_text

        for lang, text in (("de", rec.reason.de), ("en", rec.reason.en)):
            for e in rec.evidence:  # the town's own answer texts are quoted as they are
                text = text.replace(answer_text(e.question, e.answer.value, lang).rstrip(". "), "")
            assert "oder dieser Stand ist offen" not in text and "or this is not known" not in text
            assert "oder das ist nicht bekannt" not in text and "(or" not in text
    for item in advice.open_measures:
        assert item.measure.id not in {r.measure.id for r in advice.recommendations}
    ids_all = [r.measure.id for r in advice.recommendations]
    assert len(ids_all) == len(set(ids_all))
    for rec, other in advice.covered:
        assert other.id in ids_all + [r.measure.id for r in advice.later] and rec.measure.id not in ids_all
    assert not {"m_strategy_inclusion", "m_participation_digital_help"} <= set(ids_all)


def test_a_measure_hanging_on_dont_know_is_open_never_step_one():
    path = ROOT / "tests" / "cases" / "bad-schwalbach" / "answers.yaml"
    scores, advice = _assess(path)
    open_ids = {o.measure.id: [q.id for q in o.questions] for o in advice.open_measures}
    assert open_ids["m_cooperation_funding_officer"] == ["coop_funding_management"]
    assert "m_processes_einvoice_receipt" in open_ids
    assert "m_cooperation_funding_officer" not in ids(advice.recommendations + advice.later)


def test_waldbach_gets_at_most_15_recommendations_and_e_invoice_receipt_as_a_duty_in_phase_1():
    scores, advice = _assess(ROOT / "examples" / "landgemeinde-waldbach.yaml")
    assert len([r for r in advice.recommendations if not r.duty]) <= 15
    assert len(advice.duties) == 2  # e-invoice receipt and accessibility: a block of their own
    einvoice = next(r for r in advice.recommendations if r.measure.id == "m_processes_einvoice_receipt")
    assert einvoice.phase == 1 and einvoice.duty
    phase1 = ids(advice.phases[0].recommendations)
    assert {"m_strategy_digital_agenda", "m_strategy_responsibility"} <= set(phase1)
    assert all(r.note for r in advice.later)


@pytest.mark.parametrize("path", EXAMPLES + CASES, ids=lambda p: p.parent.name if p.name == "answers.yaml" else p.stem)
def test_every_measure_later_than_its_horizon_says_why(path):
    from assess.advice import NATURAL_PHASE

    _, advice = _assess(path)
    for rec in advice.recommendations:
        late = rec.phase > NATURAL_PHASE[rec.measure.horizon]
        assert (rec.note is not None) == late, (rec.measure.id, rec.phase, rec.measure.horizon, rec.note)
        if late:
            blocker = [advice_rec for advice_rec in advice.recommendations if advice_rec.measure.id in rec.measure.requires]
            assert rec.note.de.startswith(("wartet auf „", "beginnt später: ")), rec.note.de
            assert rec.note.en.startswith(("waits for “", "starts later: ")), rec.note.en
            if rec.note.de.startswith("wartet auf"):
                assert any(b.measure.title.de in rec.note.de and b.phase is not None for b in blocker)


def test_the_later_notes_show_in_every_format(library):
    """Meßstetten has medium-horizon measures pushed to phase 3 by capacity and a quick one waiting for its
    prerequisite: each format names the reason next to the measure."""
    import json

    from docx import Document
    from io import BytesIO

    from assess.advice import NATURAL_PHASE

    assessment = library.assess_file(ROOT / "tests" / "cases" / "messstetten" / "answers.yaml")
    late = [r for r in assessment.advice.recommendations if r.phase > NATURAL_PHASE[r.measure.horizon]]
    assert {r.measure.horizon for r in late} >= {"quick", "medium"}
    assert any(r.note.de.startswith("wartet auf") for r in late) and any(r.note.de.startswith("beginnt später") for r in late)
    data = json.loads(library.render(assessment, "json", "en"))
    notes = {r["measure"]: r["note"] for r in data["recommendations"]}
    document = Document(BytesIO(library.render(assessment, "docx", "de", edition="voll")))
    docx = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    rendered = {(fmt, lang): library.render(assessment, fmt, lang, edition=edition)
                for fmt, lang, edition in (("md", "de", "kurz"), ("html", "de", "kurz"), ("md", "en", "voll"))}
    for rec in late:
        assert notes[rec.measure.id] == rec.note.en
        for (fmt, lang), text in rendered.items():
            shown = rec.note.get(lang).replace("“", "&#8220;") if fmt == "html" else rec.note.get(lang)
            assert rec.note.get(lang) in text or shown in text, (fmt, lang, rec.measure.id)
        assert rec.note.de in docx, rec.measure.id


def test_duties_are_evaluated_at_the_assessment_date():
    path = ROOT / "examples" / "landgemeinde-waldbach.yaml"
    _, in_2017 = _assess(path, date="2017-11-15")
    _, in_2026 = _assess(path)
    def duty(advice, mid):
        return next((r.duty for r in advice.recommendations + advice.later if r.measure.id == mid), None)
    assert duty(in_2026, "m_processes_einvoice_receipt") is True
    assert duty(in_2017, "m_processes_einvoice_receipt") is False  # receipt duty from 18.04.2020
    assert duty(in_2017, "m_services_accessibility") is False  # statement duty from 23.09.2020
    assert in_2017.date == "2017-11-15"


def test_a_report_dated_2017_recommends_only_what_existed_then(library, tmp_path):
    """Waldbach's answers dated 2017: no BundID (the central account exists since the OZG amendment of
    24.07.2024), no AI or NIS2 measures, e-invoice receipt recommended but not as a duty (from
    18.04.2020); dated before XRechnung was adopted (22.06.2017), no e-invoice channel at all."""
    text = (ROOT / "examples" / "landgemeinde-waldbach.yaml").read_text(encoding="utf-8")
    assert "\ndate: 2026-10-07\n" in text
    reports = {}
    for date in ("2017-11-15", "2017-03-01", "2026-10-07"):
        path = tmp_path / f"waldbach-{date}.yaml"
        path.write_text(text.replace("\ndate: 2026-10-07\n", f"\ndate: {date}\n"), encoding="utf-8")
        assessment = library.assess_file(path)
        advice = assessment.advice
        listed = {r.measure.id: r for r in advice.recommendations + advice.later}
        everywhere = set(listed) | {m.id for m in advice.fulfilled} | {m.id for m in advice.undecided}
        reports[date] = (listed, everywhere, library.render(assessment, "md", "de", edition="voll"))
    listed, everywhere, report = reports["2017-11-15"]
    assert "m_services_user_account" in reports["2026-10-07"][0]
    for mid in ("m_services_user_account", "m_organisation_ai_rule", "m_staff_ai_literacy", "m_security_nis2_entities",
                "m_processes_einvoice_issue"):
        assert mid not in everywhere, mid
    bundid = "Onlinedienste an das zentrale Bürgerkonto BundID anbinden"
    assert bundid in reports["2026-10-07"][2] and bundid not in report
    assert listed["m_processes_einvoice_receipt"].duty is False
    assert reports["2026-10-07"][0]["m_processes_einvoice_receipt"].duty is True
    assert "m_processes_einvoice_receipt" not in reports["2017-03-01"][1]


def test_availability_dates_are_checked_when_the_catalogue_is_read(tmp_path, mini):
    from assess.errors import ValidationError

    source = (DATA / "measures.yaml").read_text(encoding="utf-8")
    first = source.index("  - id: ")
    second = source.index("  - id: ", first + 1)
    block = source[first:second]
    broken = block.rstrip("\n") + "\n    available_from: 2024-13-01\n    available_until: 2020-01-01\n\n"
    path = tmp_path / "measures.yaml"
    path.write_text(source[:first] + broken + source[second:], encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_catalogue(path, (mini,))
    text = str(caught.value.problems[0].render("de")) + " ".join(p.render("en") for p in caught.value.problems)
    assert "available_from" in text and "2024-13-01" in text
    fine = block.rstrip("\n") + "\n    available_from: 2020-01-01\n    available_until: 2019-12-31\n\n"
    path.write_text(source[:first] + fine + source[second:], encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_catalogue(path, (mini,))
    assert "available_until" in " ".join(p.render("en") for p in caught.value.problems)


def test_a_duty_is_open_only_while_its_open_when_holds():
    from assess.answers import Answer

    path = ROOT / "examples" / "landgemeinde-waldbach.yaml"
    _, advice = _assess(path, answers=[Answer("sec_contracts", "partial"), Answer("sec_dpo", "formal")])
    duties = {r.measure.id for r in advice.recommendations if r.duty}
    assert "m_security_contracts" in duties
    assert "m_security_dpo" not in ids(advice.recommendations + advice.later)


def test_an_outdated_strategy_gets_its_renewal_and_half_the_credit():
    from assess.answers import Answer

    path = ROOT / "examples" / "landgemeinde-waldbach.yaml"
    current, _ = _assess(path, answers=[Answer("str_strategy", "adopted")])
    outdated, advice = _assess(path, answers=[Answer("str_strategy", "adopted", outdated=2008)])
    renew = next(r for r in advice.recommendations + advice.later if r.measure.id == "m_strategy_renew")
    assert "2008" in renew.reason.de and "veraltet" in renew.reason.de
    assert "m_strategy_digital_agenda" not in ids(advice.recommendations + advice.later)
    full = current.question_results["str_strategy"].score
    assert outdated.question_results["str_strategy"].score == pytest.approx(full / 2)


def test_a_planned_strategy_is_credited_in_part_and_becomes_finish_it():
    from assess.answers import Answer

    path = ROOT / "tests" / "cases" / "bad-schwalbach" / "answers.yaml"
    scores, advice = _assess(path)
    agenda = next(r for r in advice.recommendations if r.measure.id == "m_strategy_digital_agenda")
    assert agenda.status == "finish" and "Als nächster Schritt geplant oder beschlossen" in agenda.reason.de and "finishes it" in agenda.reason.en
    planned = scores.question_results["str_strategy"].score
    none, _ = _assess(path, answers=[Answer("str_strategy", "none")])
    adopted, _ = _assess(path, answers=[Answer("str_strategy", "adopted")])
    low, high = none.question_results["str_strategy"].score, adopted.question_results["str_strategy"].score
    assert planned == pytest.approx(low + 0.25 * (high - low))


def test_strengths_and_needs_only_from_half_answered_dimensions_and_a_provisional_headline():
    from assess.answers import Answer

    path = ROOT / "examples" / "landgemeinde-waldbach.yaml"
    assessment_scores, _ = _assess(path)
    only_one = replace(assessment_scores.answers, answers=(Answer("str_strategy", "adopted_reviewed"),))
    scores = score(assessment_scores.questionnaire, only_one)
    advice = advise(scores, _catalogue(scores.questionnaire))
    assert scores.score == 100.0  # one answer: the mean of the answered dimensions
    assert advice.profile.strengths == () and advice.profile.needs_action == ()
    head = advice.headline
    assert head.provisional and head.low < 10 and head.high == 100.0
    assert [d.id for d in head.covered] == ["strategy"]
    from assess.render import render_markdown
    from assess.assessment import Assessment

    text = render_markdown(Assessment(scores.questionnaire, only_one, scores, advice), "de")
    assert "vorläufig" in text and "Der Index beruht auf 1 von 11 Dimensionen: Strategie und Führung." in text
    full_scores, full_advice = _assess(path)
    assert not full_advice.headline.provisional


def test_strengths_are_the_highest_levels_that_reach_their_target():
    scores, advice = _assess(ROOT / "tests" / "cases" / "jena" / "answers.yaml")
    strengths = advice.profile.strengths
    assert len(strengths) == 3
    for p in strengths:
        assert p.margin >= 0 and p.judged
    judged_levels = sorted((p.result.level for p in advice.profile.dimensions if p.judged and p.margin >= 0), reverse=True)
    assert [p.result.level for p in strengths] == judged_levels[:3]


# --- answer states in the file format ---------------------------------------------------------


def _read_mini(tmp_path, body: str):
    from assess.answers import read_answers
    from assess.loading import load_questionnaire

    path = tmp_path / "a.yaml"
    path.write_text("questionnaire: mini@1.0\nmunicipality: {name: Testdorf, population: 3000}\ndate: 2026-05-01\n"
                    "answers:\n" + body, encoding="utf-8")
    questionnaire = load_questionnaire(DATA / "questionnaire.yaml")
    return path, read_answers(path, lambda qid, version: questionnaire)


def test_answer_states_are_read_and_written_back(tmp_path):
    from assess.answers import save_answers

    path, (answers, _, problems) = _read_mini(tmp_path, (
        "  sec_backup: {value: online, progress: in_progress, until: 2027-03}\n"
        "  str_strategy: {value: adopted, outdated: 2019}\n"
        "  str_budget: {value: false, progress: planned}\n"))
    assert problems == []
    backup, strategy, budget = (answers.answer(q) for q in ("sec_backup", "str_strategy", "str_budget"))
    assert (backup.progress, backup.toward, backup.until) == ("in_progress", "offline", "2027-03")
    assert strategy.outdated == 2019 and budget.toward is True
    save_answers(answers, path)
    from assess.answers import read_answers
    from assess.loading import load_questionnaire

    questionnaire = load_questionnaire(DATA / "questionnaire.yaml")
    reread, _, _ = read_answers(path, lambda qid, version: questionnaire)
    assert reread.answers == tuple(a for a in answers.answers)


@pytest.mark.parametrize("body,expected", [
    ("  sec_backup: {value: online, progress: soon}\n", "„progress“ der Antwort auf „sec_backup“ muss „planned“"),
    ("  sec_backup: {value: online, outdated: 2010}\n", "fragt nach keinem Dokument"),
    ("  str_strategy: {value: adopted, outdated: 2031}\n", "eine Jahreszahl von 1950 bis 2026"),
    ("  sec_backup: {value: offline, progress: planned}\n", "ist schon die beste"),
    ("  sec_backup: {value: unknown, progress: planned, toward: offline}\n", "kann daher nicht geplant"),
    ("  sec_backup: {value: online, until: 2027-01}\n", "„until“ der Antwort auf „sec_backup“ braucht „progress“"),
])
def test_bad_answer_states_name_the_line_and_the_fix(tmp_path, body, expected):
    from assess.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        _read_mini(tmp_path, body)
    text = caught.value.problems[0].render("de")
    assert "a.yaml:5: " in text, text
    assert expected in text, text


def test_every_format_marks_the_legal_duty_and_gives_the_reason(tmp_path, library):
    import json

    from assess.render import render_html, render_json, render_markdown, render_pdf

    waldbach = library.assess_file(ROOT / "examples" / "landgemeinde-waldbach.yaml")
    einvoice = next(r for r in waldbach.advice.recommendations if r.measure.id == "m_processes_einvoice_receipt")
    md = render_markdown(waldbach, "de")
    assert f"**{einvoice.measure.title.de}** – **gesetzliche Pflicht**" in md
    assert "Ihre Angabe: „Wie empfängt die Verwaltung elektronische Rechnungen?“" in md
    html = render_html(waldbach, "de")
    assert '<span class="badge">gesetzliche Pflicht</span>' in html
    assert "Gesetzliche Pflicht: Richtlinie 2014/55/EU" in html and "gilt seit 18. April 2020" in html
    english = render_markdown(waldbach, "en")
    assert f"**{einvoice.measure.title.en}** – **legal duty**" in english and "Your answer: “" in english
    data = json.loads(render_json(waldbach, "de"))
    entry = next(r for r in data["recommendations"] if r["measure"] == "m_processes_einvoice_receipt")
    assert entry["duty"]["since"] == "2020-04-18" and entry["phase"] == 1 and entry["reason"].startswith("Ihre Angabe")
    assert data["open_measures"] is not None and all(r["evidence"] for r in data["recommendations"])
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    pdf = tmp_path / "w.pdf"
    pdf.write_bytes(render_pdf(waldbach, "de"))
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages)
    assert "gesetzliche Pflicht" in text


def test_the_full_report_shows_each_answers_state_with_its_target(library):
    """Angermünde's ISB appointment is decided: the answer tables of the full edition say so next to
    today's answer, with the target, in every format that lists the answers."""
    from io import BytesIO

    from docx import Document

    angermuende = library.assess_file(ROOT / "tests" / "cases" / "angermuende" / "answers.yaml")
    isb = angermuende.answers.answer("sec_isb")
    question = angermuende.questionnaire.question("sec_isb")
    today, target = question.option(isb.value).text.de.rstrip(". "), question.option(isb.toward).text.de
    expected = f"{today} – geplant / beschlossen: {target}"
    assert expected in library.render(angermuende, "md", "de", edition="voll")
    html = library.render(angermuende, "html", "de", edition="voll")
    assert "geplant / beschlossen:" in html
    document = Document(BytesIO(library.render(angermuende, "docx", "de", edition="voll")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(expected in cell for cell in cells)
    english = library.render(angermuende, "md", "en", edition="voll")
    assert f"{question.option(isb.value).text.en.rstrip('. ')} – planned / decided: {question.option(isb.toward).text.en}" in english
