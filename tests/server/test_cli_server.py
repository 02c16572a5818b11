"""`assess users` and `assess serve --demo` as a user runs them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner

from assess.cli import cli
from tests.server.helpers import free_port


def test_assess_help_does_not_import_the_server_stack():
    code = "import sys; from assess.cli import cli; print(any(m in sys.modules for m in ('flask', 'sqlalchemy', 'alembic')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_users_add_list_disable(sqlite_url):
    runner = CliRunner()
    args = ["--database-url", sqlite_url]
    result = runner.invoke(cli, ["users", "add", "Hauptamt@Musterstadt.de", "--name", "Petra", "--password-stdin", *args],
                           input="lang-genug-123\n")
    assert result.exit_code == 0, result.output
    short = runner.invoke(cli, ["users", "add", "it@musterstadt.de", "--password-stdin", *args], input="kurz\n")
    assert short.exit_code == 1 and "10" in short.output
    again = runner.invoke(cli, ["users", "add", "hauptamt@musterstadt.de", "--password-stdin", *args], input="lang-genug-123\n")
    assert again.exit_code == 1 and "gibt es schon" in again.output
    listed = runner.invoke(cli, ["users", "list", *args])
    assert "hauptamt@musterstadt.de  Petra  aktiv" in listed.output
    assert runner.invoke(cli, ["users", "disable", "hauptamt@musterstadt.de", *args]).exit_code == 0
    assert "hauptamt@musterstadt.de  Petra  gesperrt" in runner.invoke(cli, ["users", "list", *args]).output
    assert "Petra  disabled" in runner.invoke(cli, ["users", "list", "--lang", "en", *args]).output
    missing = runner.invoke(cli, ["users", "disable", "niemand@example.org", *args])
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_an_unreachable_database_is_a_clear_message(tmp_path):
    result = CliRunner().invoke(cli, ["users", "list", "--database-url", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "nicht erreichbar" in result.output and "secret" not in result.output and "Traceback" not in result.output


def test_serve_demo_prints_a_login_that_works_and_links_that_open():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "assess", "serve", "--demo", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("Strg+C" in line for line in lines):
            lines.append(process.stdout.readline())
        output = "".join(lines)
        assert f"http://localhost:{port}/" in output, output
        password = re.search(r"Passwort: (\S+)", output).group(1)
        links = re.findall(r"(http://localhost:\d+/r/\S+)", output)
        assert len(links) == 2
        for _ in range(50):
            try:
                page = urllib.request.urlopen(links[0], timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Musterstadt" in page and "Petra Schneider" in page
        assert '"sec_backup"' in page.split('"prefill"', 1)[1]  # the first respondent has answered already
        from http.cookiejar import CookieJar
        from urllib.parse import urlencode

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        login = opener.open(f"http://localhost:{port}/login").read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        towns = opener.open(f"http://localhost:{port}/login", urlencode(
            {"email": "demo@musterstadt.example", "password": password, "csrf_token": csrf}).encode()).read().decode()
        assert "Musterstadt" in towns and "Ihre Gemeinden" in towns
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()


def test_a_port_in_use_is_a_clear_message(sqlite_url):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "assess", "serve", "--database-url", sqlite_url, "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1  # werkzeug says so itself
    assert f"Port {port} is in use" in result.stderr and "Traceback" not in result.stderr
