"""Inside the sandbox: run a submission's cells, then call its answers on the problems the grader sends.

    python -m coursekit.grading.collect        (started by the grader inside bubblewrap; talks on stdin/stdout)

Everything here runs in the submission's own process, so nothing here is trusted: the grader reads only
plain data back (wire.py), decides in its own process, and enforces every time limit itself. This side only
makes honest submissions work well: each cell runs in an IPython shell (magics, display, get_ipython()), a
cell that runs too long is interrupted (SIGALRM, again every half second), and each answer runs in a forked
child that is killed at the limit, so one endless answer does not cost the other exercises.

Messages, each an 8-byte length and a wire value:
  grader → here: {"op": "cells", "cells": [[index, source], …], "cell_timeout": s}
                 {"op": "collect", "exercise": id, "function": name, "pencil": bool, "cases": [args, …],
                  "timeout": s, "forbidden": [capability, …]}
                 {"op": "bye"}
  here → grader: {"event": "cell", "index": i, "status": "ok" | "error" | "timeout", "error": {…} | None}
                 {"event": "ready"}
                 {"event": "outcomes", "exercise": id, "found": "function" | "missing" | "not_callable" | …,
                  "outcomes": [outcome data, …]}
"""
import os
import signal
import sys
from types import SimpleNamespace


def _channel():
    """The protocol's pipes, and fds 0–2 pointed at /dev/null so that the submission cannot write on them."""
    reader = os.fdopen(os.dup(0), "rb", buffering=0)
    writer = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    sys.stdin = open(os.devnull)
    sys.stdout = open(os.devnull, "w")
    return reader, writer


def _read(reader, wire):
    size = reader.read(8)
    if len(size) < 8:
        return None
    length = int.from_bytes(size, "big")
    if length > wire.MAX_BYTES:
        return None
    data = b""
    while len(data) < length:
        chunk = reader.read(length - len(data))
        if not chunk:
            return None
        data += chunk
    return wire.decode(data, formulas=True)


def _send(writer, wire, message):
    data = wire.encode(message)
    writer.write(len(data).to_bytes(8, "big") + data)


class _CellTimeout(KeyboardInterrupt):
    """A cell ran past its limit (a KeyboardInterrupt, which IPython reports and then goes on)."""


def _run_cells(shell, cells, seconds, writer, wire):
    def on_alarm(signum, frame):
        raise _CellTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    for index, source in cells:
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
        status, error = "ok", None
        try:
            result = shell.run_cell(source, store_history=False, silent=False)
            failure = result.error_before_exec or result.error_in_exec
        except BaseException as raised:   # noqa: B036 — whatever a cell raises, the next one runs
            failure = raised
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if isinstance(failure, _CellTimeout):
            status, error = "timeout", {"type": "CellTimeout", "message": f"stopped after {seconds:g} s"}
        elif failure is not None:
            status, error = "error", _error(failure, source)
        _send(writer, wire, {"event": "cell", "index": index, "status": status, "error": error})


def _error(failure, source):
    line = getattr(failure, "lineno", None)
    if line is None:
        tb = getattr(failure, "__traceback__", None)
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.startswith(("<ipython-input", "<cell")) or "ipykernel" in \
                    tb.tb_frame.f_code.co_filename:
                line = tb.tb_lineno
            tb = tb.tb_next
    text = str(failure).strip().splitlines()
    lines = source.splitlines()
    return {"type": type(failure).__name__, "message": (text[0] if text else "")[:200],
            "where": f"line {line}" if line else "",
            "line": lines[line - 1].strip()[:200] if line and 0 < line <= len(lines) else ""}


def main():
    reader, writer = _channel()
    from coursekit.exercises import running, wire
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    shell.showtraceback = lambda *args, **kwargs: None         # the grader reads errors from the run's result
    namespace = shell.user_ns
    while True:
        message = _read(reader, wire)
        if not isinstance(message, dict) or message.get("op") == "bye":
            break
        if message.get("op") == "cells":
            _run_cells(shell, message["cells"], float(message["cell_timeout"]), writer, wire)
            _send(writer, wire, {"event": "ready"})
        elif message.get("op") == "collect":
            name = message["function"]
            cases = [SimpleNamespace(args=tuple(args)) for args in message["cases"]]
            if name not in namespace:
                found, outcomes = "missing", []
            else:
                answer = namespace[name]
                if message.get("pencil"):
                    found, answer = "value", (lambda value=answer: value)
                else:
                    found = "function" if callable(answer) else "not_callable"
                outcomes = [] if found == "not_callable" else [
                    o.to_data() for o in running.run(answer, cases, float(message["timeout"]),
                                                     watch=running.watched(message.get("forbidden", ())))]
            _send(writer, wire, {"event": "outcomes", "exercise": message["exercise"], "found": found,
                                 "type": type(namespace.get(name)).__name__, "outcomes": outcomes})
    os._exit(0)


if __name__ == "__main__":
    main()
