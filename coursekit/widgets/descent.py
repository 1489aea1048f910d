"""descent_explorer(): θ(t+1) = θ(t) − η ∂E(θ(t))/∂θ on a two-parameter cost, and its stability limit.

Both costs are quadratics, E(θ) = E(θ*) + ½ (θ − θ*)ᵀ H (θ − θ*), so every step multiplies the error along
an eigenvector of H by (1 − η λ): the path converges exactly when η < 2 / λ_max.
- "bowl": E(θ) = ½ (θ₁² + 10 θ₂²), H = diag(1, 10), limit η < 0.2.
- "least_squares": L(θ) = ‖y − Φθ‖² of Example 5.11 (coursekit.data.linear_regression) with Φ = [1, x]
  and the x² weight held at its true value 3; ∂L/∂θ = −2 (y − Φθ)ᵀ Φ (5.83), H = 2 ΦᵀΦ.
θ₁ and θ₂ are the two components of θ, as in the notebooks' formulas.
"""
import numpy as np

from coursekit import data

from . import render as R
from .picture import Axes, Picture
from .view import Choice, Slider, View


class Surface:
    """A two-parameter cost with its gradient and Hessian, a plotting window, a starting point and contours."""

    def __init__(self, label, E, grad, H, theta_star, bounds, start):
        self.label, self.E, self.grad, self.H = label, E, grad, H
        self.theta_star, self.bounds, self.start = theta_star, bounds, np.array(start, dtype=float)
        self.E_min = E(theta_star)
        self.eigenvalues = np.linalg.eigvalsh(H)
        a, b = np.meshgrid(np.linspace(bounds[0], bounds[1], 80), np.linspace(bounds[2], bounds[3], 80))
        d = np.stack([a - theta_star[0], b - theta_star[1]])
        self.grid = (a, b, self.E_min + 0.5 * np.einsum("iuv,ij,juv->uv", d, H, d))
        self.levels = np.quantile(self.grid[2], np.linspace(0.002, 0.9, 12))
        self.contour_lines = {}                              # drawn once per plotting box


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
    convention = "θ = (θ<sub>1</sub>, θ<sub>2</sub>), the two parameters of the cost, as in the text."

    def __init__(self, surface="bowl", eta=0.15, steps=25):
        super().__init__()
        self.surfaces = {}
        self._add(Choice("surface", "cost E", [("bowl ½(θ₁² + 10θ₂²)", "bowl"),
                                               ("least squares, Example 5.11", "least_squares")],
                         surface, aria="cost E, the surface to descend"))
        self._add(Slider("eta", "η", eta, 1e-3, 1.0, 0.02, digits=3, fmt="sig", log=True,
                         aria="learning rate η (logarithmic scale)"))
        self._add(Slider("steps", "steps", steps, 0, 60, 1, integer=True, aria="number of gradient-descent steps"))
        self._ready([["row", "surface", "eta", "steps"], "picture", "numbers", "convention"])

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
        self.numbers = self._numbers_html(text, surface)
        self.picture = descent_picture(self.state, surface)
        self.live = f"η = {R.sig(eta)}: {kind}, E = {R.num(costs[-1])}"

    def _numbers_html(self, text, surface):
        s = self.state
        T = len(s["path"]) - 1
        stopped = f" (stopped after {T} steps: |θ − θ*| passed 10⁸)" if T < s["steps"] else ""
        self.readouts = {
            "eigenvalues": R.row("λ(H)", R.matrix("eigenvalues", s["eigenvalues"][None, :]),
                                 "eigenvalues of the Hessian H"),
            "eta_max": R.row("2/λ<sub>max</sub>", R.span("eta_max", s["eta_max"]), "the stability limit for η"),
            "factor": R.row("max |1 − ηλ|", R.span("factor", s["factor"]),
                            "shrink factor per step (below 1: converges)"),
            "verdict": R.row("η = " + R.num(s["eta"]),
                             f'<span class="{"ck-ok" if s["verdict"] == "converges" else "ck-bad"}" '
                             f'data-q="verdict">{text.replace("λ_max", "λ<sub>max</sub>")}</span>', ""),
            "E": R.row(f"E(θ({T}))", R.span("E", s["costs"][-1]), f"E(θ(0)) = {R.num(s['costs'][0])}, "
                       f"E(θ*) = {R.num(surface.E_min)}{stopped}"),
            "theta": R.row(f"θ({T})", R.matrix("theta", s["path"][-1][None, :]),
                           f"θ* = ({R.num(surface.theta_star[0])}, {R.num(surface.theta_star[1])})"),
        }
        return R.table(self.readouts.values())


def descent_picture(s, surface):
    """Left: contours of E and the path θ(0), θ(1), …; right: E(θ(t)) − E(θ*) against t on a log scale."""
    path, costs, T = s["path"], s["costs"], len(s["path"]) - 1
    gap = np.maximum(costs - surface.E_min, 1e-16)
    alt = (f"Gradient descent on the {s['surface'].replace('_', ' ')} cost with η = {R.sig(s['eta'])} "
           f"(limit {R.sig(s['eta_max'])}): {s['verdict']} after {T} steps, θ({T}) = "
           f"({R.num(path[-1][0])}, {R.num(path[-1][1])}), E(θ({T})) − E(θ*) = {R.sci(gap[-1])}.")
    p = Picture(600, 262, alt, cls="ck-descent")
    b = surface.bounds
    left = Axes(p, (58, 26, 220, 190), (b[0], b[1]), (b[2], b[3]))
    left.frame("θ_1", "θ_2", f"η = {R.sig(s['eta'])}, limit 2/λ_max = {R.sig(s['eta_max'])}".replace(
        "λ_max", "λ_{max}"))
    left.contours(*surface.grid, surface.levels, stroke="grid", width=1.0, cache=surface.contour_lines)
    left.plot(path[:, 0], path[:, 1], stroke="vermillion", width=1.4, data={"series": "path"})
    left.markers(path[1:, 0], path[1:, 1], fill="vermillion", stroke="bg", r=2.4)
    left.markers([path[0, 0]], [path[0, 1]], fill="fg", stroke="bg", r=4)
    left.markers([surface.theta_star[0]], [surface.theta_star[1]], fill="green", stroke="bg", r=5, shape="diamond")
    left.legend([("θ(t)", "vermillion", "circle"), ("θ(0)", "fg", "circle"), ("θ*", "green", "circle")])
    lo = min(np.floor(np.log10(gap.min())), -1.0)
    hi = max(np.ceil(np.log10(gap.max())), lo + 2)
    right = Axes(p, (372, 26, 214, 190), (0, max(T, 1)), (10.0 ** lo, 10.0 ** hi), ylog=True)
    right.frame("step t", "E(θ(t)) − E(θ*)", s["verdict"])
    right.plot(np.arange(T + 1), gap, stroke="vermillion", width=1.6, data={"series": "gap"})
    right.markers([T], [gap[-1]], fill="vermillion", stroke="bg", r=3.5)
    return p


def descent_explorer(surface="bowl", eta=0.15, steps=25):
    """Gradient descent on a two-parameter cost: η, number of steps, the path, and the limit η < 2/λ_max.

    Controls: "surface" ("bowl", "least_squares"), "eta", "steps". view.state: "path" (T+1, 2), "costs",
    "eigenvalues", "eta_max" = 2/λ_max, "verdict" ("converges", "oscillates", "diverges"), "factor".
    """
    return DescentExplorer(surface=surface, eta=eta, steps=steps)
