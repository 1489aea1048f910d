"""training_view(): full-batch gradient descent on XOR, two moons or spirals, played live.

Each tick of the Play control runs `chunk` steps of coursekit.gradient_descent (continuing from the current
θ), then shows t, E and the accuracy at once and the cost curve and decision boundary
(coursekit.plots.cost_curve, decision_boundary) at most every `min_draw_interval` seconds while playing,
so a slow screen never piles up work in the kernel. Pausing always draws the latest state.
"""
import time

import ipywidgets as W
import numpy as np

import coursekit as ck
from coursekit import data, plots

from . import render as R
from .view import STYLE, View, button, html

DATASETS = {   # name: (label, loader, defaults)
    "xor": ("XOR (R = 4)", data.xor,
            {"hidden": 3, "activation": "sigmoid", "cost": "cross_entropy", "eta": 0.5}),
    "two_moons": ("two moons (R = 100)", lambda: data.two_moons(R=100, seed=0),
                  {"hidden": 8, "activation": "tanh", "cost": "cross_entropy", "eta": 0.05}),
    "spirals": ("spirals (R = 100)", lambda: data.spirals(R=100, seed=0),
                {"hidden": 16, "activation": "tanh", "cost": "cross_entropy", "eta": 0.05}),
}
TICKS = 60                     # Play runs from 0 to TICKS; each tick is `chunk` gradient-descent steps
RESETTING = ("data", "hidden", "activation", "cost")


class TrainingView(View):
    """Play/pause gradient descent; progress, t, E, accuracy, the cost curve and the decision boundary."""

    title = "training_view"

    def __init__(self, dataset="xor", chunk=20, seed=0, interval=200, min_draw_interval=0.25):
        super().__init__()
        self.chunk, self.seed, self.min_draw_interval = chunk, seed, min_draw_interval
        defaults = DATASETS[dataset][2]
        self._add("data", W.Dropdown(options=[(v[0], k) for k, v in DATASETS.items()], value=dataset,
                                     description="data", layout=W.Layout(width="240px"),
                                     style={"description_width": "36px"}))
        self._add("hidden", W.Dropdown(options=[2, 3, 4, 8, 16], value=defaults["hidden"], description="n1",
                                       layout=W.Layout(width="110px"), style={"description_width": "24px"}))
        self._add("activation", W.ToggleButtons(options=["sigmoid", "tanh", "relu"],
                                                value=defaults["activation"], layout=W.Layout(width="auto"),
                                                style={"button_width": "72px"}))
        self._add("cost", W.ToggleButtons(options=[("squared", "squared"), ("cross-entropy", "cross_entropy")],
                                          value=defaults["cost"], style={"button_width": "110px"},
                                          layout=W.Layout(width="auto")))
        self._add("eta", W.FloatLogSlider(value=defaults["eta"], base=10, min=-3, max=1, step=0.05,
                                          description="η", readout_format=".3f", continuous_update=False,
                                          layout=W.Layout(width="300px"), style={"description_width": "20px"}))
        self._add("play", W.Play(value=0, min=0, max=TICKS, step=1, interval=interval, show_repeat=False))
        self.controls["play"].observe(self._paused, names="playing")
        self.controls["reset"] = button("reset", self.reset, self)
        self.progress = W.IntProgress(value=0, min=0, max=TICKS * chunk, description="t",
                                      layout=W.Layout(width="300px"), style={"description_width": "16px"})
        self.progress.add_class("ck-progress")
        self.numbers = html("ck-numbers")
        self.figure = W.Image(format="png", layout=W.Layout(flex="0 0 auto", align_self="flex-start"))
        self.figure.add_class("ck-figure")
        self._fig, self._axes = R.new_figure(8.0, 3.0, ncols=2)
        self._last_draw = 0.0
        self.children = [html(value=STYLE),
                         W.HBox([self.controls["data"], self.controls["hidden"],
                                 html(value="&nbsp;σ in f<sub>1</sub>&nbsp;"), self.controls["activation"],
                                 self.controls["cost"]], layout=W.Layout(flex_flow="row wrap", align_items="center")),
                         W.HBox([self.controls["eta"], self.controls["play"], self.controls["reset"],
                                 self.progress]),
                         self.numbers, self.figure, self.output]
        self.add_class("ck-training-view")
        self._start()
        self.update()

    # -- what a control change means --------------------------------------------------------------------
    def _changed(self, change=None):
        if self._hold:
            return
        try:
            owner = change.owner if change is not None else None
            if owner is self.controls["data"]:
                defaults = DATASETS[change.new][2]
                self._set_quietly({name: defaults[name] for name in ("hidden", "activation", "cost", "eta")})
            if owner in [self.controls[name] for name in RESETTING]:       # a new problem: back to θ(0)
                self._set_quietly({"play": 0, "playing": False})
                self._start()
        except Exception as error:
            self.show_error(error)
            return
        self.update()                                   # η and play continue from the current θ(t)

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
            self._last_draw = 0.0
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

    def _options(self):
        return {"activation": [self.controls["activation"].value, "sigmoid"], "cost": self.controls["cost"].value}

    def _advance(self, target):
        """Run gradient descent until step `target` (from θ(0) again if target is behind the current t)."""
        if target < self.t:
            self.theta = {k: v.copy() for k, v in self.params0.items()}
            self.history, self.t = self.history[:1], 0
        if target > self.t:
            self.theta, history = ck.gradient_descent(self.theta, self.X, self.Y, self.controls["eta"].value,
                                                      target - self.t, **self._options())
            self.history.extend(history[1:])                  # history[0] is E(θ(t)), already recorded
            self.t = target

    def refresh(self):
        play = self.controls["play"]
        self._advance(play.value * self.chunk)
        options = self._options()
        self.state = {"data": self.controls["data"].value, "t": self.t, "params": self.theta,
                      "params0": self.params0, "history": np.array(self.history), "E": self.history[-1],
                      "accuracy": ck.accuracy(self.theta, self.X, self.Y, activation=options["activation"]),
                      "X": self.X, "Y": self.Y, "eta": self.controls["eta"].value, **options}
        self.progress.value = self.t
        self.numbers.value = self._numbers_html()
        now = time.monotonic()
        if not play.playing or play.value >= play.max or now - self._last_draw >= self.min_draw_interval:
            self.figure.value = R.draw_png(self._fig, self._draw, dpi=80)
            self._last_draw = time.monotonic()

    def _numbers_html(self):
        s = self.state
        self.readouts = {
            "t": R.row("step t", f'<span class="ck-num" data-q="t">{s["t"]}</span>',
                       f"of {TICKS * self.chunk}, {self.chunk} per tick"),
            "E": R.row("E(θ(t))", R.span("E", s["E"]), f"total cost over R = {s['X'].shape[1]} examples, "
                       f"E(θ(0)) = {R.num(s['history'][0])}"),
            "accuracy": R.row("accuracy", R.span("accuracy", s["accuracy"], digits=3), "f2 > ½ counts as 1"),
        }
        return R.table(self.readouts.values())

    def _draw(self):
        s, (left, right) = self.state, self._axes
        history = s["history"]
        spread = history.max() / max(history.min(), 1e-300)
        plots.cost_curve(left, history, log=spread > 10, color=plots.PALETTE["blue"])
        left.plot([len(history) - 1], [history[-1]], "o", color=plots.PALETTE["blue"], markersize=4)
        if spread > 10:
            R.plain_log(left, "y")
        left.set_xlim(0, max(TICKS * self.chunk, 1))
        left.set_title(f"η = {s['eta']:.3g}, {s['cost'].replace('_', '-')} cost")
        plots.decision_boundary(right, s["params"], s["X"], s["Y"], activation=s["activation"], resolution=60)
        right.set_title(f"t = {s['t']}: f2 = ½ boundary")
        right.legend(loc="upper right", fontsize=7)


def training_view(dataset="xor", chunk=20, seed=0, interval=200):
    """Gradient descent played live: cost curve, decision boundary, progress, play/pause.

    Controls: "data" ("xor", "two_moons", "spirals"), "hidden" (n1), "activation" (σ of f1; f2 is a
    sigmoid), "cost", "eta", "play" (an ipywidgets.Play; value k means t = k·chunk steps), "reset".
    view.state: "t", "params" θ(t), "params0" θ(0), "history" (E(θ(0)), …, E(θ(t))), "E", "accuracy".
    """
    return TrainingView(dataset=dataset, chunk=chunk, seed=seed, interval=interval)
