"""`assess serve` and `assess users`: the web application and its accounts (optional extra `server`).

Flask and SQLAlchemy are imported inside the commands, so `assess --help` stays fast and the core
install works without them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assess.bilingual import Text
from assess.cli.messages import echo, say, text
from assess.errors import AssessError, MissingExtraError

DATABASE = click.option("--database-url", envvar="ASSESS_DATABASE_URL", default="sqlite:///assess.db", show_default=True,
                        help="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST/DB "
                             "(or set ASSESS_DATABASE_URL).")


def _need_server_extra():
    try:
        import flask  # noqa: F401
        import sqlalchemy  # noqa: F401
        import alembic  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(exc.name or "flask", "server", Text("„assess serve“", "'assess serve'")) from None


def _sessions(url: str):
    from assess.server import db

    engine = db.make_engine(url)
    try:
        db.migrate(engine)
    except Exception as exc:  # e.g. the database server is down or the URL is wrong
        raise AssessError(Text(f"die Datenbank {_shown(url)} ist nicht erreichbar: {_first_line(exc)}",
                               f"cannot reach the database {_shown(url)}: {_first_line(exc)}")) from None
    return db.session_factory(engine)


def _first_line(exc: Exception) -> str:
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]


def _shown(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"


def register(cli, handle_errors, lang_option) -> None:
    @cli.command()
    @DATABASE
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for all).")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
    @click.option("--demo", is_flag=True, help="Start on a temporary database with Musterstadt, two respondents and a login.")
    @click.option("--behind-proxy", is_flag=True, help="Trust X-Forwarded-For/-Proto/-Host from one reverse proxy.")
    @lang_option
    @handle_errors
    def serve(database_url, host, port, demo, behind_proxy, lang):
        """Start the web application: coordinators invite a team, everybody answers in the browser.

        Answers live in a database (default: the SQLite file assess.db here); migrations run on
        start. For production, run it with gunicorn behind the town's reverse proxy (docs/server.md).

        \b
        Examples:
          assess serve --demo
          assess users add hauptamt@musterstadt.de && assess serve
          assess serve --database-url postgresql+psycopg://assess@db.example/assess
        """
        _need_server_extra()
        from werkzeug.serving import run_simple

        from assess.server import create_app

        if demo:
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="assess-demo-"))
            database_url = f"sqlite:///{folder / 'demo.db'}"
        try:
            app = create_app(database_url, behind_proxy=behind_proxy)
        except Exception as exc:
            raise AssessError(Text(f"die Datenbank {_shown(database_url)} ist nicht erreichbar: {_first_line(exc)}",
                                   f"cannot reach the database {_shown(database_url)}: {_first_line(exc)}")) from None
        base = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"
        if demo:
            _demo(app, base, lang)
        elif not _has_accounts(app):
            say("serve_no_account", lang)
        say("serve_running", lang, url=f"{base}/", database=_shown(database_url))
        run_simple(host, port, app, threaded=True, use_reloader=False)

    @cli.group()
    def users():
        """Manage coordinator accounts (add, list, disable)."""

    @users.command("add")
    @click.argument("email")
    @click.option("--name", default="", help="Display name.")
    @click.option("--admin", is_flag=True, help="May manage other accounts in the browser.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
    @DATABASE
    @lang_option
    @handle_errors
    def users_add(email, name, admin, password_stdin, database_url, lang):
        """Add a coordinator account; asks for the password (at least 10 characters).

        Example: assess users add hauptamt@musterstadt.de --name "Petra Schneider"
        """
        _need_server_extra()
        from sqlalchemy import func, select

        from assess.server.security import MIN_PASSWORD
        from assess.server.models import User
        from assess.server.security import hash_password

        email = email.strip().lower()
        if "@" not in email:
            raise AssessError(Text(f"„{email}“ ist keine E-Mail-Adresse", f"'{email}' is not an e-mail address"))
        import getpass

        password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("Passwort / password: ")
        if len(password) < MIN_PASSWORD:
            raise AssessError(Text(f"das Passwort braucht mindestens {MIN_PASSWORD} Zeichen",
                                   f"the password needs at least {MIN_PASSWORD} characters"))
        with _sessions(database_url)() as db:
            if db.scalar(select(User).where(func.lower(User.email) == email)):
                raise AssessError(Text(f"ein Konto {email} gibt es schon", f"an account {email} already exists"))
            db.add(User(email=email, name=name, password_hash=hash_password(password), is_admin=admin))
            db.commit()
        say("user_added", lang, email=email)

    @users.command("list")
    @DATABASE
    @lang_option
    @handle_errors
    def users_list(database_url, lang):
        """List the accounts: e-mail, name, admin, active or disabled.

        Example: assess users list --database-url sqlite:///assess.db
        """
        _need_server_extra()
        from sqlalchemy import select

        from assess.server.models import User

        with _sessions(database_url)() as db:
            for user in db.scalars(select(User).order_by(User.email)):
                flags = ["admin" if user.is_admin else "", text("user_active" if user.active else "user_inactive", lang)]
                echo("  ".join([user.email, user.name or "-", *[f for f in flags if f]]))

    @users.command("disable")
    @click.argument("email")
    @DATABASE
    @lang_option
    @handle_errors
    def users_disable(email, database_url, lang):
        """Disable an account: it can no longer sign in, its sessions end at once; data stays.

        Example: assess users disable hauptamt@musterstadt.de
        """
        _need_server_extra()
        from sqlalchemy import func, select

        from assess.server.models import User

        with _sessions(database_url)() as db:
            user = db.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
            if user is None:
                raise AssessError(Text(f"ein Konto {email} gibt es nicht", f"there is no account {email}"))
            user.active = False
            db.commit()
        say("user_disabled", lang, email=email)


def _has_accounts(app) -> bool:
    from sqlalchemy import select

    from assess.server.models import User

    with app.extensions["assess_sessions"]() as db:
        return db.scalar(select(User.id).limit(1)) is not None


def _demo(app, base: str, lang: str) -> None:
    """Musterstadt, a round of the full Digital-Check, two respondents (one with answers) and a login."""
    import datetime as dt

    from sqlalchemy import select

    from assess.resources import example_path
    from assess.server import service
    from assess.server.models import Municipality, Respondent, Round, User, now
    from assess.server.security import hash_password, new_token, token_hash

    example, q = service.LIBRARY.read_answers(example_path("musterstadt.yaml"))
    import secrets

    password = secrets.token_urlsafe(9)
    links = []
    with app.extensions["assess_sessions"]() as db:
        user = User(email="demo@musterstadt.example", name="Demo", password_hash=hash_password(password), is_admin=True)
        db.add(user)
        db.flush()
        facts = example.municipality
        town = Municipality(owner_id=user.id, name=facts.name, ags=facts.ags, state=facts.state, population=facts.population)
        db.add(town)
        db.flush()
        round_ = Round(municipality_id=town.id, label="Digital-Check 2026", questionnaire_id=q.id,
                       questionnaire_version=q.version, priorities={}, targets={})
        db.add(round_)
        db.flush()
        for name, role in (("Petra Schneider", "Hauptamt"), ("Stefan Lechner", "IT")):
            token = new_token()
            db.add(Respondent(round_id=round_.id, name=name, role=role, token_hash=token_hash(token),
                              expires_at=now() + dt.timedelta(days=30), source="link", date=""))
            links.append((name, role, f"{base}/r/{token}"))
        db.commit()
        first = db.scalars(select(Respondent).where(Respondent.round_id == round_.id).order_by(Respondent.id)).first()
        for answer in example.answers:
            service.save_answer(db, first, q, {"question": answer.question,
                                               "value": list(answer.value) if isinstance(answer.value, tuple) else answer.value,
                                               "comment": answer.comment})
    say("serve_demo", lang)
    say("serve_demo_login", lang, url=f"{base}/login", email="demo@musterstadt.example", password=password)
    for name, role, link in links:
        echo(f"  {name} ({role}): {link}")
