"""Peer comparison: the group's mean per dimension, at least three towns, same questionnaire only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.answers import Answer, AnswerSet, Municipality
from assess.cli import cli
from assess.errors import AssessError
from assess.loading import load_questionnaire
from assess.peers import peer_group
from assess.scoring import score

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(DATA / "questionnaires" / "mini" / "questionnaire.yaml")


def scored(mini, backup, strategy="draft", name="X"):
    answers = AnswerSet("mini@1.0", Municipality(name, 3000),
                        (Answer("sec_backup", backup), Answer("str_strategy", strategy)))
    return score(mini, answers)


def test_mean_per_dimension(mini):
    current = scored(mini, "none")
    peers = [scored(mini, "none", name="A"), scored(mini, "online", name="B"), scored(mini, "offline", name="C")]
    group = peer_group(current, peers)
    assert group.count == 3
    assert group.dimension("security") == pytest.approx((0 + 50 + 100) / 3)
    assert group.dimension("strategy") == pytest.approx(50)
    assert group.score == pytest.approx(sum(p.score for p in peers) / 3)


def test_fewer_than_three_peers_are_refused(mini):
    with pytest.raises(AssessError) as error:
        peer_group(scored(mini, "none"), [scored(mini, "online", name="A"), scored(mini, "offline", name="B")])
    assert "at least 3 other municipalities (got 2)" in str(error.value)


def test_report_with_a_folder_of_peers(tmp_path):
    folder = tmp_path / "kunden"
    folder.mkdir()
    for name in ("musterstadt", "landgemeinde-waldbach", "mittelstadt-hafenstedt", "kleinstadt-lindenau",
                 "musterstadt-quickcheck"):
        shutil.copy(EXAMPLES / f"{name}.yaml", folder)
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["report", str(folder / "musterstadt.yaml"), "-o", str(out), "--peers", str(folder)])
    assert result.exit_code == 0, result.output
    peers = json.loads(out.read_text(encoding="utf-8"))["peers"]
    # Musterstadt itself and the Quick-Check answers are not peers of a Digital-Check report.
    assert peers["count"] == 3
    html = tmp_path / "r.html"
    assert CliRunner().invoke(cli, ["report", str(folder / "musterstadt.yaml"), "-o", str(html),
                                    "--peers", str(folder)]).exit_code == 0
    assert "Vergleichsgruppe (3 Kommunen, Mittelwert)" in html.read_text(encoding="utf-8")


def test_a_named_peer_of_another_questionnaire_is_an_error(tmp_path):
    files = [str(EXAMPLES / f"{n}.yaml") for n in ("landgemeinde-waldbach", "mittelstadt-hafenstedt", "musterstadt-quickcheck")]
    args = ["report", str(EXAMPLES / "musterstadt.yaml"), "-o", str(tmp_path / "r.html")]
    for f in files:
        args += ["--peers", f]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "beantwortet quickcheck@1.1, der Bericht gilt aber digitalcheck@1.1" in result.output


def test_each_municipality_counts_once_and_never_as_its_own_peer(mini):
    def town(name, backup, date, ags=""):
        answers = AnswerSet("mini@1.0", Municipality(name, 3000, ags=ags), (Answer("sec_backup", backup),), date=date)
        return score(mini, answers)

    current = town("Testdorf", "none", "2026-01-01")
    earlier_self = town("testdorf ", "offline", "2024-01-01")
    a_old, a_new = town("A", "none", "2024-01-01"), town("A", "offline", "2026-01-01")
    b, c = town("B", "online", "2026-01-01"), town("C", "online", "2026-01-01", ags="09999001")
    c_by_key = town("C-Stadt (neuer Name)", "offline", "2026-06-01", ags="09999001")
    group = peer_group(current, [earlier_self, a_old, a_new, b, c, c_by_key])
    assert group.count == 3  # A (latest), B, C (by AGS, latest)
    assert group.dimension("security") == pytest.approx((100 + 50 + 100) / 3)
    with pytest.raises(AssessError):
        peer_group(current, [earlier_self, a_old, a_new, b])  # only A and B are other towns


def test_a_folder_of_peers_skips_other_versions_and_stray_files(tmp_path):
    folder = tmp_path / "kunden"
    folder.mkdir()
    for name in ("landgemeinde-waldbach", "mittelstadt-hafenstedt", "kleinstadt-lindenau"):
        shutil.copy(EXAMPLES / f"{name}.yaml", folder)
    (folder / "alt.yaml").write_text("questionnaire: digitalcheck@0.9\nmunicipality: {name: Alt, population: 5}\n",
                                     encoding="utf-8")
    (folder / "notizen.yaml").write_text("- eine Liste\n", encoding="utf-8")
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES / "musterstadt.yaml"), "-o", str(out), "--peers", str(folder)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["peers"]["count"] == 3


def test_quartiles_interpolate_like_percentile_cont_and_need_a_group_of_five():
    from assess.peers import quartiles
    assert quartiles([10, 20, 30, 40]) is None
    assert quartiles([50, 10, 40, 20, 30]) == (20, 30, 40)
    # six values: positions 1.25, 2.5, 3.75 between the sorted values
    assert quartiles([0, 10, 20, 30, 40, 100]) == (12.5, 25.0, 37.5)
