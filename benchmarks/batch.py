"""Measure `assess batch` as issue 13 asks, as ratios in one run (robust on a shared, busy machine).

    python benchmarks/batch.py [--runs 3] [--format html] [--large 1000] [--markdown]

- per-report cost: wall time of `assess batch` on 100 files ÷ 100, against one `assess report` process
  for one of those files (target ≤ 0.5);
- 2 workers against 1 on the same 100 files (target ≥ 1.7 × as fast, on a 2-core machine);
- peak memory of the batch on 1,000 files against 100 files (target ≤ 1.2), with 2 workers, the largest
  process counted (the main process or a worker);
- the time per report on 1,000 files, to show it does not grow with the folder.

The answer files are generated from examples/musterstadt.yaml with shuffled answers (as
benchmarks/ratios.py does for peers). Questionnaire and catalogue are cached (as after any first
report). Nothing here asserts; benchmarks/README.md records a run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ratios import ASSESS, EXAMPLE, interleaved, peer_files  # noqa: E402


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB, the largest process of the tree) of one run."""
    code = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
            "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "wall = time.perf_counter() - start; "
            "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *command], check=True, capture_output=True, text=True, env=env)
    wall, rss, returncode = out.stdout.split()
    if returncode != "0":
        raise SystemExit(f"{' '.join(command)} exited {returncode}")
    return float(wall), int(rss) / 1024


def run_batch(folder: Path, out: Path, fmt: str, jobs: int, runs: int, env: dict) -> tuple[float, float]:
    results = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        results.append(timed(ASSESS + ["batch", str(folder), "-o", str(out), "--format", fmt, "--jobs", str(jobs)], env))
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", default="html")
    parser.add_argument("--large", type=int, default=1000, help="files in the large folder (0: skip it)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="assess-batch-bench-"))
    env = dict(os.environ, ASSESS_CACHE_DIR=str(work / "cache"))
    subprocess.run(ASSESS + ["report", str(EXAMPLE), "-o", str(work / "warm.html")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # questionnaire and catalogue cached
    small = peer_files(work / "small", 100)
    large = peer_files(work / "large", args.large) if args.large else None
    one_file = next(small.iterdir())
    suffix = {"html": "html", "md": "md", "json": "json", "pdf": "pdf", "docx": "docx"}[args.format]

    rows = []
    single = interleaved({"one": (ASSESS + ["report", str(one_file), "-o", str(work / f"one.{suffix}"), "--force"], env)}, args.runs)["one"]
    rows.append((f"one `assess report` process ({args.format})", single, 1.0, "", "base"))
    t1, m1 = run_batch(small, work / "out", args.format, 1, args.runs, env)
    rows.append(("batch of 100, 1 worker: seconds per report ÷ one report process", t1 / 100, t1 / 100 / single,
                 "≤ 0.5", f"{t1:.1f} s in all"))
    t2, m100 = run_batch(small, work / "out", args.format, 2, args.runs, env)
    rows.append(("batch of 100: 1 worker ÷ 2 workers (speed-up)", t2, t1 / t2, "≥ 1.7", f"{t1:.1f} s → {t2:.1f} s"))
    if args.large:
        tl, ml = run_batch(large, work / "out", args.format, 2, 1, env)
        rows.append((f"batch of {args.large} ÷ batch of 100, 2 workers (seconds per report)", tl / args.large,
                     (tl / args.large) / (t2 / 100), "", f"{tl:.1f} s in all"))
        rows.append((f"batch of {args.large} ÷ batch of 100, 2 workers (peak memory)", float("nan"), ml / m100,
                     "≤ 1.2", f"{m100:.0f} → {ml:.0f} MiB (largest process)"))
    rows.append(("batch of 100, 1 worker (peak memory)", float("nan"), m1 / m100, "", f"{m1:.0f} MiB"))
    shutil.rmtree(work, ignore_errors=True)
    cores = os.cpu_count()
    if args.markdown:
        print(f"{cores} cores\n\n| what | seconds | ratio | target | note |\n| --- | ---: | ---: | --- | --- |")
        for name, seconds, ratio, limit, note in rows:
            print(f"| {name} | {seconds:.3f} | {ratio:.2f} | {limit} | {note} |")
    else:
        print(f"{cores} cores")
        for name, seconds, ratio, limit, note in rows:
            print(f"{name:75} {seconds:8.3f} s  {ratio:6.2f} ×  {limit:8} {note}")


if __name__ == "__main__":
    main()
