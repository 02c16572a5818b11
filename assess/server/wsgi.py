"""The WSGI entry for gunicorn: `ASSESS_DATABASE_URL=... gunicorn --preload assess.server.wsgi:app`."""

import os

from assess.server import create_app

app = create_app(os.environ.get("ASSESS_DATABASE_URL", "sqlite:///assess.db"),
                 behind_proxy=os.environ.get("ASSESS_BEHIND_PROXY", "1") == "1")
