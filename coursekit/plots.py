"""Figures the notebooks share: small (about 4 × 3 inches), labelled in the lecture's notation, colour-blind-safe.

Colours are the Okabe–Ito palette; signed quantities (Jacobian entries, gradients) use the diverging
PuOr map centred at 0, magnitudes use cividis. Imported on first use (`coursekit.plots`), so
`import coursekit` never loads matplotlib.
"""
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from .network import check_X, forward_unchecked
from .activations import layer_activations

PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
           "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000"}
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]
DIVERGING = "PuOr"
SEQUENTIAL = "cividis"


def use_course_style():
    """Small figures, the Okabe–Ito colour cycle and readable labels, for every figure that follows."""
    mpl.rcParams.update({
        "figure.figsize": (4.0, 3.0), "figure.dpi": 100, "savefig.dpi": 100,
        "axes.prop_cycle": mpl.cycler(color=CYCLE), "axes.grid": True, "grid.alpha": 0.3,
        "axes.spines.top": False, "axes.spines.right": False,
        "font.size": 9, "axes.titlesize": 9, "axes.labelsize": 9, "legend.fontsize": 8,
        "image.cmap": SEQUENTIAL, "figure.constrained_layout.use": True,
    })


def cost_curve(ax, history, label=None, log=False, color=None):
    """E(θ(t)) against the step t; `log` for a logarithmic E axis."""
    ax.plot(np.arange(len(history)), history, label=label, color=color)
    ax.set_xlabel("step t")
    ax.set_ylabel("total cost E(θ(t))")
    if log:
        ax.set_yscale("log")
    if label:
        ax.legend()
    return ax


def decision_boundary(ax, params, X, Y, activation="sigmoid", resolution=150, margin=0.3):
    """Network output f_K over the plane (shaded) with the f_K = ½ contour and the labelled points X (2, R)."""
    X, params, sizes = check_X(X, params)
    if sizes[0] != 2 or sizes[-1] != 1:
        raise ValueError(f"decision_boundary needs n0 = 2 inputs and n_K = 1 output; the network has sizes {sizes}")
    (x_min, y_min), (x_max, y_max) = X.min(axis=1) - margin, X.max(axis=1) + margin
    u, v = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    grid = np.stack([u.ravel(), v.ravel()])
    K = len(sizes) - 1
    out = forward_unchecked(params, grid, layer_activations(activation, K))[f"f{K}"].reshape(u.shape)
    ax.contourf(u, v, out, levels=np.linspace(min(0.0, out.min()), max(1.0, out.max()), 11),
                cmap=DIVERGING, alpha=0.45)
    ax.contour(u, v, out, levels=[0.5], colors=PALETTE["black"], linewidths=1.2)
    labels = np.asarray(Y).ravel() > 0.5
    ax.scatter(*X[:, ~labels], s=14, color=PALETTE["orange"], edgecolor="k", linewidth=0.3, label="Y = 0")
    ax.scatter(*X[:, labels], s=14, color=PALETTE["purple"], marker="s", edgecolor="k", linewidth=0.3,
               label="Y = 1")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    return ax


def jacobian_heatmap(ax, J, title="", row_label="output i", col_label="input j", annotate=True):
    """A matrix (e.g. a Jacobian J[i, j] = ∂f_i/∂x_j) as a diverging heatmap centred at 0, entries written in."""
    J = np.asarray(J, dtype=float)
    if J.ndim == 1:
        J = J[None, :]
    bound = max(np.abs(J).max(), 1e-12)
    image = ax.imshow(J, cmap=DIVERGING, vmin=-bound, vmax=bound)
    if annotate and J.size <= 64:
        for (i, j), value in np.ndenumerate(J):
            ax.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=7,
                    color="white" if abs(value) > 0.6 * bound else "black")
    ax.set_xticks(range(J.shape[1]))
    ax.set_yticks(range(J.shape[0]))
    ax.set_xlabel(col_label)
    ax.set_ylabel(row_label)
    ax.set_title(title or f"{J.shape[0]} × {J.shape[1]}")
    ax.grid(False)
    return image


def tangent(ax, f, x0, slope, span=1.0, label=None, color=None):
    """The line through (x0, f(x0)) with the given slope, drawn over [x0 − span, x0 + span]."""
    x = np.linspace(x0 - span, x0 + span, 2)
    ax.plot(x, f(x0) + slope * (x - x0), "--", color=color or PALETTE["vermillion"], label=label)
    ax.plot([x0], [f(x0)], "o", color=color or PALETTE["vermillion"], markersize=4)
    return ax


def descent_path(ax, E, path, bounds, resolution=120, levels=20):
    """Contours of a cost E(θ1, θ2) over bounds (θ1 min, θ1 max, θ2 min, θ2 max) and a descent path (T, 2)."""
    a, b = np.meshgrid(np.linspace(bounds[0], bounds[1], resolution), np.linspace(bounds[2], bounds[3], resolution))
    values = np.vectorize(lambda s, t: E(np.array([s, t])))(a, b)
    ax.contour(a, b, values, levels=levels, cmap=SEQUENTIAL, linewidths=0.8)
    path = np.asarray(path, dtype=float)
    ax.plot(path[:, 0], path[:, 1], ".-", color=PALETTE["vermillion"], markersize=4, linewidth=1)
    ax.plot(*path[0], "o", color=PALETTE["black"], markersize=5, label="θ(0)")
    ax.set_xlabel("θ₁")
    ax.set_ylabel("θ₂")
    ax.legend(loc="upper right")
    return ax


def figure(ncols=1, nrows=1, width=4.0, height=3.0, **kwargs):
    """plt.subplots with the course's per-panel size (width × height inches for each panel)."""
    return plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kwargs)
