"""finite_difference_explorer(): the step h of Definition 5.5, the secant against the tangent, error against h.

    forward  (f(x0 + h) − f(x0)) / h          error O(h) + O(ε/h)
    central  (f(x0 + h) − f(x0 − h)) / 2h     error O(h²) + O(ε/h)

Numbers come from coursekit.derivative(f, x0, h, scheme); the exact derivative from the function's rule.
"""
import numpy as np

import coursekit as ck
from coursekit import autodiff

from . import render as R
from .picture import Axes, Picture
from .view import Choice, Slider, View

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
        self._curve_of, self._curve = None, None
        self._add(Choice("function", "f", [(v[2], k) for k, v in FUNCTIONS.items()], function,
                         aria="the function f"))
        self._add(Slider("x0", "x<sub>0</sub>", x0, -1.5, 1.5, 0.05, digits=2, aria="x0, where f′ is taken"))
        self._add(Slider("log10_h", "log<sub>10</sub> h", log10_h, -12.0, 0.0, 0.25, digits=2,
                         aria="log10 h: the step h is 10 to this power"))
        self._add(Choice("scheme", "secant", ["forward", "central"], scheme, toggle=True,
                         aria="secant: forward or central difference quotient"))
        self._ready([["row", "function", "x0"], ["row", "log10_h", "scheme"], "picture", "numbers"])

    def refresh(self):
        name, x0 = self.controls["function"].value, self.controls["x0"].value
        h, scheme = 10.0 ** self.controls["log10_h"].value, self.controls["scheme"].value
        f, df, label = FUNCTIONS[name]
        exact = float(df(x0))
        fwd = ck.derivative(f, x0, h, scheme="forward")
        ctr = ck.derivative(f, x0, h, scheme="central")
        if self._curve_of != (name, x0):                      # the error curve depends on f and x0 only
            self._curve = {s: np.array([abs(ck.derivative(f, x0, k, scheme=s) - exact) for k in H_GRID])
                           for s in ("forward", "central")}
            self._curve_of = (name, x0)
        errors = self._curve
        self.state = {"function": name, "x0": x0, "h": h, "scheme": scheme, "exact": exact, "forward": fwd,
                      "central": ctr, "error_forward": abs(fwd - exact), "error_central": abs(ctr - exact),
                      "h_grid": H_GRID, "errors": errors}
        self.numbers = self._numbers_html()
        self.picture = difference_picture(self.state, f, label)
        self.live = (f"h = {R.sci(h)}: {scheme} error {R.sci(self.state['error_' + scheme])}")

    def _numbers_html(self):
        s = self.state
        self.readouts = {
            "h": R.row("h", f'<span class="ck-num" data-q="h">{R.sig(s["h"])}</span>', "the step, 10 to the power log₁₀ h"),
            "exact": R.row("f′(x<sub>0</sub>)", R.span("exact", s["exact"], digits=10), "the exact derivative"),
            "forward": R.row("forward", R.span("forward", s["forward"], digits=10),
                             f'(f(x<sub>0</sub> + h) − f(x<sub>0</sub>)) / h, error {R.sci(s["error_forward"])}'),
            "central": R.row("central", R.span("central", s["central"], digits=10),
                             f'(f(x<sub>0</sub> + h) − f(x<sub>0</sub> − h)) / 2h, error {R.sci(s["error_central"])}'),
        }
        return (R.table(self.readouts.values()) + '<div class="ck-muted">Large h: the secant misses the '
                'tangent (truncation, O(h) forward, O(h²) central). Tiny h: f(x<sub>0</sub> ± h) agree in almost '
                'all their digits and round-off (about ε/h, ε ≈ 2.2 × 10⁻¹⁶) takes over.</div>')


def difference_picture(s, f, label):
    """Left: f near x0, the tangent and the secant; right: |quotient − f′(x0)| against h, both schemes."""
    x0, h, scheme = s["x0"], s["h"], s["scheme"]
    alt = (f"{label} at x0 = {R.num(x0, 2)}, h = {R.sci(h)}: forward quotient {R.num(s['forward'], 6)} "
           f"(error {R.sci(s['error_forward'])}), central {R.num(s['central'], 6)} (error "
           f"{R.sci(s['error_central'])}), exact f′(x0) = {R.num(s['exact'], 6)}.")
    p = Picture(600, 262, alt, cls="ck-differences")
    span = max(1.0, 1.5 * h)
    x = np.linspace(x0 - span, x0 + span, 120)
    y = f(x)
    pad = 0.15 * (y.max() - y.min() + 1e-9)
    left = Axes(p, (58, 26, 220, 190), (x[0], x[-1]), (y.min() - pad, y.max() + pad))
    left.frame("x", "f(x)", f"h = {R.sig(h)}")
    a, b = (x0, x0 + h) if scheme == "forward" else (x0 - h, x0 + h)
    slope = s[scheme]
    left.plot(x, y, stroke="blue", width=1.8, data={"series": "f"})
    left.plot(x, f(a) + slope * (x - a), stroke="green", width=1.4, data={"series": "secant"})
    left.plot(x, f(x0) + s["exact"] * (x - x0), stroke="vermillion", width=1.4, dash=(5, 3),
              data={"series": "tangent"})
    left.markers([a, b], [f(a), f(b)], fill="green", stroke="bg", r=3.5)
    left.markers([x0], [f(x0)], fill="vermillion", stroke="bg", r=3.5)
    left.legend([(label.split(",")[0], "blue", "line"), (f"{scheme} secant", "green", "line"),
                 ("tangent, slope f′(x_0)", "vermillion", "dashed")], corner="lower right")
    right = Axes(p, (372, 26, 214, 190), (1e-12, 1.0), (1e-17, 10.0), xlog=True, ylog=True)
    right.frame("step h", "|quotient − f′(x_0)|", f"error at x_0 = {R.num(x0, 2)}")
    for name, role in (("forward", "orange"), ("central", "purple")):
        right.plot(s["h_grid"], np.maximum(s["errors"][name], 1e-17), stroke=role, width=1.6, data={"series": name})
        right.markers([h], [max(s[f"error_{name}"], 1e-17)], fill=role, stroke="bg", r=3.5)
    right.vline(h, stroke="fg", width=1.0)
    right.legend([("forward", "orange", "line"), ("central", "purple", "line")], corner="lower right")
    return p


def finite_difference_explorer(function="sin", x0=1.0, log10_h=-1.0, scheme="forward"):
    """Definition 5.5 made visible: choose f, x0 and h; secant vs tangent; error against h.

    Controls: "function" ("sin", "exp", "cube", "5.109"), "x0", "log10_h" (h = 10^value), "scheme"
    ("forward", "central"). view.state: "h", "exact", "forward", "central", "error_forward", "error_central".
    """
    return FiniteDifferenceExplorer(function=function, x0=x0, log10_h=log10_h, scheme=scheme)
