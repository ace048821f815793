"""Worker processes for a batch, each with its own pair of pipes and no shared lock.

Why not ``concurrent.futures.ProcessPoolExecutor``: its workers share one task queue
and one result pipe, each guarded by a lock held across processes. A worker killed
while it holds the lock, or half-way through writing a result, leaves the others or
the pool's own thread waiting for ever: with ``--jobs 2``, 2 runs in 40 that had a
worker SIGKILLed hung that way (see docs/robustness.md). Here each worker has a task
pipe and a result pipe that only it and the parent hold open. When a worker dies,
the kernel closes its ends, so the parent sees the process sentinel or end of file
at once, whatever the worker was doing; nothing is left half-locked.

Chunks go to the worker with the fewest in flight and each worker answers in the
order it was given work, so the caller gets results back in input order by asking
for them chunk by chunk. This module knows nothing of records: a worker runs
``initializer(*initargs)`` once, then ``function(task)`` for each task.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar, cast

# Defined with the batch, which a run with one job uses without this module.
from .batch import WorkerDied

if TYPE_CHECKING:  # multiprocessing is imported only when a pool starts: it costs
    # every run of the command tens of milliseconds otherwise
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext, SpawnContext
    from multiprocessing.process import BaseProcess

# How long a worker asked to stop may take to exit before it is killed: it has no
# work left by then, so this is only reached if something is badly wrong.
STOP_SECONDS = 10.0


class WorkerFailed(Exception):
    """A worker raised an exception that could not be sent back as itself (a bug)."""


# What a worker is given and what it answers: whatever the caller's function takes and
# returns, as long as it pickles.
Task = TypeVar("Task")
Answer = TypeVar("Answer")

DIED = "a worker process died (killed from outside, perhaps by the out-of-memory killer)"


@dataclass
class _Worker:
    process: BaseProcess
    tasks: Connection  # the parent's sending end of the worker's task pipe
    results: Connection  # the parent's receiving end of the worker's result pipe
    in_flight: int = 0


class Pool(Generic[Task, Answer]):
    """``jobs`` worker processes; ``submit`` a task, then ``result`` in any order per
    worker (each worker's results come back in the order its tasks were given)."""

    def __init__(
        self,
        jobs: int,
        context: ForkContext | SpawnContext,
        function: Callable[[Task], Answer],
        initializer: Callable[..., None],
        initargs: Sequence[object],
    ) -> None:
        forked = context.get_start_method() == "fork"
        self._workers: list[_Worker] = []
        try:
            for _ in range(jobs):
                self._workers.append(self._start(context, forked, function, initializer, initargs))
        except BaseException:
            self.kill()
            raise

    def _start(
        self,
        context: ForkContext | SpawnContext,
        forked: bool,
        function: Callable[[Task], Answer],
        initializer: Callable[..., None],
        initargs: Sequence[object],
    ) -> _Worker:
        task_reader, task_writer = context.Pipe(duplex=False)
        result_reader, result_writer = context.Pipe(duplex=False)
        # A forked worker inherits the parent's ends of its own pipes and of the earlier
        # workers' pipes; it closes them first, so that each end of a pipe is held by
        # one process only and a death on either side is seen as end of file.
        theirs = [end for w in self._workers for end in (w.tasks, w.results)]
        inherited = [task_writer, result_reader, *theirs] if forked else []
        process = context.Process(
            target=_serve,
            args=(task_reader, result_writer, inherited, function, initializer, tuple(initargs)),
            daemon=True,
        )
        try:
            process.start()
        finally:
            # The worker's ends now live in the worker only: when it dies they close.
            task_reader.close()
            result_writer.close()
        return _Worker(process, task_writer, result_reader)

    def submit(self, task: Task) -> int:
        """Hand ``task`` to the least busy worker and return that worker's number."""
        number = min(range(len(self._workers)), key=lambda n: self._workers[n].in_flight)
        worker = self._workers[number]
        # A send to a worker that is gone fails (no reader); that is reported by
        # ``result``, which first reads any reply it left, such as why it stopped.
        with contextlib.suppress(OSError):
            worker.tasks.send(task)
        worker.in_flight += 1
        return number

    def result(self, number: int) -> Answer:
        """The result of the oldest task still out with worker ``number``."""
        from multiprocessing.connection import wait

        worker = self._workers[number]
        # Either its reply arrives or it dies; a complete reply sent just before dying
        # is still read, and a half-written one ends in end of file, never a wait.
        ready = wait([worker.results, worker.process.sentinel])
        if worker.results not in ready:
            raise WorkerDied(DIED)
        try:
            kind, value = worker.results.recv()
        except (EOFError, OSError):
            raise WorkerDied(DIED) from None
        worker.in_flight -= 1
        if kind == "error":
            raise value
        return cast(Answer, value)  # what function(task) returned, unpickled

    def close(self) -> None:
        """Ask every worker to stop once its work is done, and wait for it (bounded)."""
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.tasks.send(None)
        for worker in self._workers:
            worker.process.join(STOP_SECONDS)
        self.kill()

    def kill(self) -> None:
        """End every worker still running now (an error, Ctrl-C, a dead worker)."""
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in self._workers:
            worker.process.join()
            worker.tasks.close()
            worker.results.close()
        self._workers = []


def _serve(
    tasks: Connection,
    results: Connection,
    inherited: list[Connection],
    function: Callable[[Task], Answer],
    initializer: Callable[..., None],
    initargs: tuple[object, ...],
) -> None:
    """A worker's life: set up, then answer each task in order until told to stop."""
    for end in inherited:
        end.close()
    try:
        initializer(*initargs)
    except BaseException as exc:
        _reply(results, "error", exc)
        return
    # A thread keeps the task pipe drained, so the parent never blocks sending a task
    # while this process blocks sending a result (each waiting for the other). The
    # parent keeps only a few tasks in flight, so what is drained stays small.
    inbox: queue.SimpleQueue[Task | None] = queue.SimpleQueue()
    threading.Thread(target=_drain, args=(tasks, inbox), daemon=True).start()
    while (task := inbox.get()) is not None:
        try:
            answer = function(task)
        except Exception as exc:
            # A bug: the parent re-raises it, with where it happened in the worker.
            exc.add_note("in a worker process:\n" + "".join(traceback.format_tb(exc.__traceback__)))
            if not _reply(results, "error", exc):
                return
            continue
        if not _reply(results, "ok", answer):
            return  # the parent is gone: nobody wants the rest


def _drain(tasks: Connection, inbox: queue.SimpleQueue[Task | None]) -> None:
    try:
        while (task := tasks.recv()) is not None:
            inbox.put(task)
    except (EOFError, OSError):
        pass  # the parent closed the pipe or died: stop after the work in hand
    inbox.put(None)


def _reply(results: Connection, kind: str, value: object) -> bool:
    """Send one reply; False when the parent is no longer there to read it."""
    try:
        results.send((kind, value))
    except (EOFError, OSError):
        return False
    except Exception:  # an exception that cannot be pickled: send its text instead
        text = (
            "".join(traceback.format_exception(value))
            if kind == "error" and isinstance(value, BaseException)
            else "a reply"
        )
        try:
            results.send(("error", WorkerFailed(f"a worker could not send back {text}")))
        except (EOFError, OSError):
            return False
    return True
