"""No answer lost: kill the server process while two respondents are saving, restart, compare."""

from __future__ import annotations

import http.cookiejar
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from tests.server.helpers import DIGITAL, create_round, create_town, free_port, invite, sign_in, start_server

Q = DIGITAL
SINGLE = [q for q in Q.questions if q.type == "single" and q.when is None]


class Respondent:
    """A browser in plain HTTP: opens the link (cookie + CSRF token), then saves answers."""

    def __init__(self, base: str, link: str):
        self.base, self.link = base, link
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.acknowledged: dict[str, str] = {}
        self.in_flight: tuple[str, str] | None = None
        self.csrf = self.page()["server"]["csrf"]

    def page(self) -> dict:
        html = self.opener.open(self.base + self.link, timeout=10).read().decode()
        return json.loads(html.split('id="assess-data">', 1)[1].split("</script>", 1)[0])

    def run(self, stop: threading.Event, offset: int) -> None:
        i = offset
        while not stop.is_set():
            question = SINGLE[i % len(SINGLE)]
            value = question.options[(i // len(SINGLE)) % len(question.options)].id
            self.in_flight = (question.id, value)
            request = urllib.request.Request(self.base + self.link + "/answer", method="POST",
                                             data=json.dumps({"question": question.id, "value": value}).encode(),
                                             headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf})
            try:
                if self.opener.open(request, timeout=10).status == 200:
                    self.acknowledged[question.id] = value
                    self.in_flight = None
            except (urllib.error.URLError, ConnectionError, OSError):
                return  # the server is gone
            i += 1


def test_a_killed_server_loses_no_acknowledged_answer(database_url):
    from assess.server import create_app

    app = create_app(database_url, testing=True)
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    round_id = create_round(coordinator, create_town(coordinator), DIGITAL.ref)
    links = [invite(coordinator, round_id, "Petra"), invite(coordinator, round_id, "Stefan")]
    app.extensions["assess_engine"].dispose()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(database_url, port)
    try:
        people = [Respondent(base, link) for link in links]
        stop = threading.Event()
        threads = [threading.Thread(target=p.run, args=(stop, n * 7)) for n, p in enumerate(people)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while sum(len(p.acknowledged) for p in people) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)  # mid-stream: requests are in flight
        server.wait(10)
        stop.set()
        for thread in threads:
            thread.join(15)
        assert sum(len(p.acknowledged) for p in people) >= 40
    finally:
        if server.poll() is None:
            server.kill()
        server.stdout.close()

    server = start_server(database_url, port)  # the same cookies and links work after the restart
    try:
        for person in people:
            stored = person.page()["prefill"]["answers"]
            for question, value in person.acknowledged.items():
                if person.in_flight and person.in_flight[0] == question:
                    assert stored[question] in (value, person.in_flight[1])  # the unacknowledged write may have landed
                else:
                    assert stored.get(question) == value, question
    finally:
        server.terminate()
        server.wait(10)
        server.stdout.close()


def test_two_server_processes_serve_one_database(database_url):
    """Stateless apart from the database: a session opened on one process works on the other, and
    what one saves the other shows (as several gunicorn workers or hosts would)."""
    from assess.server import create_app

    app = create_app(database_url, testing=True)
    coordinator = sign_in(app, "hauptamt@musterstadt.de")
    round_id = create_round(coordinator, create_town(coordinator), DIGITAL.ref)
    link = invite(coordinator, round_id, "Petra")
    app.extensions["assess_engine"].dispose()
    ports = [free_port(), free_port()]
    servers = [start_server(database_url, port) for port in ports]
    try:
        person = Respondent(f"http://127.0.0.1:{ports[0]}", link)  # session and CSRF token from the first
        person.base = f"http://127.0.0.1:{ports[1]}"
        question = SINGLE[0]
        request = urllib.request.Request(person.base + link + "/answer", method="POST",
                                         data=json.dumps({"question": question.id, "value": question.options[0].id}).encode(),
                                         headers={"Content-Type": "application/json", "X-CSRF-Token": person.csrf})
        assert person.opener.open(request, timeout=10).status == 200  # accepted by the second
        person.base = f"http://127.0.0.1:{ports[0]}"
        assert person.page()["prefill"]["answers"] == {question.id: question.options[0].id}  # shown by the first
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
            server.stdout.close()


def test_several_servers_starting_at_once_on_an_empty_database_migrate_it_once(database_url):
    ports = [free_port() for _ in range(3)]
    processes = [subprocess.Popen([sys.executable, "-m", "assess", "serve", "--database-url", database_url, "--port", str(p)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for p in ports]
    try:
        for port, process in zip(ports, processes):
            deadline = time.monotonic() + 60
            while True:
                try:
                    assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert process.poll() is None, process.stdout.read().decode()
                    assert time.monotonic() < deadline, "did not start"
                    time.sleep(0.2)
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
            process.stdout.close()
