"""training_view(): full-batch gradient descent on XOR, two moons or spirals, played live.

Each tick of the clock runs `chunk` steps of coursekit.gradient_descent (continuing from the current θ) and
sends one frame: t, E and the accuracy together with the cost curve and the decision boundary, so the plot and
the numbers are always of the same step. The browser asks for the next tick only once the previous frame is
shown (at most one tick per `interval` ms), so a slow screen never piles up work in the kernel. θ is kept at
every tick, so dragging the t slider back shows the steps already taken.
"""
import numpy as np

import coursekit as ck
from coursekit import data

from . import render as R
from .picture import Axes, Picture, diverging_rgba
from .view import Choice, Play, Slider, View, button

DATASETS = {   # name: (label, loader, defaults)
    "xor": ("XOR (R = 4)", data.xor,
            {"hidden": 3, "activation": "sigmoid", "cost": "cross_entropy", "eta": 0.5}),
    "two_moons": ("two moons (R = 100)", lambda: data.two_moons(R=100, seed=0),
                  {"hidden": 8, "activation": "tanh", "cost": "cross_entropy", "eta": 0.05}),
    "spirals": ("spirals (R = 100)", lambda: data.spirals(R=100, seed=0),
                {"hidden": 16, "activation": "tanh", "cost": "cross_entropy", "eta": 0.05}),
}
TICKS = 60                     # the clock runs from 0 to TICKS; each tick is `chunk` gradient-descent steps
RESETTING = ("data", "hidden", "activation", "cost")
GRID = 40                      # the decision boundary is evaluated on a GRID × GRID grid


class TrainingView(View):
    """Play/pause gradient descent; t, E, accuracy, the cost curve and the decision boundary."""

    title = "training_view"
    # moving t and changing η can be undone exactly (θ is kept at every tick); a new data set or network restarts
    ahead_controls = ("play", "eta")
    convention = ("Inputs f<sub>0</sub>[0] and f<sub>0</sub>[1] (indices from 0, as numpy does); "
                  "shading: f<sub>2</sub> above ½ purple, below ½ orange.")

    def __init__(self, dataset="xor", chunk=20, seed=0, interval=80):
        super().__init__()
        self.chunk, self.seed = chunk, seed
        defaults = DATASETS[dataset][2]
        self._add(Choice("data", "data", [(v[0], k) for k, v in DATASETS.items()], dataset, aria="data set"))
        self._add(Choice("hidden", "n<sub>1</sub>", [2, 3, 4, 8, 16], defaults["hidden"],
                         aria="n1, the number of hidden units"))
        self._add(Choice("activation", "σ in f<sub>1</sub>", ["sigmoid", "tanh", "relu"], defaults["activation"],
                         toggle=True, aria="σ in f1, the activation of the hidden layer"))
        self._add(Choice("cost", "cost", [("squared", "squared"), ("cross-entropy", "cross_entropy")],
                         defaults["cost"], toggle=True, aria="cost E: squared error or cross-entropy"))
        self._add(Slider("eta", "η", defaults["eta"], 1e-3, 10.0, 0.05, digits=3, fmt="sig", log=True,
                         aria="learning rate η (logarithmic scale)"))
        self._add(Play("play", "t", TICKS, interval=interval, aria="t, the gradient-descent step shown",
                       times=chunk, unit=f" / {TICKS * chunk}"))
        self.controls["play"].observe(self._paused, names="playing")
        self._add(button("reset", '<span aria-hidden="true">■ </span>back to θ(0)', self.reset, self,
                         aria="back to θ(0): stop and start again"))
        self._start()
        self._ready([["row", "data", "hidden", "activation", "cost"], ["row", "eta", "play", "reset"],
                     "picture", "numbers", "convention"])

    # -- what a control change means --------------------------------------------------------------------
    def _apply(self, owner):
        """The meaning of a change of `owner` (already set): a new data set or network restarts at θ(0)."""
        if owner is self.controls["data"]:
            defaults = DATASETS[owner.value][2]
            self._set_quietly({name: defaults[name] for name in ("hidden", "activation", "cost", "eta")})
        if owner in [self.controls[name] for name in RESETTING]:           # a new problem: back to θ(0)
            self._set_quietly({"play": 0, "playing": False})
            self._start()
        elif owner is self.controls["eta"]:                                 # η goes on from θ(t)
            self.snapshots = {k: v for k, v in self.snapshots.items() if k <= self.t}

    def _changed(self, change=None):
        if self._hold:
            return
        try:
            self._apply(change.owner if change is not None else None)
        except Exception as error:
            self.show_error(error)
            self._publish()
            return
        self.update()

    def on_browser_change(self, changed):
        for control in changed:
            self._apply(control)
        self.update()

    def set_values(self, values):
        """Set several controls one after the other, each with its own meaning (a new data set restarts)."""
        for name, value in values.items():
            self.controls[name].value = value
        return self.last_error is None

    def _set_quietly(self, values):
        self._hold = True
        try:
            for name, value in values.items():
                if name == "playing":
                    self.controls["play"].playing = value
                else:
                    self.controls[name].value = value
        finally:
            self._hold = False

    def _paused(self, change):
        if not change.new and not self._hold:
            self.update()

    def reset(self):
        """Stop, and go back to θ(0)."""
        self._set_quietly({"play": 0, "playing": False})
        self._start()
        self.update()

    # -- training ----------------------------------------------------------------------------------------
    def _start(self):
        name = self.controls["data"].value
        self.X, self.Y = DATASETS[name][1]()
        self.params0 = ck.init_params([2, self.controls["hidden"].value, 1], seed=self.seed)
        self.theta = {k: v.copy() for k, v in self.params0.items()}
        self.history = [ck.total_cost(self.theta, self.X, self.Y, **self._options())]
        self.t = 0
        self.snapshots = {0: self.theta}                        # θ(t) at every tick reached, by t

    def _keep(self):
        # a move of t or η changes θ(t), t, E's history and the θ kept at each tick: frames_ahead puts them back
        return self.theta, self.t, list(self.history), dict(self.snapshots)

    def _restore(self, kept):
        self.theta, self.t, history, snapshots = kept
        self.history, self.snapshots = list(history), dict(snapshots)

    def _options(self):
        return {"activation": [self.controls["activation"].value, "sigmoid"], "cost": self.controls["cost"].value}

    def _advance(self, target):
        """Run gradient descent until step `target` (going back: to the θ kept at that step)."""
        if target < self.t:
            back = max(k for k in self.snapshots if k <= target)
            self.theta, self.t = self.snapshots[back], back
            self.history = self.history[:back + 1]
        while self.t < target:                                # tick by tick, keeping θ at every tick
            steps = min(self.chunk - self.t % self.chunk, target - self.t)
            self.theta, history = ck.gradient_descent(self.theta, self.X, self.Y, self.controls["eta"].value,
                                                      steps, **self._options())
            self.history.extend(history[1:])                  # history[0] is E(θ(t)), already recorded
            self.t += steps
            self.snapshots[self.t] = self.theta

    def refresh(self):
        play = self.controls["play"]
        self._advance(play.value * self.chunk)
        if play.value >= play.max:
            self._set_quietly({"playing": False})
        options = self._options()
        self.state = {"data": self.controls["data"].value, "t": self.t, "params": self.theta,
                      "params0": self.params0, "history": np.array(self.history), "E": self.history[-1],
                      "accuracy": ck.accuracy(self.theta, self.X, self.Y, activation=options["activation"]),
                      "X": self.X, "Y": self.Y, "eta": self.controls["eta"].value, **options}
        self.numbers = self._numbers_html()
        self.picture = training_picture(self.state, TICKS * self.chunk)
        self.live = f"t = {self.t}, E = {R.num(self.state['E'])}, accuracy {R.num(self.state['accuracy'], 3)}"

    def _numbers_html(self):
        s = self.state
        self.readouts = {
            "t": R.row("step t", f'<span class="ck-num" data-q="t">{s["t"]}</span>',
                       f"of {TICKS * self.chunk}, {self.chunk} per tick"),
            "E": R.row("E(θ(t))", R.span("E", s["E"]), f"total cost over R = {s['X'].shape[1]} examples, "
                       f"E(θ(0)) = {R.num(s['history'][0])}"),
            "accuracy": R.row("accuracy", R.span("accuracy", s["accuracy"], digits=3), "f<sub>2</sub> > ½ counts as 1"),
        }
        return R.table(self.readouts.values())


def training_picture(s, t_max, margin=0.3):
    """Left: E(θ(t)) against t; right: f2 over the input plane (shaded), the f2 = ½ line and the examples."""
    history, X, Y = s["history"], s["X"], s["Y"]
    alt = (f"Training on {s['data'].replace('_', ' ')}: step t = {s['t']}, E = {R.num(s['E'])}, accuracy "
           f"{R.num(s['accuracy'], 3)}; the cost curve and the decision boundary f2 = ½ at this step.")
    p = Picture(600, 262, alt, cls="ck-training")
    spread = history.max() / max(history.min(), 1e-300)
    log = spread > 10
    if log:
        lo, hi = np.floor(np.log10(max(history.min(), 1e-300))), np.ceil(np.log10(history.max()))
        left = Axes(p, (58, 26, 220, 190), (0, t_max), (10.0 ** lo, 10.0 ** max(hi, lo + 1)), ylog=True)
    else:
        left = Axes(p, (58, 26, 220, 190), (0, t_max), (0.0, 1.08 * history.max()))
    left.frame("step t", "E(θ(t))", f"η = {R.sig(s['eta'])}, {s['cost'].replace('_', '-')} cost")
    left.plot(np.arange(len(history)), history, stroke="blue", width=1.6, data={"series": "cost"})
    left.markers([len(history) - 1], [history[-1]], fill="blue", stroke="bg", r=3.5)
    (x_min, y_min), (x_max, y_max) = X.min(axis=1) - margin, X.max(axis=1) + margin
    side = max(x_max - x_min, y_max - y_min)                  # equal scales on both axes
    cx, cy = (x_min + x_max) / 2, (y_min + y_max) / 2
    xlim, ylim = (cx - side / 2, cx + side / 2), (cy - side / 2, cy + side / 2)
    right = Axes(p, (392, 26, 190, 190), xlim, ylim)
    u, v = np.meshgrid(np.linspace(*xlim, GRID), np.linspace(*ylim, GRID))
    out = ck.forward(s["params"], np.stack([u.ravel(), v.ravel()]), activation=s["activation"])["f2"].reshape(u.shape)
    right.image(diverging_rgba(out[::-1] - 0.5, 0.5, alpha=0.55), (*xlim, *ylim))
    right.frame("f_0[0]", "f_0[1]", f"t = {s['t']}: f_2 = ½ boundary", grid=False)
    right.contours(u, v, out, [0.5], stroke="fg", width=1.6, data={"series": "boundary"})
    labels = np.asarray(Y).ravel() > 0.5
    right.markers(X[0, ~labels], X[1, ~labels], fill="orange", stroke="fg", r=3.2)
    right.markers(X[0, labels], X[1, labels], fill="purple", stroke="fg", r=3.0, shape="square")
    return p


def training_view(dataset="xor", chunk=20, seed=0, interval=80):
    """Gradient descent played live: cost curve, decision boundary, t, play/pause.

    Controls: "data" ("xor", "two_moons", "spirals"), "hidden" (n1), "activation" (σ of f1; f2 is a
    sigmoid), "cost", "eta", "play" (value k means t = k·chunk steps; .playing), "reset".
    view.state: "t", "params" θ(t), "params0" θ(0), "history" (E(θ(0)), …, E(θ(t))), "E", "accuracy".
    """
    return TrainingView(dataset=dataset, chunk=chunk, seed=seed, interval=interval)
