"""Writing output files safely — the one place for it (docs/security.md):

- atomically: the data goes to a temporary file beside the target, is flushed to disk and then
  renamed over the target, so a crash leaves the old file or the new one, never half of one;
- exclusively unless overwriting is asked for (`--force`): the finished temporary file is hard-linked
  to the target name, which fails if the name exists — of eight runs racing for one new name exactly
  one wins, the others are told the file exists (where the file system has no hard links, the name is
  reserved with O_EXCL first);
- never over anything but a regular file, even with `--force`: a folder, pipe (FIFO), device or
  socket at the target is refused, a symbolic link as well (it would be replaced, not followed);
- temporary files of runs that were killed are removed on the next write into that folder — only
  ours (`.<name>.assess-<pid>-<random>.tmp`), only when their process is gone or they are an hour old;
- a lock file beside a file being edited (`.<name>.lock`: process, host, user, start time) keeps a
  second interview from overwriting the first one's answers.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from assess import texts
from assess.errors import OutputError, OutputExistsError

TMP_PATTERN = re.compile(r"^\..*\.assess-(\d+)-\w+\.tmp$")
STALE_AFTER = 3600  # seconds: a temporary file this old is stale even if its process number is in use
DEAD_GRACE = 10  # seconds: a temporary file of a finished process is left alone this long (another host?)


def check_output(path: Path, force: bool) -> None:
    """Refuse early (before any work) to write over an existing file without `force`, and over
    anything but a regular file at all. The write itself checks again: this is only the early answer."""
    path = Path(path)
    kind = _kind(path)
    if kind is None:
        return
    if kind != "file":
        raise OutputError(texts.both("files.not_regular", path=path, kind=texts.both(f"files.kind.{kind}")))
    if not force:
        raise OutputExistsError(texts.both("files.exists", path=path))


def write_text(path: Path, text: str, overwrite: bool = True) -> None:
    """Write `text` as UTF-8 (see `write_bytes`)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: no UTF-8 file can hold it
        raise OutputError(texts.both("files.cannot_write", path=path, reason=f"{exc.reason} ({exc.start})")) from None
    write_bytes(path, data, overwrite)


def write_bytes(path: Path, data: bytes, overwrite: bool = True) -> None:
    """Write `data` to `path` atomically; with `overwrite` False only if `path` does not exist yet.

    Raises OutputExistsError when the file exists and may not be overwritten, OutputError (with the
    reason) when it cannot be written or is not a regular file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _clean_once(path.parent)
        check_output(path, True)
        mode = _mode_for(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.assess-{os.getpid()}-", suffix=".tmp", dir=path.parent)
        try:
            os.chmod(tmp, mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if overwrite:
                os.replace(tmp, path)
            else:
                _link_new(tmp, path, mode)
        finally:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
    except OSError as exc:
        raise OutputError(texts.both("files.cannot_write", path=path, reason=exc.strerror or exc)) from None


def write_folder(folder: Path, files: dict[str, bytes], overwrite: bool = True) -> list[Path]:
    """Write several files into `folder` all or none: into a temporary folder beside it first, then
    moved in at the end (a new folder is renamed in one step). Without `overwrite`, an existing file
    of the same name stops the whole move and nothing stays behind."""
    folder = Path(folder)
    targets = [folder / name for name in files]
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        _clean_once(folder.parent)
        if folder.exists() and not folder.is_dir():
            check_output(folder, True)  # a file (or worse) where the folder should be
        if not overwrite:
            for target in targets:
                check_output(target, False)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name[:100]}.assess-{os.getpid()}-", suffix=".tmp",
                                        dir=folder.parent))
        try:
            mode = _mode_for(staging / "new")
            for name, data in files.items():
                with open(staging / name, "wb") as handle:
                    os.chmod(handle.fileno(), mode)
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            try:
                os.rename(staging, folder)  # a new folder: all files appear at once
            except OSError:
                pass  # the folder exists: move file by file
            else:
                os.chmod(folder, 0o777 & ~_umask())  # a folder as mkdir makes it (mkdtemp's is private)
                return targets
            for target in targets:
                check_output(target, True)
            moved: list[Path] = []
            try:
                for name, target in zip(files, targets):
                    if overwrite:
                        os.replace(staging / name, target)
                    else:
                        _link_new(str(staging / name), target, mode)
                    moved.append(target)
            except BaseException:
                if not overwrite:  # take back what this run put there
                    for target in moved:
                        os.unlink(target)
                raise
            return targets
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise OutputError(texts.both("files.cannot_write", path=folder, reason=exc.strerror or exc)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _link_new(tmp: str, path: Path, mode: int) -> None:
    """Give the finished temporary file the name `path`, failing if that name exists."""
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise OutputExistsError(texts.both("files.exists", path=path)) from None
    except OSError:  # no hard links here (some network and FAT file systems): reserve the name instead
        pass
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    except FileExistsError:
        raise OutputExistsError(texts.both("files.exists", path=path)) from None
    os.replace(tmp, path)


def _kind(path: Path) -> str | None:
    """What is at `path` without following a link: None (nothing), file, folder, link, fifo, device, socket."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None  # a file where a folder of the path should be: creating it fails with its own reason
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "other"


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_umask()


_CLEANED: set = set()  # folders already cleaned by this process: a batch writes thousands of files into one


def _clean_once(folder: Path) -> None:
    key = os.path.abspath(folder)
    if key not in _CLEANED:
        clean_stale(folder)
        _CLEANED.add(key)


def clean_stale(folder: Path) -> list[Path]:
    """Remove our own temporary files that a killed run left in `folder`; return what was removed."""
    removed = []
    try:
        names = [e.name for e in os.scandir(folder) if e.name.endswith(".tmp") and TMP_PATTERN.match(e.name)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        path = Path(folder) / name
        try:
            age = now - os.lstat(path).st_mtime
            pid = int(TMP_PATTERN.match(name).group(1))
            if age > STALE_AFTER or (age > DEAD_GRACE and not _alive(pid)):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    os.unlink(path)
                removed.append(path)
        except (OSError, ValueError):
            continue
    return removed


def _alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine. On Windows os.kill would end the process, so there
    every process counts as running: stale files and locks are then recognised by age only."""
    if pid == os.getpid() or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # a process of another user (or a number no process can have)
    return True


# --- lock files --------------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """The lock file of `path`: `.name.lock` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


@contextmanager
def edit_lock(path: Path, notes: list | None = None):
    """Hold the lock of `path` while the block runs.

    Raises OutputError naming who holds it ("wird gerade von … bearbeitet (seit …)") when another live
    process does. A lock whose process is gone on this host (a killed interview) is taken over; a
    note saying so is appended to `notes`."""
    lock = lock_path(path)
    me = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(),
          "since": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(lock.parent)  # what a killed run left, already at the start
    except OSError as exc:
        raise OutputError(texts.both("files.cannot_write", path=path, reason=exc.strerror or exc)) from None
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _holder(lock)
            if holder == {}:  # released meanwhile: try again
                continue
            if holder is None or (holder.get("host") == me["host"] and not _alive(int(holder["pid"]))):
                if holder is not None and notes is not None:
                    notes.append(texts.both("files.lock_taken_over", path=path, **_shown(holder)))
                _remove_if_same(lock, holder)
                continue
            raise OutputError(texts.both("files.busy", path=path, lock=lock, **_shown(holder))) from None
        except OSError as exc:
            raise OutputError(texts.both("files.cannot_write", path=path, reason=exc.strerror or exc)) from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(me, handle)
        break
    else:  # three takeovers lost to other processes: somebody else is starting right now
        raise OutputError(texts.both("files.busy", path=path, lock=lock, **_shown(_holder(lock) or me)))
    try:
        yield lock
    finally:
        if _holder(lock) == me:
            try:
                os.unlink(lock)
            except OSError:
                pass


def _holder(lock: Path) -> dict | None:
    """Who holds the lock, or None for a lock file that cannot be read as one (half written, broken)."""
    for attempt in range(2):
        try:
            data = json.loads(lock.read_text(encoding="utf-8"))
            if isinstance(data, dict) and str(data.get("pid", "")).isdigit():
                return data
        except FileNotFoundError:
            return {}  # gone meanwhile: treated as free (the caller tries again)
        except (OSError, ValueError):
            pass
        if attempt == 0:
            time.sleep(0.05)  # a lock being written right now
    return None


def _remove_if_same(lock: Path, holder: dict | None) -> None:
    """Remove a stale lock, unless another process has taken it over in between."""
    try:
        if _holder(lock) == holder or holder is None:
            os.unlink(lock)
    except OSError:
        pass


def _shown(holder: dict) -> dict:
    since = str(holder.get("since", ""))
    try:
        since = dt.datetime.fromisoformat(since).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        pass
    return {"user": str(holder.get("user", "?"))[:60], "host": str(holder.get("host", "?"))[:60],
            "pid": str(holder.get("pid", "?"))[:12], "since": since[:40]}


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return str(os.getuid()) if hasattr(os, "getuid") else "?"

