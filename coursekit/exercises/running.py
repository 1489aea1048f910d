"""Running a student's answer: a time limit, its printing and warnings hidden, and the line it failed on."""
import contextlib
import io
import linecache
import os
import re
import signal
import sysconfig
import threading
import time
import traceback
import warnings

import numpy as np


class _Timeout(BaseException):
    """Raised inside the answer when its time is up (a BaseException, so `except Exception` cannot hide it)."""


def _call(fn, args, seconds):
    """Run fn(*args) with output and warnings hidden and a time limit; returns (kind, value or error)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            return _call_with_alarm(fn, args, seconds)
        return _call_in_thread(fn, args, seconds)


def _call_with_alarm(fn, args, seconds):
    # SIGALRM raises _Timeout inside the answer's own loop (a notebook runs cells in the main thread).
    # It fires again every 0.5 s in case the answer swallows it with a bare `except:`.
    state = {"active": True}

    def on_alarm(signum, frame):
        if state["active"]:
            raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    earlier, started = signal.getitimer(signal.ITIMER_REAL), time.monotonic()
    result = None
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
            result = ("returned", fn(*args))
        except _Timeout:
            result = ("timeout", None)
        except (Exception, SystemExit) as error:
            result = ("raised", error)
    except _Timeout:          # the alarm hit between the answer's return and here
        result = result or ("timeout", None)
    finally:
        while True:           # disarm; an alarm landing in these two lines is caught and we try again
            try:
                state["active"] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except _Timeout:
                continue
        signal.signal(signal.SIGALRM, previous)
        if earlier[0] > 0:        # someone else's alarm was pending: put back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(earlier[0] - (time.monotonic() - started), 1e-3), earlier[1])
    return result


def _call_in_thread(fn, args, seconds):
    # Off the main thread, or without SIGALRM (Windows): run the answer in a daemon thread and stop waiting.
    box = {}

    def target():
        try:
            box["result"] = ("returned", fn(*args))
        except BaseException as error:  # noqa: B036 — report anything the answer raises
            box["result"] = ("raised", error)

    worker = threading.Thread(target=target, daemon=True, name="coursekit-check")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        return ("timeout-background", None)
    return box["result"]


# Frames from these folders are not the student's: coursekit itself (this package's parent), numpy, the
# standard library and installed packages.
_COURSEKIT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({_COURSEKIT_DIR, os.path.dirname(os.path.abspath(np.__file__))}
                      | {os.path.abspath(p) for key in ("stdlib", "platstdlib", "purelib", "platlib")
                         if (p := sysconfig.get_paths().get(key))})


def _student_frame(error):
    """(line number, place, source line) of the last traceback frame in the student's own code, or None."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if not os.path.abspath(f.filename).startswith(_LIBRARY_DIRS)
           and not f.filename.startswith("<frozen")]
    if not own:
        return None
    frame = own[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    base = os.path.basename(frame.filename)
    in_cell = re.match(r"(ipykernel_\d+|tmp\w*)", os.path.basename(os.path.dirname(frame.filename))) \
        or frame.filename.startswith("<ipython-input") or frame.filename.startswith("<cell")
    place = f"line {frame.lineno} of your cell" if in_cell else f"line {frame.lineno} of {base}"
    return frame.lineno, place, line


def _first_line(error, limit=200):
    text = str(error).strip().splitlines()
    text = text[0] if text else ""
    return text if len(text) <= limit else text[:limit - 1] + "…"

