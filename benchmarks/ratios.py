"""Measure what the engine issue asks for, as ratios in one run (robust on a shared, busy machine).

    python benchmarks/ratios.py [--runs 5] [--markdown]

Every time is the best of `--runs` fresh processes (wall clock); the commands of one ratio run in turn,
round after round, so that numerator and denominator meet the same phases of a shared machine.
The questionnaire cache (assess.diskcache) is warm, as it is after the first command on a machine;
the cold numbers are printed too. Nothing here asserts; benchmarks/README.md records a run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "musterstadt.yaml"
ASSESS = [sys.executable, "-m", "assess"]

FLOOR = """
import io, jinja2, yaml, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
def svg(fig):
    out = io.StringIO(); fig.savefig(out, format="svg"); plt.close(fig); return out.getvalue()
n = 11
angles = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist() + [0]
fig = plt.figure(figsize=(7, 7)); ax = fig.add_subplot(polar=True)
for k in range(3):
    values = [50 + 10 * k + (i % 3) * 5 for i in range(n)]; ax.plot(angles, values + values[:1])
ax.set_xticks(angles[:-1]); ax.set_xticklabels([f"Dimension {i}" for i in range(n)]); svg(fig)
fig, ax = plt.subplots(figsize=(8, 6))
for i in range(n):
    ax.scatter(1 + i % 5, 10 * i); ax.annotate(f"Dimension {i}", (1 + i % 5, 10 * i))
svg(fig)
fig, ax = plt.subplots(figsize=(8, 6))
ax.barh([f"Maßnahme {i}" for i in range(15)], [6] * 15, left=[i for i in range(15)]); svg(fig)
jinja2.Environment(autoescape=True).from_string("{{ x }}").render(x="<b>")
"""


def once(command: list[str], env: dict | None = None, prepare=None) -> float:
    """The wall time of one fresh process running `command`."""
    if prepare is not None:
        prepare()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def interleaved(commands: dict[str, tuple], runs: int) -> dict[str, float]:
    """The best time of each command over `runs` rounds, every round running each command once in turn.

    A ratio's numerator and denominator thus meet the same phases of a shared machine; running one
    command five times and then the other five times let a slow minute fall on one of them only (the
    same ratio moved by 0.8 between runs). Each value is (command, env) or (command, env, prepare)."""
    best = {name: float("inf") for name in commands}
    for _ in range(runs):
        for name, spec in commands.items():
            best[name] = min(best[name], once(*spec))
    return best


def peak_memory(command: list[str], env: dict | None = None) -> float:
    """Peak resident memory of a child process in MiB."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *command], check=True, capture_output=True, text=True, env=env)
    return int(out.stdout.strip()) / 1024


def peer_files(folder: Path, count: int) -> Path:
    """`count` plausible answer files of other towns (the example with shuffled answers)."""
    from assess.yamlfile import dump_yaml, read_file

    base = read_file(EXAMPLE)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    from assess.library import Library

    _, questionnaire = Library().read_answers(EXAMPLE)
    for i in range(count):
        data = {k: v for k, v in base.items()}
        data["municipality"] = {"name": f"Ort {i}", "population": rng.randint(2000, 90000), "state": "BY",
                                "ags": f"{9000000 + i:08d}"}
        answers = dict(base["answers"])
        for question in questionnaire.questions:
            if question.type == "single" and rng.random() < 0.5:
                answers[question.id] = rng.choice(question.options).id
        data["answers"] = answers
        (folder / f"ort-{i:04d}.yaml").write_text(dump_yaml(data), encoding="utf-8")
    return folder


def respondent_files(folder: Path, count: int) -> list[Path]:
    """`count` answer files of one town's staff, each filled in by one person: the example's answers,
    a third of the single-choice answers one step higher or lower (people see their town differently)."""
    from assess.library import Library
    from assess.yamlfile import dump_yaml, read_file

    base = read_file(EXAMPLE)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    _, questionnaire = Library().read_answers(EXAMPLE)
    files = []
    for i in range(count):
        data = {k: v for k, v in base.items() if k != "respondents"}
        data["respondents"] = [{"name": f"Person {i + 1}", "role": rng.choice(["Hauptamt", "IT", "Kämmerei", "Bauamt"])}]
        answers = dict(base["answers"])
        for question in questionnaire.questions:
            value = answers.get(question.id)
            ids = [o.id for o in question.options]
            if question.type == "single" and value in ids and rng.random() < 1 / 3:
                answers[question.id] = ids[max(0, min(len(ids) - 1, ids.index(value) + rng.choice([-1, 1])))]
        data["answers"] = answers
        files.append(folder / f"person-{i + 1:02d}.yaml")
        files[-1].write_text(dump_yaml(data), encoding="utf-8")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table for benchmarks/README.md")
    parser.add_argument("--only-peers", action="store_true", help="measure only the peer rows")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="assess-bench-"))
    # As installed by pip, which compiles bytecode: PYTHONDONTWRITEBYTECODE (set in some shells) would make
    # every command compile assess's modules anew and measure that instead.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    env = dict(os.environ, ASSESS_CACHE_DIR=str(work / "cache"))
    cold_env = dict(os.environ, ASSESS_CACHE_DIR="off")
    runs = args.runs
    subprocess.run(ASSESS + ["score", str(EXAMPLE)], check=True, stdout=subprocess.DEVNULL, env=env)  # warm cache

    rows = []

    def row(name, seconds, base, limit, note=""):
        rows.append((name, seconds, seconds / base, limit, note))

    def report(suffix, *extra):
        return ASSESS + ["report", str(EXAMPLE), "-o", str(work / f"r{suffix}"), "--force", *extra]

    if not args.only_peers:
        t = interleaved({
            "click": ([sys.executable, "-c", "import click"], env),
            "help": (ASSESS + ["--help"], env),
            "list": (ASSESS + ["list"], env),
            "validate": (ASSESS + ["validate", str(EXAMPLE)], env),
            "score": (ASSESS + ["score", str(EXAMPLE)], env),
            "cold": (ASSESS + ["score", str(EXAMPLE)], cold_env),
        }, runs)
        click = t["click"]
        rows.append(("python -c 'import click' (base)", click, 1.0, "", ""))
        row("assess --help", t["help"], click, "≤ 2")
        row("assess list", t["list"], click, "≤ 3")
        row("assess validate musterstadt.yaml", t["validate"], click, "≤ 3")
        row("assess score musterstadt.yaml", t["score"], click, "≤ 4")
        row("assess score (cold cache)", t["cold"], click, "", "first run on a machine")

        t = interleaved({
            "floor": ([sys.executable, "-c", FLOOR], env),
            "html": (report(".html"), env),
            "md": (report(".md"), env),
            "json": (report(".json"), env),
        }, runs)
        floor = t["floor"]
        rows.append(("floor: import matplotlib+jinja2+yaml, draw 3 charts", floor, floor / click, "", "base for reports"))
        row("assess report → HTML", t["html"], floor, "≤ 1.5 × floor")
        row("assess report → Markdown", t["md"], floor, "", "draws no charts")
        row("assess report → JSON", t["json"], floor, "", "draws no charts")
        try:
            import weasyprint  # noqa: F401
        except ImportError:
            pass
        else:
            t = interleaved({
                "pdf": (report(".pdf"), env),
                "html": (report(".html"), env),
                "weasy": ([sys.executable, "-c", "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1])"
                           ".write_pdf(sys.argv[2])", str(work / "r.html"), str(work / "w.pdf")], env),
            }, max(2, runs // 2))
            row("assess report → PDF", t["pdf"], t["html"] + t["weasy"], "≤ 1.3 × (HTML + weasyprint)")

    few, many = peer_files(work / "peers10", 10), peer_files(work / "peers1000", 1000)
    report10, report1000 = report("p10.html", "--peers", str(few)), report("p1000.html", "--peers", str(many))
    # First run: the peer files' scores are not cached yet (the questionnaire is, as after any first command).
    subprocess.run(report("warm.html"), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    snapshot = work / "cache-questionnaires"
    shutil.copytree(work / "cache", snapshot)
    cold_peers = dict(os.environ, ASSESS_CACHE_DIR=str(work / "cache-cold"))

    def only_questionnaires():
        shutil.rmtree(work / "cache-cold", ignore_errors=True)
        shutil.copytree(snapshot, work / "cache-cold")

    t = interleaved({
        "c10": (report10, cold_peers, only_questionnaires),
        "c1000": (report1000, cold_peers, only_questionnaires),
        "t10": (report10, env),
        "t1000": (report1000, env),
    }, runs)
    row("HTML report with 1,000 peers ÷ 10 peers, first run (time)", t["c1000"], t["c10"], "≤ 2",
        "peer scores not cached yet")
    row("HTML report with 1,000 peers ÷ 10 peers (time)", t["t1000"], t["t10"], "≤ 2", "peer scores cached")
    m10, m1000 = peak_memory(report10, env), peak_memory(report1000, env)
    rows.append(("HTML report with 1,000 peers ÷ 10 peers (peak memory)", float("nan"), m1000 / m10, "≤ 1.5",
                 f"{m10:.0f} → {m1000:.0f} MiB"))

    if not args.only_peers:
        files = respondent_files(work / "team", 50)
        t = interleaved({
            "2": (ASSESS + ["merge", *map(str, files[:2]), "-o", str(work / "m2.yaml"), "--force"], env),
            "50": (ASSESS + ["merge", *map(str, files[:50]), "-o", str(work / "m50.yaml"), "--force"], env),
        }, runs)
        row("merge of 50 files ÷ merge of 2", t["50"], t["2"], "≤ 2")

    shutil.rmtree(work, ignore_errors=True)
    if args.markdown:
        print("| what | seconds | ratio | target | note |\n| --- | ---: | ---: | --- | --- |")
        for name, seconds, ratio, limit, note in rows:
            print(f"| {name} | {seconds:.3f} | {ratio:.2f} | {limit} | {note} |")
    else:
        for name, seconds, ratio, limit, note in rows:
            print(f"{name:52} {seconds:8.3f} s  {ratio:6.2f} ×  {limit:28} {note}")


if __name__ == "__main__":
    main()
