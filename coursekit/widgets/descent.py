"""descent_explorer(): θ(t+1) = θ(t) − η ∂E(θ(t))/∂θ on a two-parameter cost, and its stability limit.

Both costs are quadratics, E(θ) = E(θ*) + ½ (θ − θ*)ᵀ H (θ − θ*), so every step multiplies the error along
an eigenvector of H by (1 − η λ): the path converges exactly when η < 2 / λ_max.
- "bowl": E(θ) = ½ (θ₁² + 10 θ₂²), H = diag(1, 10), limit η < 0.2.
- "least_squares": L(θ) = ‖y − Φθ‖² of Example 5.11 (coursekit.data.linear_regression) with Φ = [1, x]
  and the x² weight held at its true value 3; ∂L/∂θ = −2 (y − Φθ)ᵀ Φ (5.83), H = 2 ΦᵀΦ.
"""
import ipywidgets as W
import numpy as np

from coursekit import data, plots

from . import render as R
from .view import STYLE, View, html


class Surface:
    """A two-parameter cost with its gradient and Hessian, a plotting window and a starting point."""

    def __init__(self, label, E, grad, H, theta_star, bounds, start):
        self.label, self.E, self.grad, self.H = label, E, grad, H
        self.theta_star, self.bounds, self.start = theta_star, bounds, np.array(start, dtype=float)
        self.E_min = E(theta_star)
        self.eigenvalues = np.linalg.eigvalsh(H)
        a, b = np.meshgrid(np.linspace(bounds[0], bounds[1], 80), np.linspace(bounds[2], bounds[3], 80))
        d = np.stack([a - theta_star[0], b - theta_star[1]])
        self.grid = (a, b, self.E_min + 0.5 * np.einsum("iuv,ij,juv->uv", d, H, d))


def bowl():
    H = np.diag([1.0, 10.0])
    return Surface("bowl  E(θ) = ½(θ₁² + 10 θ₂²)", lambda t: 0.5 * t @ H @ t, lambda t: H @ t, H,
                   np.zeros(2), (-3.0, 3.0, -2.0, 2.0), (-2.5, 1.5))


def least_squares():
    reg = data.linear_regression()
    Phi = reg.Phi[:, :2]                                      # columns 1 and x
    y = reg.y[:, 0] - reg.theta[2, 0] * reg.x ** 2            # the x² term held at its true weight
    theta_star = np.linalg.lstsq(Phi, y, rcond=None)[0]
    return Surface("least squares  L(θ) = ‖y − Φθ‖² (Example 5.11)",
                   lambda t: float(np.sum((y - Phi @ t) ** 2)),
                   lambda t: -2.0 * (y - Phi @ t) @ Phi,            # (5.83), a row, stored flat
                   2.0 * Phi.T @ Phi, theta_star, (-1.5, 3.5, -4.5, 0.5), (-1.0, 0.0))


SURFACES = {"bowl": bowl, "least_squares": least_squares}


def descend(surface, eta, steps, blow_up=1e8):
    """The path θ(0), …, θ(T) of gradient descent, stopped early once |θ − θ*| exceeds `blow_up`."""
    path = [surface.start.copy()]
    for _ in range(steps):
        theta = path[-1] - eta * surface.grad(path[-1])         # θ(t+1) = θ(t) − η ∂E/∂θ
        path.append(theta)
        if not np.all(np.isfinite(theta)) or np.linalg.norm(theta - surface.theta_star) > blow_up:
            break
    return np.array(path)


def verdict(eta, lam_max):
    if eta < 1.0 / lam_max:
        return "converges", "converges without overshooting (η < 1/λ_max)"
    if eta < 2.0 / lam_max:
        return "converges", "converges, zig-zagging across the valley (1/λ_max ≤ η < 2/λ_max)"
    if eta == 2.0 / lam_max:
        return "oscillates", "bounces back and forth for ever (η = 2/λ_max)"
    return "diverges", "diverges: η is above the stability limit 2/λ_max"


class DescentExplorer(View):
    """Choose the cost, η and the number of steps; see the path, the cost per step and the stability limit."""

    title = "descent_explorer"

    def __init__(self, surface="bowl", eta=0.15, steps=25):
        super().__init__()
        self.surfaces = {}
        self._add("surface", W.Dropdown(options=[("bowl ½(θ₁² + 10θ₂²)", "bowl"),
                                                 ("least squares, Example 5.11", "least_squares")],
                                        value=surface, description="E", layout=W.Layout(width="300px"),
                                        style={"description_width": "20px"}))
        self._add("eta", W.FloatLogSlider(value=eta, base=10, min=-3, max=0, step=0.02, description="η",
                                          readout_format=".4f", continuous_update=False,
                                          layout=W.Layout(width="320px"), style={"description_width": "20px"}))
        self._add("steps", W.IntSlider(value=steps, min=0, max=60, description="steps", continuous_update=False,
                                       layout=W.Layout(width="280px"), style={"description_width": "40px"}))
        self.figure = W.Image(format="png", layout=W.Layout(flex="0 0 auto", align_self="flex-start"))
        self.figure.add_class("ck-figure")
        self.numbers = html("ck-numbers")
        self._fig, self._axes = R.new_figure(8.0, 3.0, ncols=2)
        self.children = [html(value=STYLE), self.controls["surface"],
                         W.HBox([self.controls["eta"], self.controls["steps"]]), self.figure, self.numbers,
                         self.output]
        self.add_class("ck-descent-explorer")
        self.update()

    def surface(self):
        name = self.controls["surface"].value
        if name not in self.surfaces:
            self.surfaces[name] = SURFACES[name]()
        return self.surfaces[name]

    def refresh(self):
        surface, eta, steps = self.surface(), self.controls["eta"].value, self.controls["steps"].value
        path = descend(surface, eta, steps)
        costs = np.array([surface.E(theta) for theta in path])
        lam = surface.eigenvalues
        kind, text = verdict(eta, lam.max())
        self.state = {"surface": self.controls["surface"].value, "eta": eta, "steps": steps, "path": path,
                      "costs": costs, "eigenvalues": lam, "eta_max": 2.0 / lam.max(), "verdict": kind,
                      "factor": float(np.max(np.abs(1.0 - eta * lam))), "theta_star": surface.theta_star}
        self.numbers.value = self._numbers_html(text, surface)
        self.figure.value = R.draw_png(self._fig, lambda: self._draw(surface))

    def _numbers_html(self, text, surface):
        s = self.state
        T = len(s["path"]) - 1
        stopped = f" (stopped after {T} steps: |θ − θ*| passed 10⁸)" if T < s["steps"] else ""
        self.readouts = {
            "eigenvalues": R.row("λ(H)", R.matrix("eigenvalues", s["eigenvalues"][None, :]),
                                 "eigenvalues of the Hessian H"),
            "eta_max": R.row("2/λ_max", R.span("eta_max", s["eta_max"]), "the stability limit for η"),
            "factor": R.row("max |1 − ηλ|", R.span("factor", s["factor"]),
                            "shrink factor per step (below 1: converges)"),
            "verdict": R.row("η = " + R.num(s["eta"]),
                             f'<span class="{"ck-ok" if s["verdict"] == "converges" else "ck-bad"}" '
                             f'data-q="verdict">{text}</span>', ""),
            "E": R.row(f"E(θ({T}))", R.span("E", s["costs"][-1]), f"E(θ(0)) = {R.num(s['costs'][0])}, "
                       f"E(θ*) = {R.num(surface.E_min)}{stopped}"),
            "theta": R.row(f"θ({T})", R.matrix("theta", s["path"][-1][None, :]),
                           f"θ* = ({R.num(surface.theta_star[0])}, {R.num(surface.theta_star[1])})"),
        }
        return R.table(self.readouts.values())

    def _draw(self, surface):
        s, (left, right) = self.state, self._axes
        a, b, values = surface.grid
        left.contour(a, b, values, levels=np.quantile(values, np.linspace(0.002, 0.9, 14)),
                     cmap=plots.SEQUENTIAL, linewidths=0.8)
        path = s["path"]
        left.plot(path[:, 0], path[:, 1], ".-", color=plots.PALETTE["vermillion"], markersize=4, linewidth=1,
                  label="θ(t)")
        left.plot(*path[0], "o", color=plots.PALETTE["black"], markersize=5, label="θ(0)")
        left.plot(*surface.theta_star, "*", color=plots.PALETTE["green"], markersize=9, label="θ*")
        left.set_xlim(surface.bounds[0], surface.bounds[1])
        left.set_ylim(surface.bounds[2], surface.bounds[3])
        left.set_xlabel("θ₁")
        left.set_ylabel("θ₂")
        left.set_title(f"η = {s['eta']:.4g}, limit 2/λ_max = {s['eta_max']:.4g}")
        left.legend(loc="upper right")
        gap = np.maximum(s["costs"] - surface.E_min, 1e-300)
        plots.cost_curve(right, gap, log=True, color=plots.PALETTE["vermillion"])
        R.plain_log(right, "y")
        right.set_ylabel("E(θ(t)) − E(θ*)")
        right.set_title(s["verdict"])


def descent_explorer(surface="bowl", eta=0.15, steps=25):
    """Gradient descent on a two-parameter cost: η, number of steps, the path, and the limit η < 2/λ_max.

    Controls: "surface" ("bowl", "least_squares"), "eta", "steps". view.state: "path" (T+1, 2), "costs",
    "eigenvalues", "eta_max" = 2/λ_max, "verdict" ("converges", "oscillates", "diverges"), "factor".
    """
    return DescentExplorer(surface=surface, eta=eta, steps=steps)
