"""What every view is: named controls, the numbers and picture it shows, the last computed state, an error line.

A view is an anywidget (its browser half is view.js, shipped in this folder) with
    view.controls   {name: control}     e.g. view.controls["A1[0,1]"] is a Slider: set .value, or .click() a Button
    view.readouts   {name: HTML text}   the fragment of the numbers panel that shows that quantity
    view.state      {name: value}       the numbers behind the last update (numpy arrays, floats)
    view.numbers    HTML of the numbers panel; view.picture: the Picture drawn from the same state
Every change of a control (from Python or from the browser) recomputes once and sends one frame, which holds
the numbers, the picture and the control values used, so the browser paints them together. Each control is
observed once; nothing is shared between two views, so building a view again never stacks handlers.

Shown in a notebook, a view also carries a PNG of its picture (what a stored, untrusted notebook displays) with
a line saying it comes alive when the cell is run.
"""
import base64
import math
import time
import traceback
from pathlib import Path

import anywidget
import numpy  # noqa: F401  (loaded before the BLAS controller looks for its library)
import traitlets
from threadpoolctl import ThreadpoolController

from . import picture as P

HERE = Path(__file__).parent
ALIVE = "A picture of the view as it starts: run the cell to make it live."
# A view's matrices are small: extra BLAS threads only wait for each other (4× slower per update on a busy
# 2-core machine, measured), so every update runs with one; the student's own cells keep their setting.
BLAS = ThreadpoolController()


# ---- controls ------------------------------------------------------------------------------------------------

class Control(traitlets.HasTraits):
    """A named control; `label` is shown (HTML), `aria` is its accessible name (label plus what it means)."""

    value = traitlets.Any()
    kind = "control"

    def __init__(self, name, label, aria=None, **kwargs):
        self.name, self.label, self.aria = name, label, aria or _text(label)
        super().__init__(**kwargs)

    def spec(self):
        return {"kind": self.kind, "name": self.name, "label": self.label, "aria": self.aria,
                "value": self.browser_value()}

    def browser_value(self):
        return self.value

    def from_browser(self, value):
        self.value = value


class Slider(Control):
    """A number in [min, max]; the browser moves it in steps of `step` (of log10 value if `log`), shown with
    `digits` decimals ("fixed") or significant digits ("sig"). Values set from Python are kept as they are."""

    kind = "slider"

    def __init__(self, name, label, value, min, max, step, digits=2, fmt="fixed", log=False, integer=False,
                 aria=None, unit=""):
        self.min, self.max, self.step, self.digits, self.fmt = min, max, step, digits, fmt
        self.log, self.integer, self.unit = log, integer, unit
        super().__init__(name, label, aria, value=value)

    @traitlets.validate("value")
    def _valid(self, proposal):
        value = proposal["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise traitlets.TraitError(f"{self.name} needs a finite number; got {value!r}")
        value = min(self.max, max(self.min, value))
        return int(round(value)) if self.integer else float(value)

    def spec(self):
        return {**super().spec(), "min": self.min, "max": self.max, "step": self.step, "digits": self.digits,
                "format": "int" if self.integer else self.fmt, "log": self.log, "unit": self.unit}

    def text(self, value=None):
        """The value as the slider shows it (and as a screen reader says it)."""
        value = self.value if value is None else value
        if self.integer:
            return str(int(value)) + self.unit
        if self.fmt == "sig":
            return P.MINUS.join(f"{value:.{self.digits}g}".split("-")) + self.unit
        return P.MINUS.join(f"{value:.{self.digits}f}".split("-")) + self.unit


class Choice(Control):
    """One of `options` [(label, value)]: a menu (`kind` "choice") or a row of toggle buttons ("toggle")."""

    def __init__(self, name, label, options, value, aria=None, toggle=False):
        self.options = [o if isinstance(o, tuple) else (str(o), o) for o in options]
        self.kind = "toggle" if toggle else "choice"
        super().__init__(name, label, aria, value=value)

    @traitlets.validate("value")
    def _valid(self, proposal):
        for _, option in self.options:
            if option == proposal["value"]:
                return option
        raise traitlets.TraitError(f"{self.name} is one of {[v for _, v in self.options]}; got {proposal['value']!r}")

    @property
    def index(self):
        return [v for _, v in self.options].index(self.value)

    def browser_value(self):
        return self.index

    def from_browser(self, value):
        self.value = self.options[int(value)][1]

    def spec(self):
        return {**super().spec(), "options": [label for label, _ in self.options]}


class Button(Control):
    """A button: .click() (or a click in the browser) runs its callbacks."""

    kind = "button"

    def __init__(self, name, label, callback, aria=None, primary=False):
        self.primary, self._callbacks = primary, [callback]
        super().__init__(name, label, aria, value=None)

    def on_click(self, callback):
        self._callbacks.append(callback)

    def click(self):
        for callback in self._callbacks:
            callback()

    def spec(self):
        return {**super().spec(), "primary": self.primary}


class Play(Control):
    """A clock for the training view: `value` is the tick (0 … max), `playing` whether the browser advances it
    (one tick every `interval` ms at most, and never before the previous tick's frame was shown)."""

    kind = "play"
    playing = traitlets.Bool(False)

    def __init__(self, name, label, max, interval=100, aria=None, times=1, unit=""):
        self.max, self.interval, self.times, self.unit = max, interval, times, unit
        super().__init__(name, label, aria, value=0)

    @traitlets.validate("value")
    def _valid(self, proposal):
        value = proposal["value"]
        if isinstance(value, bool) or not isinstance(value, int):
            raise traitlets.TraitError(f"{self.name} is a whole number of ticks; got {value!r}")
        return min(self.max, max(0, value))

    def spec(self):
        return {**super().spec(), "max": self.max, "interval": self.interval, "playing": self.playing,
                "times": self.times, "unit": self.unit}


def _text(label):
    """A label's HTML as plain text (for an accessible name)."""
    import re
    return re.sub(r"<[^>]+>", "", label).replace("&nbsp;", " ")


# ---- the view ------------------------------------------------------------------------------------------------

class View(anywidget.AnyWidget):
    """A view: controls, numbers, picture and state by name; see the module docstring."""

    _esm = (HERE / "view.js").read_text(encoding="utf-8")
    _css = (HERE / "view.css").read_text(encoding="utf-8") + "\n" + P.theme_css()
    spec = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)

    title = "view"
    layout_spec = []
    convention = ""
    ahead_controls = None   # the controls whose next frames may be worked out ahead (None: all; see frames_ahead)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.controls = {}
        self.readouts = {}
        self.state = {}
        self.numbers = ""
        self.picture = None
        self.note = ""
        self.hidden_controls = set()
        self.live = ""
        self.last_error = None
        self.error = ""
        self.frames = 0                     # frames sent so far (one per change)
        self._hold = False
        self._ack = None
        self._received = None
        self._captured = None               # a list while frames ahead are worked out (see frames_ahead)
        self.on_msg(self._browser_message)

    def __repr__(self):
        # a short, stable text/plain for the notebook
        return f"<coursekit.widgets.{self.title}>"

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        if self.picture is not None:
            try:
                data["image/png"] = base64.b64encode(self.picture.png(caption=ALIVE)).decode("ascii")
                metadata = {**metadata, "image/png": {"width": self.picture.width}}      # shown at its own size
            except Exception:                                 # a missing picture must never hide the view
                pass
        return data, metadata

    # -- building --------------------------------------------------------------------------------------------
    def _add(self, control, observe=True):
        """Register a control under its name and (if `observe`) update the view whenever its value changes."""
        self.controls[control.name] = control
        if observe:
            control.observe(self._changed, names="value")
        return control

    def _ready(self, layout):
        """Describe the controls and the layout to the browser, then compute and send the first frame."""
        self.spec = {"title": self.title.replace("_", " "), "cls": "ck-" + self.title.replace("_", "-"),
                     "controls": {name: c.spec() for name, c in self.controls.items() if not name.startswith("_")},
                     "layout": layout, "convention": self.convention,
                     "play": next((n for n, c in self.controls.items() if isinstance(c, Play)), None)}
        self.update()

    # -- updating --------------------------------------------------------------------------------------------
    def _changed(self, change=None):
        if not self._hold:
            self.update()

    def update(self):
        """Recompute and redraw from the controls' current values, then send one frame; errors are shown."""
        ok = True
        try:
            with BLAS.limit(limits=1, user_api="blas"):
                self.refresh()
        except Exception as error:                        # shown in the view, never lost
            self.show_error(error)
            ok = False
        else:
            self.last_error, self.error = None, ""
        self._publish()
        return ok

    def refresh(self):
        raise NotImplementedError

    def show_error(self, error):
        """Keep the error and show it (with its traceback) in the view, replacing an older error."""
        self.last_error = error
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.error = f"coursekit.widgets.{self.title} could not update:\n{text}"

    def _content(self):
        """What a frame shows, from the last refresh: control values, numbers, picture, note, error."""
        values = {}
        for name, control in self.controls.items():
            if isinstance(control, Button):
                continue
            values[name] = control.browser_value()
            if isinstance(control, Play):
                values[name + ".playing"] = control.playing
        uid = f"ck{self.model_id[:8] if self.model_id else 'view'}"
        return {"values": values, "hidden": sorted(self.hidden_controls), "note": self.note, "error": self.error,
                "numbers": self.numbers, "picture": self.picture.svg(uid) if self.picture else "", "live": self.live}

    def _publish(self):
        if self._captured is not None:                     # working out a frame ahead: keep it, send nothing
            self._captured.append(self._content())
            return
        self.frames += 1
        self.frame = {**self._content(), "ack": self._ack, "count": self.frames,
                      "kernel_ms": round(1000 * (time.perf_counter() - self._received[0]), 2) if self._received else None,
                      # wall-clock ms when the message arrived and when this frame left: the benchmark's split
                      "clock": [self._received[1], 1000 * time.time()] if self._received else None}
        self._received = None

    def frames_ahead(self, name, values):
        """The frames the browser would get if slider, menu, toggle or clock `name` moved to each of `values` next
        (browser values; None where it would not move), worked out by the same code as a real move; the view is
        left as it was (a view with a history puts it back with _keep and _restore).

        With a key press or a drag move the browser asks for the values the next move most likely reaches, and
        shows the matching frame the moment that move comes, without waiting for the kernel (which still gets
        the move and answers with the same frame)."""
        control = self.controls.get(name)
        if not isinstance(control, (Slider, Choice, Play)) or self._captured is not None \
                or (self.ahead_controls is not None and name not in self.ahead_controls):
            return []
        current, frames, kept = control.browser_value(), [], self._keep()
        playing = control.playing if isinstance(control, Play) else None     # (the last tick stops the clock)
        try:
            for value in values:
                self._captured = []
                if (isinstance(control, Choice) and not (isinstance(value, int) and 0 <= value < len(control.options))) \
                        or (isinstance(control, Play) and (isinstance(value, bool) or not isinstance(value, int))):
                    frames.append(None)
                    continue
                self._set_from_browser({name: value})
                moved = control.browser_value() != current
                frames.append(self._captured[-1] if moved and self._captured else None)
        finally:
            self._captured = []
            try:
                self._restore(kept)
                self._set_from_browser({name: current})          # back to the state the browser shows
                self._restore(kept)                              # (setting η back drops the θ kept beyond t)
                if playing is not None and control.playing != playing:
                    self._hold = True
                    try:
                        control.playing = playing
                    finally:
                        self._hold = False
            finally:
                self._captured = None
        return frames

    def _keep(self):
        """What a move changes besides the controls and what refresh() recomputes (a view with a history)."""
        return None

    def _restore(self, kept):
        """Put back what _keep() returned."""

    def _browser_message(self, _, content, buffers=None):
        """What the browser sends: {"set": {name: value}, "n": k, "from": id} or {"click": name, …}; a key press or
        a drag move adds "ahead": {"name": control, "values": [at most two values the next move may reach]}."""
        self._ack = {"n": content.get("n"), "from": content.get("from")}
        self._received = (time.perf_counter(), 1000 * time.time())
        try:
            if "set" in content:
                self._set_from_browser(content["set"])
            elif "click" in content:
                before = self.frames
                self.controls[content["click"]].click()
                if self.frames == before:                  # a click that changed nothing still answers
                    self._publish()
        except Exception as error:
            self.show_error(error)
            self._publish()
            return
        ahead = content.get("ahead")
        if isinstance(ahead, dict) and isinstance(ahead.get("values"), list) and len(ahead["values"]) <= 2:
            try:
                frames = self.frames_ahead(ahead.get("name"), ahead["values"])
            except Exception:                              # nothing ahead: the next press waits for the kernel
                frames = []
            if any(frames):                                # sent after the frame it builds on, for that frame
                self.send({"ahead": {"name": ahead["name"], "values": ahead["values"], "frames": frames,
                                     "count": self.frames}})

    def _set_from_browser(self, values):
        before = self.frames
        self._hold = True
        changed = []
        try:
            for name, value in values.items():
                if name.endswith(".playing"):
                    self.controls[name[:-8]].playing = bool(value)
                    continue
                control = self.controls[name]
                old = control.value
                control.from_browser(value)
                if control.value != old:
                    changed.append(control)
        finally:
            self._hold = False
        if changed:
            self.on_browser_change(changed)
        if self.frames == before:                          # always answer, so the browser sends the next move
            self._publish()

    def on_browser_change(self, changed):
        """Controls the browser changed (already set, observers held): by default, one update."""
        self.update()

    def set_values(self, values):
        """Set several controls at once ({name: value}) with a single update at the end."""
        self._hold = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._hold = False
        return self.update()

    def close(self):
        """Stop observing the controls and close the widget (for a view that is no longer shown)."""
        for control in getattr(self, "controls", {}).values():
            try:
                control.unobserve(self._changed, names="value")
            except ValueError:
                pass
        super().close()


def button(name, label, callback, view, aria=None, primary=False):
    """A Button whose click runs `callback` with errors shown in the view."""
    def clicked():
        try:
            callback()
        except Exception as error:
            view.show_error(error)
            view._publish()

    return Button(name, label, clicked, aria=aria, primary=primary)
