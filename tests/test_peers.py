"""Peer comparison: the group's quartiles and median per dimension and the town's position in them; at
least five other towns, each once with its latest assessment, never the town itself, never a name;
every peer file passed over is named with its reason."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.answers import Answer, AnswerSet, Municipality
from assess.cli import cli
from assess.errors import AssessError
from assess.peers import BELOW, MIDDLE, MIN_GROUP, ABOVE, peer_group, quartiles
from assess.scoring import score

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]


def scored(mini, backup, strategy="draft", name="X", date="2026-01-01", ags=""):
    answers = AnswerSet("mini@1.0", Municipality(name, 3000, ags=ags),
                        (Answer("sec_backup", backup), Answer("str_strategy", strategy)), date=date)
    return score(mini, answers)


def test_quartiles_interpolate_like_percentile_cont_and_need_a_group_of_five():
    assert MIN_GROUP == 5
    assert quartiles([10, 20, 30, 40]) is None
    assert quartiles([50, 10, 40, 20, 30]) == (20, 30, 40)
    # six values: positions 1.25, 2.5, 3.75 between the sorted values
    assert quartiles([0, 10, 20, 30, 40, 100]) == (12.5, 25.0, 37.5)


def test_distribution_per_dimension_and_the_towns_position(mini):
    current = scored(mini, "offline", strategy="none")  # security 100, strategy 0
    peers = [scored(mini, backup, name=name) for backup, name in
             (("none", "A"), ("none", "B"), ("online", "C"), ("online", "D"), ("offline", "E"))]
    group = peer_group(current, peers)
    assert group.count == 5
    security = group.dimension("security")
    assert (security.low, security.median, security.high, security.count) == (0, 50, 50, 5)
    assert group.position("security") == ABOVE  # 100 lies above the upper quartile
    strategy = group.dimension("strategy")
    assert (strategy.low, strategy.median, strategy.high) == (50, 50, 50)
    assert group.position("strategy") == BELOW
    assert group.score is not None and group.score_position in (BELOW, MIDDLE, ABOVE)


def test_a_value_on_a_quartile_lies_in_the_middle_half(mini):
    current = scored(mini, "online")
    peers = [scored(mini, backup, name=name) for backup, name in
             (("none", "A"), ("online", "B"), ("online", "C"), ("online", "D"), ("offline", "E"))]
    assert peer_group(current, peers).position("security") == MIDDLE


def test_fewer_than_five_other_towns_are_refused(mini):
    peers = [scored(mini, "online", name=name) for name in "ABCD"]
    with pytest.raises(AssessError) as error:
        peer_group(scored(mini, "none"), peers)
    assert "at least 5 other municipalities" in str(error.value) and "(found: 4)" in str(error.value)
    assert "mindestens 5 andere Kommunen" in error.value.message_in("de")


def test_each_municipality_counts_once_with_its_latest_assessment_and_never_as_its_own_peer(mini):
    current = scored(mini, "none", name="Testdorf", date="2026-01-01")
    earlier_self = scored(mini, "offline", name="testdorf ", date="2024-01-01")
    a_old, a_new = scored(mini, "none", name="A", date="2024-01-01"), scored(mini, "offline", name="A", date="2026-01-01")
    c = scored(mini, "online", name="C", ags="09999001")
    c_renamed = scored(mini, "offline", name="C-Stadt (neuer Name)", date="2026-06-01", ags="09999001")
    others = [scored(mini, "online", name=n) for n in ("B", "D", "E")]
    group = peer_group(current, [earlier_self, a_old, a_new, c, c_renamed, *others])
    assert group.count == 5  # A (latest), C (by AGS, latest), B, D, E — not Testdorf itself
    assert group.dimension("security").median == 50
    assert group.dimension("security").high == 100  # A's and C's latest answers: offline
    with pytest.raises(AssessError):
        peer_group(current, [earlier_self, a_old, a_new, c, c_renamed, *others[:2]])  # only four other towns


# --- the command line ------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path, town_file):
    """A consultant's folder: the assessed town, six other towns (one twice), and files that cannot serve."""
    kunden = tmp_path / "kunden"
    kunden.mkdir()
    shutil.copy(DATA / "mini-answers.yaml", kunden / "testdorf.yaml")
    for name, backup in (("Aue", "none"), ("Berg", "online"), ("Dorf", "online"), ("Eck", "offline"),
                         ("Feld", "offline")):
        town_file(kunden, name, backup)
    town_file(kunden, "Aue-2024", "offline", date="2024-01-01").write_text(
        (kunden / "aue-2024.yaml").read_text(encoding="utf-8").replace("name: Aue-2024", "name: Aue"), encoding="utf-8")
    # the assessed town's own earlier round, under another file name: never its own peer
    (kunden / "testdorf-2024.yaml").write_text((DATA / "mini-answers.yaml").read_text(encoding="utf-8")
                                               .replace("2026-11-23", "2024-11-23"), encoding="utf-8")
    (kunden / "notizen.yaml").write_text("- eine Liste\n", encoding="utf-8")
    (kunden / "kaputt.yaml").write_text("questionnaire: mini@1.0\nmunicipality: {name: Kaputt, population: 3000}\n"
                                        "answers:\n  sec_backup: sometimes\n  str_strategy: maybe\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "musterstadt-quickcheck.yaml", kunden)
    return kunden


def report(*args):
    return CliRunner().invoke(cli, [*SEARCH, "report", *map(str, args)])


def test_report_with_a_folder_shows_the_distribution_and_lists_every_file_passed_over(folder, tmp_path):
    out = tmp_path / "r.json"
    result = report(folder / "testdorf.yaml", "-o", out, "--peers", folder)
    assert result.exit_code == 0, result.output
    peers = json.loads(out.read_text(encoding="utf-8"))["peers"]
    assert peers["count"] == 5 and peers["min_group"] == 5  # Aue once (its latest), never Testdorf
    security = peers["dimensions"]["security"]
    assert (security["low"], security["median"], security["high"], security["count"]) == (50, 50, 100, 5)
    assert security["position"] == "below"  # Testdorf's security: 25 points
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{folder / 'kaputt.yaml'}:4: Warnung: nicht in der Vergleichsgruppe: „sometimes“ ")
               and "(weitere Fehler: 1;" in line for line in lines), result.stderr
    assert any(line.startswith(f"{folder / 'notizen.yaml'}:1: Warnung: nicht in der Vergleichsgruppe") for line in lines)
    assert f"{folder / 'musterstadt-quickcheck.yaml'}:1: Warnung: nicht in der Vergleichsgruppe: beantwortet " \
           "quickcheck@1.1, nicht mini@1.0" in lines
    assert "Vergleichsgruppe: 5 Kommunen aus 7 Dateien (je Kommune die jüngste Erhebung); übergangene Dateien: 3" in lines


@pytest.mark.parametrize("fmt", ["html", "md", "docx"])
def test_the_report_shows_quartiles_and_position_but_no_other_towns_name(folder, tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    assert report(folder / "testdorf.yaml", "-o", out, "--peers", folder, "--lang", "en").exit_code == 0
    if fmt == "docx":
        import docx

        document = docx.Document(str(out))
        shown = "\n".join([p.text for p in document.paragraphs] +
                          [c.text for t in document.tables for r in t.rows for c in r.cells])
    else:
        shown = out.read_text(encoding="utf-8")
    assert "Comparison with other municipalities" in shown and "lower quartile" in shown
    assert "in the top quarter" in shown or "in the middle half" in shown or "in the bottom quarter" in shown
    for name in ("Aue", "Berg", "Dorf", "Eck", "Feld", "Kaputt"):
        assert name not in shown


def test_too_small_a_group_is_an_error_naming_how_many_were_found(folder, tmp_path):
    for name in ("eck", "feld"):
        (folder / f"{name}.yaml").unlink()
    out = tmp_path / "r.html"
    result = report(folder / "testdorf.yaml", "-o", out, "--peers", folder)
    assert result.exit_code == 1
    assert "mindestens 5 andere Kommunen" in result.stderr and "(gefunden: 3)" in result.stderr
    assert "kaputt.yaml:4:" in result.stderr  # what was passed over is still listed first
    assert not out.exists()


def test_a_named_peer_file_must_be_valid(folder, tmp_path):
    args = ["-o", tmp_path / "r.html"]
    for name in ("aue", "berg", "dorf", "eck", "kaputt"):
        args += ["--peers", folder / f"{name}.yaml"]
    result = report(folder / "testdorf.yaml", *args)
    assert result.exit_code == 1
    assert "kaputt.yaml:4:" in result.stderr and "Warnung" not in result.stderr
    other = report(folder / "testdorf.yaml", "-o", tmp_path / "r.html", "--peers", folder / "musterstadt-quickcheck.yaml")
    assert other.exit_code == 1
    assert "beantwortet quickcheck@1.1, der Bericht beruht aber auf mini@1.0" in other.stderr


def test_the_second_report_reads_peer_scores_from_the_cache_with_the_same_result(folder, tmp_path, town_file):
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    assert report(folder / "testdorf.yaml", "-o", first, "--peers", folder).exit_code == 0
    # a changed file is read again, not taken from the cache
    town_file(folder, "Berg", "offline")
    result = report(folder / "testdorf.yaml", "-o", second, "--peers", folder)
    assert result.exit_code == 0
    before = json.loads(first.read_text(encoding="utf-8"))["peers"]["dimensions"]["security"]
    after = json.loads(second.read_text(encoding="utf-8"))["peers"]["dimensions"]["security"]
    assert before["high"] == 100 and after["median"] == 100


def test_unchanged_peer_files_are_not_read_again_but_a_changed_one_is(folder, library, monkeypatch, town_file):
    from assess import peerfiles

    answers, questionnaire = library.read_answers(folder / "testdorf.yaml")
    first = library.read_peers([folder], questionnaire, exclude=[folder / "testdorf.yaml"])
    scored_again = []
    real = peerfiles._score_file
    monkeypatch.setattr(peerfiles, "_score_file", lambda raw, path, *rest: scored_again.append(path.name) or
                        real(raw, path, *rest))
    town_file(folder, "Berg", "offline", date="2026-10-10")  # content no other test writes
    second = library.read_peers([folder], questionnaire, exclude=[folder / "testdorf.yaml"])
    # only the changed file and the broken ones (never cached, so their messages stay fresh) are read again
    assert sorted(scored_again) == ["berg.yaml", "kaputt.yaml", "notizen.yaml"]
    assert len(second.results) == len(first.results) and len(second.skipped) == len(first.skipped) == 3
    berg = next(r for r in second.results if r.path.endswith("berg.yaml"))
    assert berg.dimension("security") == 100 and berg.path == str(folder / "berg.yaml")


def test_many_files_are_shared_among_the_cores_with_the_same_outcome_in_the_same_order(folder, library, monkeypatch, town_file,
                                                                                      tmp_path):
    from assess import forking, peerfiles

    for i in range(12):
        town_file(folder, f"Ort{i:02d}", ("none", "online", "offline")[i % 3], date=f"2026-0{1 + i % 9}-02")
    answers, questionnaire = library.read_answers(folder / "testdorf.yaml")
    monkeypatch.setattr(forking, "cores", lambda: 3)
    real = peerfiles._score_file

    def noting_the_process(raw, path, *rest):  # which process scored a file: the parent or a forked worker
        with open(tmp_path / "pids", "a", encoding="utf-8") as pids:
            pids.write(f"{os.getpid()}\n")
        return real(raw, path, *rest)

    monkeypatch.setattr(peerfiles, "_score_file", noting_the_process)
    outcomes = {}
    for name, first in (("serial", 10**9), ("forked", 2)):
        (tmp_path / "pids").write_text("", encoding="utf-8")
        monkeypatch.setattr(forking, "FORK_FROM", first)
        monkeypatch.setenv("ASSESS_CACHE_DIR", str(tmp_path / name))  # nothing cached: every file is scored
        found = library.read_peers([folder], questionnaire, exclude=[folder / "testdorf.yaml"])
        outcomes[name] = ([(r.path, r.dimension("security"), r.score) for r in found.results],
                          [p.render("de") for p in found.skipped])
        processes = set((tmp_path / "pids").read_text(encoding="utf-8").split())
        assert str(os.getpid()) in processes and (len(processes) == 1) == (name == "serial")
    assert outcomes["forked"] == outcomes["serial"]
    results, skipped = outcomes["forked"]
    assert len(results) == 19 and len(skipped) == 3 and "kaputt.yaml:4:" in skipped[0]
    # a file named directly that cannot serve is still an error of its own, when forked as well
    with pytest.raises(Exception) as error:
        library.read_peers([folder / "kaputt.yaml", *sorted(folder.glob("ort*.yaml"))], questionnaire)
    assert "sometimes" in str(error.value)
