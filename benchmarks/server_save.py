"""Benchmark `assess serve`: answer-save latency with 20 respondents saving at once against one alone.

Starts a real `assess serve` process per database, invites the respondents, and has each save
answers one after another over HTTP (session cookie, CSRF header, JSON), as the browser does:

    python benchmarks/server_save.py [--saves 60] [--concurrent 20]
        [--postgres postgresql+psycopg://USER@HOST:PORT/DB]   (default: $ASSESS_TEST_POSTGRES_URL)

SQLite always runs (a temporary file); PostgreSQL when a URL is given — its database is emptied.
Prints the median and 95th percentile per save and the ratio concurrent : single. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "assess" / "__init__.py").is_file() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from assess.library import Library  # noqa: E402

QUESTIONNAIRE = Library().questionnaire("digitalcheck")
SINGLE = [q for q in QUESTIONNAIRE.questions if q.type == "single"]


def prepare(url: str, people: int) -> list[str]:
    """A coordinator, a town, a round and `people` invited respondents; returns their link paths."""
    from sqlalchemy import create_engine, text

    from assess.server import create_app
    from assess.server.models import Municipality, Respondent, Round, User
    from assess.server.security import new_token, token_hash

    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(url)
    links = []
    with app.extensions["assess_sessions"]() as db:
        user = User(email="bench@example.org", name="bench", password_hash="-")
        db.add(user)
        db.flush()
        town = Municipality(owner_id=user.id, name="Benchstadt", population=12000)
        db.add(town)
        db.flush()
        round_ = Round(municipality_id=town.id, questionnaire_id=QUESTIONNAIRE.id,
                       questionnaire_version=QUESTIONNAIRE.version, priorities={}, targets={})
        db.add(round_)
        db.flush()
        for n in range(people):
            token = new_token()
            db.add(Respondent(round_id=round_.id, name=f"Person {n}", token_hash=token_hash(token)))
            links.append(f"/r/{token}")
        db.commit()
    app.extensions["assess_engine"].dispose()
    return links


def start(url: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "assess", "serve", "--database-url", url, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("assess serve did not start")


class Browser:
    def __init__(self, base: str, link: str):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.url = base + link + "/answer"
        html = self.opener.open(base + link, timeout=30).read().decode()
        self.csrf = json.loads(html.split('id="assess-data">', 1)[1].split("</script>", 1)[0])["server"]["csrf"]

    def saves(self, count: int, offset: int, times: list[float]) -> None:
        for i in range(offset, offset + count):
            question = SINGLE[i % len(SINGLE)]
            body = json.dumps({"question": question.id, "value": question.options[i % len(question.options)].id}).encode()
            request = urllib.request.Request(self.url, data=body, method="POST", headers={
                "Content-Type": "application/json", "X-CSRF-Token": self.csrf})
            began = time.perf_counter()
            with self.opener.open(request, timeout=60) as response:
                response.read()
            times.append(time.perf_counter() - began)


def measure(url: str, saves: int, concurrent: int) -> dict:
    links = prepare(url, concurrent)
    process, base = start(url)
    try:
        browsers = [Browser(base, link) for link in links]
        browsers[0].saves(10, 1000, [])  # warm up
        single: list[float] = []
        browsers[0].saves(saves, 0, single)
        together: list[float] = []
        threads = [threading.Thread(target=b.saves, args=(saves, n * 3, together)) for n, b in enumerate(browsers)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    finally:
        process.terminate()
        process.wait(10)
    return {"single": single, "together": together, "throughput": len(together) / wall}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=60, help="answers each respondent saves (default 60)")
    parser.add_argument("--concurrent", type=int, default=20, help="respondents saving at once (default 20)")
    parser.add_argument("--postgres", default=os.environ.get("ASSESS_TEST_POSTGRES_URL", ""),
                        help="a PostgreSQL URL to benchmark too (its database is emptied)")
    args = parser.parse_args()
    targets = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    print(f"{args.concurrent} respondents × {args.saves} saves each against 1 respondent × {args.saves}; "
          f"assess serve (werkzeug, threaded), {os.cpu_count()} cores")
    print("| database | 1 alone: median / p95 | 20 at once: median / p95 | ratio (median) | saves/s at once |")
    print("| --- | --- | --- | --- | --- |")
    for name, url in targets:
        with tempfile.TemporaryDirectory() as folder:
            result = measure(url or f"sqlite:///{folder}/bench.db", args.saves, args.concurrent)
        one, many = result["single"], result["together"]
        print(f"| {name} | {statistics.median(one) * 1000:.1f} / {p95(one) * 1000:.1f} ms | "
              f"{statistics.median(many) * 1000:.1f} / {p95(many) * 1000:.1f} ms | "
              f"{statistics.median(many) / statistics.median(one):.1f} | {result['throughput']:.0f} |")


if __name__ == "__main__":
    main()
