"""A cache of checked questionnaires and catalogues in the user's cache folder, across processes.

Reading and checking the Digital-Check takes about ten times longer than loading the checked model
back. Entries are keyed by the file's content and by the code that reads it, so a changed file or a
new release of assess never sees a stale entry. Only assess writes there (the user's own cache
folder, never the working folder); an entry that cannot be read is ignored and rewritten.

`ASSESS_CACHE_DIR` chooses another folder; `ASSESS_CACHE_DIR=off` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

MAX_ENTRIES = 64  # beyond this, the least recently written entries are removed

# The modules whose code shapes what is cached: a change to any of them gives new keys.
READERS = ("model.py", "loading.py", "yamlfile.py", "conditions.py", "errors.py", "diskcache.py")


@lru_cache(maxsize=1)
def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get("ASSESS_CACHE_DIR", "")
    if chosen.lower() in ("off", "0", "none"):
        return None
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("assess", appauthor=False))


@lru_cache(maxsize=4)
def _code_digest(names: tuple[str, ...] = READERS) -> bytes:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in names:
        digest.update((here / name).read_bytes())
    return digest.digest()


def key(*parts: bytes, code: tuple[str, ...] = READERS) -> str:
    """A cache key for content parts (file digests), bound to the current code of the modules `code`
    (by default the readers of questionnaires and catalogues)."""
    digest = hashlib.sha256(_code_digest(code))
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def load(entry: str):
    """The cached object for `entry`, or None."""
    base = folder()
    if base is None:
        return None
    try:
        with open(base / f"{entry}.pickle", "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing, partial or outdated entry is simply rebuilt
        return None


def store(entry: str, value) -> None:
    """Keep `value` for `entry`; a cache that cannot be written is skipped silently."""
    base = folder()
    if base is None:
        return
    try:
        base.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=base, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, base / f"{entry}.pickle")
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(base)
    except OSError:
        pass


def _prune(base: Path) -> None:
    """Keep the folder small: remove the oldest entries beyond MAX_ENTRIES."""
    entries = list(base.glob("*.pickle"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - MAX_ENTRIES]:
        old.unlink(missing_ok=True)
