"""The batch's worker pool (intake/workers.py) on its own: replies in order, a bug in a
worker comes back as itself, a dead worker is reported, a dead parent ends the workers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from typing import Any

import pytest

from legpress_diag.intake.workers import Pool, WorkerDied, WorkerFailed


def _double(task: int) -> int:
    if task < 0:
        raise ValueError(f"negative task {task}")
    return 2 * task


def _unpicklable(task: int) -> int:
    class Local(Exception):  # a local class cannot be pickled
        pass

    raise Local("no way back as itself")


def _die(task: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return task


def _nothing() -> None:
    pass


def _refuse() -> None:
    raise RuntimeError("the rule base did not load")


CONTEXTS = [m for m in ("fork", "spawn") if m in multiprocessing.get_all_start_methods()]


def _pool(method: str, function: Any, initializer: Any = _nothing) -> Pool:
    context = multiprocessing.get_context(method)
    return Pool(2, context, function, initializer, ())  # type: ignore[arg-type]


@pytest.mark.parametrize("method", CONTEXTS)
def test_results_come_back_per_worker_in_order(method: str) -> None:
    pool = _pool(method, _double)
    try:
        given = [(pool.submit(n), n) for n in range(10)]
        assert sorted({worker for worker, _ in given}) == [0, 1]  # both got work
        assert [pool.result(worker) for worker, _ in given] == [2 * n for _, n in given]
        pool.close()
    finally:
        pool.kill()


def test_an_exception_in_a_worker_is_raised_in_the_parent_with_where() -> None:
    pool = _pool(CONTEXTS[0], _double)
    try:
        with pytest.raises(ValueError, match="negative task -3") as raised:
            pool.result(pool.submit(-3))
        assert "in a worker process" in "".join(raised.value.__notes__)
        assert pool.result(pool.submit(4)) == 8  # the worker goes on
    finally:
        pool.kill()


def test_an_exception_that_cannot_be_pickled_comes_back_as_text() -> None:
    pool = _pool(CONTEXTS[0], _unpicklable)
    try:
        with pytest.raises(WorkerFailed, match="no way back as itself"):
            pool.result(pool.submit(1))
    finally:
        pool.kill()


def test_a_failing_initializer_is_raised_at_the_first_result() -> None:
    pool = _pool(CONTEXTS[0], _double, _refuse)
    try:
        with pytest.raises(RuntimeError, match="the rule base did not load"):
            pool.result(pool.submit(1))
    finally:
        pool.kill()


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    pool = _pool(CONTEXTS[0], _die)
    try:
        with pytest.raises(WorkerDied, match="a worker process died"):
            pool.result(pool.submit(1))
    finally:
        pool.kill()


def _pipe_ends(pid: int | str) -> set[tuple[str, int]]:
    """The pipes ``pid`` holds open: (pipe:[inode], 0 for a read end or 1 for a write end)."""
    ends = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                flags = next(line for line in info if line.startswith("flags:"))
        except OSError:
            continue  # the listing's own descriptor, closed by now
        if target.startswith("pipe:"):
            ends.add((target, int(flags.split()[1], 8) & 3))
    return ends


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_each_pipe_end_is_held_by_one_process_only() -> None:
    # What makes a death visible: a forked worker that kept the parent's end of a
    # pipe (its own or another worker's) would never see end of file when the parent
    # dies; after a kill -9 of the command such workers lingered for ever.
    pool = _pool("fork", _double)
    try:
        # One reply from each worker: by then each has closed what it inherited.
        given = [pool.submit(n) for n in (1, 2)]
        assert given == [0, 1] and [pool.result(w) for w in given] == [2, 4]
        assert all(w.in_flight == 0 for w in pool._workers)
        pipes = []
        for worker in pool._workers:
            tasks = os.readlink(f"/proc/self/fd/{worker.tasks.fileno()}")
            results = os.readlink(f"/proc/self/fd/{worker.results.fileno()}")
            pipes.append((worker.process.pid, tasks, results))
        for pid, tasks, results in pipes:
            assert pid is not None
            held = _pipe_ends(pid)
            assert (tasks, 0) in held and (results, 1) in held  # the worker's own ends
            assert (tasks, 1) not in held and (results, 0) not in held  # not the parent's
            others = {p for _, t, r in pipes for p in (t, r)} - {tasks, results}
            assert not {end for end in held if end[0] in others}  # nothing of the others'
        pool.close()
    finally:
        pool.kill()
