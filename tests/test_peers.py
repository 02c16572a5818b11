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


def scored(mini, backup, strategy="draft"):
    answers = AnswerSet("mini@1.0", Municipality("X", 3000),
                        (Answer("sec_backup", backup), Answer("str_strategy", strategy)))
    return score(mini, answers)


def test_mean_per_dimension(mini):
    current = scored(mini, "none")
    peers = [scored(mini, "none"), scored(mini, "online"), scored(mini, "offline")]
    group = peer_group(current, peers)
    assert group.count == 3
    assert group.dimension("security") == pytest.approx((0 + 50 + 100) / 3)
    assert group.dimension("strategy") == pytest.approx(50)
    assert group.score == pytest.approx(sum(p.score for p in peers) / 3)


def test_fewer_than_three_peers_are_refused(mini):
    with pytest.raises(AssessError) as error:
        peer_group(scored(mini, "none"), [scored(mini, "online"), scored(mini, "offline")])
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
    assert "answers quickcheck@1.0, but the report is for digitalcheck@1.0" in result.output
