"""Work on many files shared among the machine's cores.

Reading and checking an answer file costs one to two milliseconds; a consultant's folder of a
thousand peer files or a workshop of fifty respondents adds up. On Linux the work is split into one
part per core: forked children take the first parts (they inherit everything loaded so far, so
nothing is read again) and send their results back pickled through a pipe, this process takes the
last part. Without fork (Windows, macOS), on one core or for a few items, everything runs here.
"""

from __future__ import annotations

import gc
import os
import pickle
from dataclasses import dataclass
from typing import Callable, Sequence

from assess.errors import ValidationError

FORK_FROM = 20  # items from which forking pays: a fork and the pickled results cost a few milliseconds


def cores() -> int:
    """The cores this process may use when it can fork, else 1."""
    if not hasattr(os, "fork") or not hasattr(os, "sched_getaffinity"):  # Windows, macOS
        return 1
    return min(len(os.sched_getaffinity(0)), 8)


@dataclass(frozen=True)
class Refused:
    """The problems of an item whose work raised ValidationError (an exception does not travel back
    from a child whole)."""

    problems: tuple


def each(items: Sequence, one: Callable) -> list:
    """`one(item)` for every item, in order and shared among the cores: its result, or Refused with the
    problems of its ValidationError. An item whose work failed otherwise (a child killed, a bug) is done
    once more here, so that its error is raised where it belongs."""

    def part(chunk):
        results = []
        for item in chunk:
            try:
                results.append(one(item))
            except ValidationError as exc:
                results.append(Refused(exc.problems))
            except Exception:  # done again below
                results.append(None)
        return results

    results = shared(items, part)
    for index, result in enumerate(results):
        if result is None:
            try:
                results[index] = one(items[index])
            except ValidationError as exc:
                results[index] = Refused(exc.problems)
    return results


def shared(items: Sequence, work: Callable[[Sequence], list]) -> list:
    """`work(part)` for `items` split into one part per core; the results of all parts in order, one
    per item. An item of a child that failed (killed, out of memory, an error) has None as its result:
    the caller does that item itself, where its error belongs. An error in this process's own part is
    raised after the children are reaped.

    Meanwhile the objects that already exist (questionnaires, catalogue, modules) are frozen for the
    garbage collector: it no longer walks them after every few hundred new objects (a fifth of the
    time), and a child does not copy their memory by touching them. `work` must import what it needs
    before it is called here: a child must not import (another thread may have held the import lock
    at the fork)."""
    gc.freeze()
    try:
        count = cores()
        if len(items) < FORK_FROM or count < 2:
            return work(items)
        size = -(-len(items) // count)
        parts = [items[first:first + size] for first in range(0, len(items), size)]
        return [result for part in _forked(parts, work) for result in part]
    finally:
        gc.unfreeze()


def _forked(parts: list[Sequence], work: Callable[[Sequence], list]) -> list[list]:
    children = []
    try:
        for part in parts[:-1]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: work, write, leave without running the parent's exit handlers
                code = 1
                try:
                    os.close(read_end)
                    with os.fdopen(write_end, "wb") as out:
                        pickle.dump(work(part), out, protocol=pickle.HIGHEST_PROTOCOL)
                    code = 0
                finally:
                    os._exit(code)
            os.close(write_end)
            children.append((pid, read_end, len(part)))
        mine = work(parts[-1])
    finally:  # read every child's results before waiting for it (a full pipe would block it), and reap it
        results = []
        for pid, read_end, count in children:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            results.append(pickle.loads(data) if status == 0 else [None] * count)
    return results + [mine]
