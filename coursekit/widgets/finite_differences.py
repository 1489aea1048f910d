"""finite_difference_explorer(): the step h of Definition 5.5, the secant against the tangent, error against h.

    forward  (f(x0 + h) − f(x0)) / h          error O(h) + O(ε/h)
    central  (f(x0 + h) − f(x0 − h)) / 2h     error O(h²) + O(ε/h)

Numbers come from coursekit.derivative(f, x0, h, scheme); the exact derivative from the function's rule.
"""
import ipywidgets as W
import numpy as np

import coursekit as ck
from coursekit import autodiff, plots

from . import render as R
from .view import STYLE, View, html

FUNCTIONS = {                     # name: (f, f', label)
    "sin": (np.sin, np.cos, "f(x) = sin x"),
    "exp": (np.exp, np.exp, "f(x) = eˣ"),
    "cube": (lambda x: x ** 3, lambda x: 3 * x ** 2, "f(x) = x³"),
    "5.109": (np.vectorize(autodiff.f_5_109), np.vectorize(autodiff.df_5_110), "f(x) = (5.109), f′ = (5.110)"),
}
H_GRID = np.logspace(-12, 0, 61)


class FiniteDifferenceExplorer(View):
    """Choose f, x0 and h = 10^k; see the secant and the tangent, and where h sits on the error curve."""

    title = "finite_difference_explorer"

    def __init__(self, function="sin", x0=1.0, log10_h=-1.0, scheme="forward"):
        super().__init__()
        self._add("function", W.Dropdown(options=[(v[2], k) for k, v in FUNCTIONS.items()], value=function,
                                         description="f", layout=W.Layout(width="280px"),
                                         style={"description_width": "20px"}))
        self._add("x0", W.FloatSlider(value=x0, min=-1.5, max=1.5, step=0.05, description="x0",
                                      continuous_update=False, layout=W.Layout(width="280px"),
                                      style={"description_width": "24px"}))
        self._add("log10_h", W.FloatSlider(value=log10_h, min=-12.0, max=0.0, step=0.25, description="log₁₀ h",
                                           continuous_update=False, readout_format=".2f",
                                           layout=W.Layout(width="320px"), style={"description_width": "52px"}))
        self._add("scheme", W.ToggleButtons(options=["forward", "central"], value=scheme,
                                            style={"button_width": "76px"}, layout=W.Layout(width="auto")))
        self.figure = W.Image(format="png", layout=W.Layout(flex="0 0 auto", align_self="flex-start"))
        self.figure.add_class("ck-figure")
        self.numbers = html("ck-numbers")
        self._fig, self._axes = R.new_figure(8.0, 3.0, ncols=2)
        self.children = [html(value=STYLE),
                         W.HBox([self.controls["function"], self.controls["x0"]]),
                         W.HBox([self.controls["log10_h"], self.controls["scheme"]]),
                         self.figure, self.numbers, self.output]
        self.add_class("ck-finite-difference-explorer")
        self.update()

    def refresh(self):
        name, x0 = self.controls["function"].value, self.controls["x0"].value
        h, scheme = 10.0 ** self.controls["log10_h"].value, self.controls["scheme"].value
        f, df, label = FUNCTIONS[name]
        exact = float(df(x0))
        fwd = ck.derivative(f, x0, h, scheme="forward")
        ctr = ck.derivative(f, x0, h, scheme="central")
        errors = {s: np.array([abs(ck.derivative(f, x0, k, scheme=s) - exact) for k in H_GRID])
                  for s in ("forward", "central")}
        self.state = {"function": name, "x0": x0, "h": h, "scheme": scheme, "exact": exact, "forward": fwd,
                      "central": ctr, "error_forward": abs(fwd - exact), "error_central": abs(ctr - exact),
                      "h_grid": H_GRID, "errors": errors}
        self.numbers.value = self._numbers_html(label)
        self.figure.value = R.draw_png(self._fig, lambda: self._draw(f, label))

    def _numbers_html(self, label):
        s = self.state
        self.readouts = {
            "h": R.row("h", R.span("h", s["h"], digits=12) if s["h"] >= 1e-4 else
                       f'<span class="ck-num" data-q="h">{s["h"]:.3e}</span>', "the step"),
            "exact": R.row("f′(x0)", R.span("exact", s["exact"], digits=10), "the exact derivative"),
            "forward": R.row("forward", R.span("forward", s["forward"], digits=10),
                             f'(f(x0 + h) − f(x0)) / h, error {s["error_forward"]:.2e}'),
            "central": R.row("central", R.span("central", s["central"], digits=10),
                             f'(f(x0 + h) − f(x0 − h)) / 2h, error {s["error_central"]:.2e}'),
        }
        return (R.table(self.readouts.values()) + '<div class="ck-note">Large h: the secant misses the '
                'tangent (truncation, O(h) forward, O(h²) central). Tiny h: f(x0 ± h) agree in almost all '
                'their digits and round-off (about ε/h, ε ≈ 2.2e−16) takes over.</div>')

    def _draw(self, f, label):
        s, (left, right) = self.state, self._axes
        x0, h, scheme = s["x0"], s["h"], s["scheme"]
        span = max(1.0, 1.5 * h)
        x = np.linspace(x0 - span, x0 + span, 200)
        left.plot(x, f(x), color=plots.PALETTE["blue"], label=label.split(",")[0])
        a, b = (x0, x0 + h) if scheme == "forward" else (x0 - h, x0 + h)
        slope = s[scheme]
        left.plot(x, f(a) + slope * (x - a), color=plots.PALETTE["green"], label=f"{scheme} secant")
        left.plot([a, b], [f(a), f(b)], "o", color=plots.PALETTE["green"], markersize=4)
        plots.tangent(left, f, x0, s["exact"], span=span, label="tangent, slope f′(x0)")   # dashed, on top
        pad = 0.15 * (f(x).max() - f(x).min() + 1e-9)
        left.set_ylim(f(x).min() - pad, f(x).max() + pad)
        left.set_xlabel("x")
        left.set_ylabel("f(x)")
        left.set_title(f"h = {h:.2g}")
        left.legend(loc="best")
        for name, colour in (("forward", plots.PALETTE["orange"]), ("central", plots.PALETTE["purple"])):
            right.loglog(s["h_grid"], np.maximum(s["errors"][name], 1e-17), color=colour, label=name)
            right.plot([h], [max(s[f"error_{name}"], 1e-17)], "o", color=colour, markersize=5)
        right.axvline(h, color=plots.PALETTE["black"], linewidth=0.8, linestyle=":")
        R.plain_log(right, "xy")
        right.set_xlabel("step h")
        right.set_ylabel("|difference quotient − f′(x0)|")
        right.set_title(f"error at x0 = {x0:g}")
        right.legend(loc="lower right")


def finite_difference_explorer(function="sin", x0=1.0, log10_h=-1.0, scheme="forward"):
    """Definition 5.5 made visible: choose f, x0 and h; secant vs tangent; error against h.

    Controls: "function" ("sin", "exp", "cube", "5.109"), "x0", "log10_h" (h = 10^value), "scheme"
    ("forward", "central"). view.state: "h", "exact", "forward", "central", "error_forward", "error_central".
    """
    return FiniteDifferenceExplorer(function=function, x0=x0, log10_h=log10_h, scheme=scheme)

