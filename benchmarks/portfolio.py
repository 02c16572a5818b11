"""Benchmark the portfolio of `assess serve` at the scale of a Land: 1,100 towns against 10.

Seeds a database with N towns × 3 rounds × 5 respondents answering the Quick-Check (generated:
town sizes skewed to small municipalities like Germany's, each town's maturity drawn once and
improving a little from round to round, respondents scattered around it, some "weiß nicht"), with
rows inserted in bulk and the stored scores of closed rounds computed by the server's own
functions (in a process pool). Then times, best of several runs each, through the Flask app:

- the portfolio overview (first page, 25 towns),
- one peer benchmark (a town's page with its benchmark: the query in SQL), and the query alone,
- one round report (HTML, with the trend across rounds and the action plan),

for 1,100 towns and for 10, and prints the ratios. Nothing asserts a time.

    python benchmarks/portfolio.py [--towns 1100] [--small 10] [--runs 7]
        [--postgres postgresql+psycopg://USER@HOST:PORT/DB]   (its database is emptied)
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "assess" / "__init__.py").is_file() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from assess.answers import STATES  # noqa: E402
from assess.library import Library  # noqa: E402
from assess.model import size_class_for  # noqa: E402

QUICK = Library().questionnaire("quickcheck")
ROUNDS = (("Erhebung 2022", "2022-10-01"), ("Erhebung 2024", "2024-10-01"), ("Erhebung 2026", "2026-10-01"))
PEOPLE = 5
ROLES = ("Bürgermeister/in", "Hauptamt", "IT", "Kämmerei", "Bürgerbüro")
# Rough shares of the Länder among Germany's ~10,800 municipalities (most in BY, BW, RP, SH, NI).
STATE_WEIGHTS = {"BY": 19, "RP": 21, "BW": 10, "SH": 10, "NI": 9, "TH": 6, "ST": 2, "SN": 4, "BB": 4, "MV": 7,
                 "HE": 4, "NW": 4, "SL": 1, "BE": 0.1, "HB": 0.1, "HH": 0.1}


def town_rows(count: int, rng: random.Random) -> list[dict]:
    states = list(STATE_WEIGHTS)
    rows = []
    for i in range(count):
        population = int(min(600_000, max(300, rng.lognormvariate(math.log(4500), 1.2))))
        rows.append({"name": f"Gemeinde {i + 1:04d}", "population": population, "ags": f"{i + 1:08d}",
                     "state": rng.choices(states, weights=[STATE_WEIGHTS[s] for s in states])[0],
                     "peer_opt_in": rng.random() < 0.6, "maturity": rng.betavariate(2.2, 3.0)})
    # The town measured is the same in every size of portfolio: a Kleinstadt that opted in, answering
    # its third round right now.
    rows[0].update(population=12_400, state="BY", peer_opt_in=True, maturity=0.4)
    return rows


def respondent_answers(maturity: float, rng: random.Random) -> dict:
    """One person's answers: options around the town's maturity, sometimes "weiß nicht"."""
    answers = {}
    for question in QUICK.questions:
        if rng.random() < 0.05:
            answers[question.id] = "unknown"
            continue
        options = [o.id for o in question.options]
        if question.type == "multi":
            real = [o for o in options if o != "none"]
            chosen = [o for o in real if rng.random() < maturity]
            answers[question.id] = (chosen or ["none"]) if "none" in options else (chosen or real[:1])
            continue
        level = min(len(options) - 1, max(0, round(rng.gauss(maturity * (len(options) - 1), 0.8))))
        answers[question.id] = options[level]
    return answers


def _scores(job):
    """The stored score rows of one closed round, by the server's own merge and scoring (a worker)."""
    from assess.answers import Answer, AnswerSet, Municipality, Respondent
    from assess.server import models as m
    from assess.server import progress, service

    round_id, town, people = job
    facts = Municipality(town["name"], town["population"], town["state"], town["ags"])
    sets = [AnswerSet(questionnaire=QUICK.ref, municipality=facts, date="2026-01-01", path=f"p{i}",
                      respondents=(Respondent(f"Person {i}", ROLES[i]),),
                      answers=tuple(Answer(q, tuple(v) if isinstance(v, list) else v) for q, v in answers.items()))
            for i, answers in enumerate(people)]
    holder = m.Round(merge_method="median", priorities={}, targets={},
                     municipality=m.Municipality(name=town["name"], population=town["population"], state=town["state"],
                                                 ags=town["ags"]))
    result = service.merge_sets(holder, sets, QUICK)
    return round_id, progress.score_values(service.LIBRARY.assess(result.answers, QUICK))


def seed(url: str, count: int, seed_value: int = 2026) -> dict:
    """Create the app's schema and bulk-insert `count` towns with rounds, respondents, answers, stored
    scores and some tracked measures; returns ids for the measurements."""
    from sqlalchemy import insert, text

    from assess.server import create_app
    from assess.server import models as m
    from assess.server.security import hash_password

    rng = random.Random(seed_value)
    app = create_app(url)
    engine = app.extensions["assess_engine"]
    towns = town_rows(count, rng)
    measures = [mm.id for mm in Library().catalogue(QUICK).measures]
    started = time.perf_counter()
    with engine.begin() as c:
        c.execute(insert(m.User), [{"id": 1, "email": "land@programm.de", "name": "Land", "password_hash": hash_password("benchmark-pass"),
                                    "is_admin": False, "active": True, "created_at": m.now()}])
        c.execute(insert(m.Municipality), [{"id": i + 1, "owner_id": 1, "name": t["name"], "ags": t["ags"], "state": t["state"],
                                            "population": t["population"], "peer_opt_in": t["peer_opt_in"],
                                            "created_at": m.now()} for i, t in enumerate(towns)])
        rounds, people, answers, jobs, tracking = [], [], [], [], []
        round_id = person_id = answer_id = 0
        for i, town in enumerate(towns):
            maturity = town["maturity"]
            open_last = i == 0 or rng.random() < 0.2  # a fifth of the towns is answering its third round now
            for r, (label, date) in enumerate(ROUNDS):
                round_id += 1
                closed = not (open_last and r == len(ROUNDS) - 1)
                rounds.append({"id": round_id, "municipality_id": i + 1, "label": label, "questionnaire_id": QUICK.id,
                               "questionnaire_version": QUICK.version, "status": "closed" if closed else "open",
                               "merge_method": "median", "priorities": {}, "targets": {}, "created_at": m.now(),
                               "closed_at": m.now() if closed else None})
                group = []
                for p in range(PEOPLE):
                    person_id += 1
                    given = respondent_answers(maturity, rng)
                    group.append(given)
                    people.append({"id": person_id, "round_id": round_id, "name": f"Person {p}", "role": ROLES[p],
                                   "source": "import: benchmark.yaml", "date": date, "created_at": m.now()})
                    for question, value in given.items():
                        answer_id += 1
                        answers.append({"id": answer_id, "respondent_id": person_id, "question": question, "value": value,
                                        "comment": "", "evidence": "", "updated_at": m.now()})
                if closed:
                    jobs.append((round_id, town, group))
                maturity = min(1.0, maturity + rng.uniform(-0.03, 0.12))
            for measure in rng.sample(measures, 3):
                tracking.append({"municipality_id": i + 1, "measure": measure, "accepted": True, "owner": "Hauptamt",
                                 "due_date": __import__("datetime").date(2025, rng.randint(1, 12), 1),
                                 "status": rng.choice(("offen", "in_arbeit", "erledigt", "erledigt")), "reason": "",
                                 "round_id": round_id, "updated_at": m.now()})
        c.execute(insert(m.Round), rounds)
        c.execute(insert(m.Respondent), people)
        for start in range(0, len(answers), 20_000):
            c.execute(insert(m.AnswerRow), answers[start:start + 20_000])
        c.execute(insert(m.MeasureTracking), tracking)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    by_id = {r["id"]: r for r in rounds}
    latest = {}
    for r in rounds:
        if r["status"] == "closed":
            latest[r["municipality_id"]] = r["id"]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        computed = list(pool.map(_scores, jobs, chunksize=50))
    rows = []
    for rid, values in computed:
        town = towns[by_id[rid]["municipality_id"] - 1]
        for v in values:
            rows.append({"round_id": rid, "municipality_id": by_id[rid]["municipality_id"], "questionnaire_id": QUICK.id,
                         "questionnaire_version": QUICK.version, "size_class": size_class_for(town["population"]),
                         "state": town["state"], "latest": latest[by_id[rid]["municipality_id"]] == rid,
                         "peer": latest[by_id[rid]["municipality_id"]] == rid and town["peer_opt_in"], **v})
    with engine.begin() as c:
        c.execute(insert(m.RoundScore), rows)
        if engine.dialect.name == "postgresql":
            c.execute(text("ANALYZE"))  # what autovacuum does shortly after a bulk load
    scored = time.perf_counter() - started
    chosen_rounds = [r["id"] for r in rounds if r["municipality_id"] == 1]
    return {"app": app, "town": 1, "round": chosen_rounds[-1], "inserted": inserted, "scored": scored,
            "answers": len(answers)}


def best(call, runs: int) -> float:
    call()  # warm: templates compiled, caches filled
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(world: dict, runs: int) -> dict:
    from assess.server import benchmark
    from assess.server import models as m

    app = world["app"]
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf"] = "bench"
    assert client.post("/login", data={"email": "land@programm.de", "password": "benchmark-pass",
                                       "csrf_token": "bench"}).status_code == 302

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def query():
        with app.extensions["assess_sessions"]() as db:
            return benchmark.benchmark(db, db.get(m.Municipality, world["town"]), QUICK.id)

    found = query()
    print(f"  peer group of the measured town: {found.scope if found else 'none'}, {found.count if found else 0} towns",
          flush=True)

    return {"portfolio page": best(lambda: get("/portfolio"), runs),
            "peer benchmark (town page)": best(lambda: get(f"/towns/{world['town']}"), runs),
            "peer benchmark (query)": best(query, runs),
            "round report (HTML)": best(lambda: get(f"/rounds/{world['round']}/report.html"), max(3, runs // 2))}


def run(label: str, url_for, towns: int, small: int, runs: int) -> None:
    results = {}
    for count in (small, towns):
        url = url_for(count)
        world = seed(url, count)
        print(f"{label}: seeded {count} towns ({world['answers']:,} answers) in {world['inserted']:.1f} s, "
              f"stored scores of closed rounds in {world['scored']:.1f} s", flush=True)
        results[count] = measure(world, runs)
        world["app"].extensions["assess_engine"].dispose()
    print(f"\n| {label} | {small} towns | {towns} towns | ratio |\n| --- | ---: | ---: | ---: |")
    for what in results[small]:
        a, b = results[small][what], results[towns][what]
        print(f"| {what} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {b / a:.2f} |")
    print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--towns", type=int, default=1100)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", default=os.environ.get("ASSESS_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", lambda n: f"sqlite:///{folder}/portfolio-{n}.db", args.towns, args.small, args.runs)
    if args.postgres:
        from sqlalchemy import create_engine, text

        def fresh(_n):
            engine = create_engine(args.postgres)
            with engine.begin() as c:
                c.execute(text("DROP SCHEMA public CASCADE"))
                c.execute(text("CREATE SCHEMA public"))
            engine.dispose()
            return args.postgres

        run("PostgreSQL", fresh, args.towns, args.small, args.runs)


if __name__ == "__main__":
    main()
