"""Running a student's answer on test problems: in a child process that is killed at the time limit, with its
printing and warnings hidden, its result turned into plain data, and calls to the course's reference noted.

    outcomes = run(answer, cases, timeout, watch=watched(("backward",)))

`run` returns one Outcome per case, in order, and stops after the first case that runs out of time. Where
the platform can fork (Linux), the answer runs in a forked child: an answer that ignores signals or catches
BaseException in an endless loop is still stopped, and a crash or os._exit costs only the child. Elsewhere
it runs in this process, stopped by SIGALRM (main thread) or abandoned in a thread; with neither (Pyodide)
it runs without a time limit, and each Outcome's `note` says so. Results cross as wire data in every mode,
so the decision sees the same values whichever way the answer ran.
"""
import contextlib
import copy
import io
import linecache
import math
import os
import re
import select
import signal
import sys
import sysconfig
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import wire
from .comparing import _changed



def _seconds(value):
    """A duration sent by an untrusted process: a finite number of seconds, else 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    try:
        value = float(value)
    except OverflowError:
        return 0.0
    return value if math.isfinite(value) and value >= 0 else 0.0

@dataclass
class Outcome:
    """What one call of the answer did, as plain data."""

    kind: str                     #: "returned", "raised", "timeout", "crashed" or "skipped"
    value: object = None          #: the result (wire data) when returned
    error: dict = None            #: {"type", "message", "where", "line"} when raised or crashed
    modified: str = None          #: path of the first input changed in place ("[0]['A0'][1, 2]"), or None
    delegated: tuple = ()         #: public names of reference functions the call reached
    seconds: float = 0.0          #: wall time of the call
    note: str = ""                #: how it ran, when that matters ("no time limit on this platform")
    extra: dict = field(default_factory=dict)

    def to_data(self):
        """The outcome as wire-encodable data."""
        return {"kind": self.kind, "value": self.value, "error": self.error, "modified": self.modified,
                "delegated": list(self.delegated), "seconds": float(self.seconds), "note": self.note}

    @classmethod
    def from_data(cls, data):
        """An Outcome from data that came over the wire (from an untrusted process): checked field by field."""
        if not isinstance(data, dict):
            return cls("crashed", error=_error_dict("ProtocolError", "the outcome was not a dict"))
        kind = data.get("kind")
        if kind not in ("returned", "raised", "timeout", "crashed", "skipped"):
            return cls("crashed", error=_error_dict("ProtocolError", f"unknown outcome kind {str(kind)[:40]!r}"))
        error = data.get("error")
        if error is not None:
            error = error if isinstance(error, dict) else {}
            error = {key: str(error.get(key) or "")[:300] for key in ("type", "message", "where", "line")}
        modified = data.get("modified")
        delegated = data.get("delegated") or []
        seconds = data.get("seconds")
        note = data.get("note")
        return cls(kind, data.get("value"), error,
                   modified[:200] if isinstance(modified, str) else None,
                   tuple(str(d)[:100] for d in delegated[:20]) if isinstance(delegated, list) else (),
                   _seconds(seconds),
                   note[:200] if isinstance(note, str) else "")


def _error_dict(kind, message, where="", line=""):
    return {"type": kind, "message": message, "where": where, "line": line}


# ------------------------------------------------------------------------------------- what is watched

def watched(capabilities):
    """{code object or file path: public name} of the reference functions for these capabilities.

    Also the course's own checks (their references and mutants live in coursekit/exercises), which are
    never an answer either.
    """
    from .. import reference

    watch = {}
    for capability in capabilities:
        for function in reference.REFERENCES.get(capability, ()):
            target = function
            while target is not None:
                code = getattr(target, "__code__", None)
                if code is not None:
                    watch[code] = reference.public_name(function)
                target = getattr(target, "__wrapped__", None)
        for module_name in reference.MODULES.get(capability, ()):
            module = sys.modules.get(module_name)
            path = getattr(module, "__file__", None)
            if path:
                watch[os.path.abspath(path)] = module_name
    here = os.path.dirname(os.path.abspath(__file__))
    for name in os.listdir(here):
        if name.endswith(".py") and name not in _NOT_ANSWERS:
            watch[os.path.join(here, name)] = "the course's own check (coursekit.exercises, EXERCISES[…])"
    return watch


_NOT_ANSWERS = {"__init__.py", "running.py", "wire.py", "comparing.py", "catalogue.py", "decide.py", "rules.py"}


class _Watcher:
    """A profile function that notes calls into watched code (by code object, or by the file it lives in)."""

    def __init__(self, watch):
        self.codes = {k: v for k, v in watch.items() if not isinstance(k, str)}
        self.files = {k: v for k, v in watch.items() if isinstance(k, str)}
        self.hits = []
        self._paths = {}

    def __call__(self, frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        name = self.codes.get(code)
        if name is None and self.files:
            path = self._paths.get(code.co_filename)
            if path is None:
                path = self._paths[code.co_filename] = os.path.abspath(code.co_filename)
            name = self.files.get(path)
        if name is not None and name not in self.hits:
            self.hits.append(name)

    @contextlib.contextmanager
    def active(self):
        if not (self.codes or self.files):
            yield
            return
        previous = sys.getprofile()
        sys.setprofile(self)
        threading.setprofile(self)
        try:
            yield
        finally:
            sys.setprofile(previous)
            threading.setprofile(None)


# ------------------------------------------------------------------------------------- one call

class _Timeout(BaseException):
    """Raised inside the answer when its time is up (a BaseException, so `except Exception` cannot hide it)."""


def _call_once(answer, case, watch, child=False):
    """Call the answer on a deep copy of the case's arguments; an Outcome of plain data.

    Everything the answer raises becomes a "raised" Outcome, except the time limit's own _Timeout and, outside
    a child process, the student's own KeyboardInterrupt (the stop button).
    """
    from .. import reference

    args = copy.deepcopy(case.args)
    snapshot = copy.deepcopy(args)
    watcher = _Watcher(watch)
    reference.DELEGATIONS.clear()
    started = time.monotonic()
    try:
        with watcher.active():
            value = answer(*args)
    except _Timeout:
        raise
    except BaseException as error:  # noqa: B036 — an answer may raise anything, SystemExit included
        if isinstance(error, KeyboardInterrupt) and not child:
            raise
        return Outcome("raised", error=_describe(error), delegated=_names(watcher, reference),
                       seconds=time.monotonic() - started)
    seconds = time.monotonic() - started
    try:
        value = wire.decode(wire.encode(value))
    except wire.WireError as error:
        value = wire.Unsupported("a result the checker cannot read", str(error))
    return Outcome("returned", value=value, modified=_changed(snapshot, args), delegated=_names(watcher, reference),
                   seconds=seconds)


def _names(watcher, reference):
    names = list(watcher.hits)
    names += [n for n in reference.DELEGATIONS if n not in names]
    return tuple(names)


def _describe(error):
    where = _student_frame(error)
    return _error_dict(type(error).__name__, _first_line(error), where[1] if where else "",
                       where[2] if where else "")


@contextlib.contextmanager
def _quiet():
    """Hide the answer's printing and warnings, and let NumPy's floating-point errors pass silently."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


# ------------------------------------------------------------------------------------- the ways to run

def can_fork():
    """True where answers run in a forked child (Linux; macOS's system libraries are not fork-safe)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def run(answer, cases, timeout, watch=None, mode=None):
    """One Outcome per case (see the module docstring); `mode` forces "fork", "alarm", "thread" or "none"."""
    watch = watch or {}
    mode = mode or ("fork" if can_fork() else "alarm" if _alarm_works() else "thread" if _threads_work() else "none")
    if mode == "fork":
        try:
            return _run_forked(answer, cases, timeout, watch)
        except OSError:          # no process left to fork (a process limit): run here, stopped by the alarm
            mode = "alarm" if _alarm_works() else "thread"
    outcomes = []
    for case in cases:
        if mode == "alarm":
            outcome = _with_alarm(answer, case, timeout, watch)
        elif mode == "thread":
            outcome = _in_thread(answer, case, timeout, watch)
        else:
            with _quiet():
                outcome = _call_once(answer, case, watch)
            outcome.note = "no time limit on this platform (no signals and no threads): an endless loop hangs"
        outcomes.append(outcome)
        if outcome.kind == "timeout":
            break
    return outcomes


def _alarm_works():
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _threads_work():
    try:
        worker = threading.Thread(target=lambda: None, daemon=True)
        worker.start()
        worker.join(1.0)
        return True
    except (RuntimeError, OSError):
        return False


def _run_forked(answer, cases, timeout, watch):
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:                                              # the child: run every case, then leave at once
        try:
            os.close(read_end)
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            for case in cases:
                with _quiet():
                    outcome = _call_once(answer, case, watch, child=True)
                try:
                    data = wire.encode(outcome.to_data())
                except wire.WireError as error:
                    outcome.value = wire.Unsupported("a result too large to check", str(error))
                    data = wire.encode(outcome.to_data())
                _write_message(write_end, data)
        except BaseException:   # noqa: B036 — whatever happens, the child must not return into the kernel
            pass
        finally:
            os._exit(0)
    os.close(write_end)
    outcomes, buffer = [], bytearray()
    try:
        for case in cases:
            deadline = time.monotonic() + timeout
            message = None
            while message is None:
                try:
                    message, buffer = _take_message(buffer)
                except wire.WireError:
                    break
                if message is not None:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                ready, _, _ = select.select([read_end], [], [], left)
                if not ready:
                    continue
                chunk = os.read(read_end, 1 << 16)
                if not chunk:
                    break
                buffer += chunk
            if message is None:
                if time.monotonic() >= deadline:
                    outcomes.append(Outcome("timeout", seconds=timeout))
                else:
                    outcomes.append(Outcome("crashed", error=_error_dict(
                        "ProcessEnded", "the process running the function ended during this call (os._exit, a "
                                        "crash, or running out of memory)")))
                break
            try:
                outcomes.append(Outcome.from_data(wire.decode(bytes(message))))
            except wire.WireError as error:
                outcomes.append(Outcome("crashed", error=_error_dict("ProtocolError", str(error))))
                break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        os.close(read_end)
    return outcomes


def _write_message(fd, data):
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _take_message(buffer):
    if len(buffer) < 8:
        return None, buffer
    size = int.from_bytes(buffer[:8], "big")
    if size > wire.MAX_BYTES:
        raise wire.WireError("a message larger than the limit")
    if len(buffer) < 8 + size:
        return None, buffer
    return buffer[8:8 + size], buffer[8 + size:]


def _with_alarm(answer, case, seconds, watch):
    # SIGALRM raises _Timeout inside the answer's own loop; it fires again every 0.5 s in case the answer
    # swallows it with a bare `except:`.
    state = {"active": True}

    def on_alarm(signum, frame):
        if state["active"]:
            raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    earlier, started = signal.getitimer(signal.ITIMER_REAL), time.monotonic()
    outcome = None
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
            with _quiet():
                outcome = _call_once(answer, case, watch)
        except _Timeout:
            outcome = Outcome("timeout", seconds=seconds)
    except _Timeout:          # the alarm hit between the answer's return and here
        outcome = outcome or Outcome("timeout", seconds=seconds)
    finally:
        while True:           # disarm; an alarm landing in these two lines is caught and we try again
            try:
                state["active"] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except _Timeout:
                continue
        signal.signal(signal.SIGALRM, previous)
        if earlier[0] > 0:    # someone else's alarm was pending: put back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(earlier[0] - (time.monotonic() - started), 1e-3), earlier[1])
    outcome.note = "stopped by SIGALRM at the time limit (an answer that catches BaseException can outlast it)"
    return outcome


def _in_thread(answer, case, seconds, watch):
    box = {}

    def target():
        with _quiet():
            try:
                box["outcome"] = _call_once(answer, case, watch)
            except BaseException as error:  # noqa: B036 — report anything the answer raises
                box["outcome"] = Outcome("raised", error=_describe(error))

    worker = threading.Thread(target=target, daemon=True, name="coursekit-check")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        return Outcome("timeout", seconds=seconds,
                       note="still running in the background: restart the kernel before trying again")
    return box["outcome"]


# --------------------------------------------------------------------------- where the student's code failed

# Frames from these folders are not the student's: coursekit itself (this package's parent), numpy, the
# standard library and installed packages.
_COURSEKIT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({_COURSEKIT_DIR, os.path.dirname(os.path.abspath(np.__file__))}
                      | {os.path.abspath(p) for key in ("stdlib", "platstdlib", "purelib", "platlib")
                         if (p := sysconfig.get_paths().get(key))})


def _student_frame(error):
    """(line number, place, source line) of the last traceback frame in the student's own code, or None."""
    try:
        frames = traceback.extract_tb(error.__traceback__)
    except Exception:
        return None
    own = [f for f in frames if not os.path.abspath(f.filename).startswith(_LIBRARY_DIRS)
           and not f.filename.startswith(("<frozen", "<formula"))]
    if not own:
        return None
    frame = own[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno) or "").strip()
    base = os.path.basename(frame.filename)
    in_cell = re.match(r"(ipykernel_\d+|tmp\w*)", os.path.basename(os.path.dirname(frame.filename))) \
        or frame.filename.startswith(("<ipython-input", "<cell", "<notebook"))
    place = f"line {frame.lineno} of your cell" if in_cell else f"line {frame.lineno} of {base}"
    return frame.lineno, place, line[:200]


def _first_line(error, limit=200):
    try:
        text = str(error).strip().splitlines()
    except Exception:
        return ""
    text = text[0] if text else ""
    return text if len(text) <= limit else text[:limit - 1] + "…"
