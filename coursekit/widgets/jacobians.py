"""jacobian_explorer(): each factor of the Backward Paths as a matrix, its shape, and where it is used.

For one example r of the lecture's two-layer sigmoid network with the squared cost (by default 2-3-2, so that
f2 is a vector and every factor a real matrix):

    (1)  ∂E/∂b1 = (f2 − Y)ᵀ · ∂f2/∂Z2 · ∂Z2/∂b1
    (2)  ∂E/∂b0 = (f2 − Y)ᵀ · ∂f2/∂Z2 · ∂Z2/∂f1 · ∂f1/∂Z1 · ∂Z1/∂b0
    (3)  ∂E/∂α  = (f2 − Y)ᵀ · ∂f2/∂Z2 · ∂Z2/∂α,     α ∈ A1
    (4)  ∂E/∂β  = (f2 − Y)ᵀ · ∂f2/∂Z2 · ∂Z2/∂f1 · ∂f1/∂Z1 · ∂Z1/∂β,   β ∈ A0

Each factor is built from coursekit.forward's trace, checked against coursekit.jacobian (central differences),
and each product against coursekit.backward.
"""
import ipywidgets as W
import numpy as np

import coursekit as ck
from coursekit import activations, data, plots

from . import render as R
from .view import STYLE, View, html

FACTORS = {   # key: (label, short name in a product)
    "dE_df2": ("∂E/∂f2 = (f2 − Y)ᵀ", "(f2 − Y)ᵀ"),
    "df2_dZ2": ("∂f2/∂Z2 = diag(σ′(Z2))", "diag(σ′(Z2))"),
    "dZ2_db1": ("∂Z2/∂b1 = I", "I"),
    "dZ2_df1": ("∂Z2/∂f1 = A1", "A1"),
    "dZ2_dalpha": ("∂Z2/∂α = [∂A1/∂α] f1, α ∈ A1", "∂Z2/∂α"),
    "dZ2_dA1": ("∂Z2/∂A1, all α at once (5.92)", "∂Z2/∂A1"),
    "df1_dZ1": ("∂f1/∂Z1 = diag(σ′(Z1))", "diag(σ′(Z1))"),
    "dZ1_db0": ("∂Z1/∂b0 = I", "I"),
    "dZ1_dbeta": ("∂Z1/∂β = [∂A0/∂β] f0, β ∈ A0", "∂Z1/∂β"),
    "dZ1_dA0": ("∂Z1/∂A0, all β at once (5.92)", "∂Z1/∂A0"),
}
PATHS = {     # Backward Path: its factors left to right, and what the product equals
    "(1)": (["dE_df2", "df2_dZ2", "dZ2_db1"], "∂E/∂b1"),
    "(2)": (["dE_df2", "df2_dZ2", "dZ2_df1", "df1_dZ1", "dZ1_db0"], "∂E/∂b0"),
    "(3)": (["dE_df2", "df2_dZ2", "dZ2_dalpha"], "∂E/∂α"),
    "(3), all α": (["dE_df2", "df2_dZ2", "dZ2_dA1"], "∂E/∂A1, flattened"),
    "(4)": (["dE_df2", "df2_dZ2", "dZ2_df1", "df1_dZ1", "dZ1_dbeta"], "∂E/∂β"),
    "(4), all β": (["dE_df2", "df2_dZ2", "dZ2_df1", "df1_dZ1", "dZ1_dA0"], "∂E/∂A0, flattened"),
}
WHY = {
    "dE_df2": "The cost's own derivative: a row with one entry per output, the start of every Backward Path.",
    "df2_dZ2": "σ acts entry by entry, so output k depends only on Z2[k]: the Jacobian is diagonal.",
    "df1_dZ1": "σ acts entry by entry, so f1[k] depends only on Z1[k]: the Jacobian is diagonal.",
    "dZ2_db1": "Z2 = A1 f1 + b1 moves one for one with b1: the identity, so ∂E/∂b1 is ∂E/∂Z2 itself.",
    "dZ1_db0": "Z1 = A0 f0 + b0 moves one for one with b0: the identity, so ∂E/∂b0 is ∂E/∂Z1 itself.",
    "dZ2_df1": "Z2 = A1 f1 + b1 is linear in f1: its Jacobian is A1, and multiplying by it sends the row back "
               "through the weights.",
    "dZ2_dalpha": "∂A1/∂α is zero except a 1 at α's place, so ∂Z2/∂α is a column with f1[j] in row i: "
                  "∂E/∂α = (∂E/∂Z2)[i] · f1[j].",
    "dZ1_dbeta": "∂A0/∂β is zero except a 1 at β's place, so ∂Z1/∂β is a column with f0[l] in row k: "
                 "∂E/∂β = (∂E/∂Z1)[k] · f0[l].",
    "dZ2_dA1": "Every α at once, one column per entry of A1 (row-major): row i holds f1ᵀ in block i and zeros "
               "elsewhere (5.92). Mostly zeros, which is why code writes ∂E/∂A1 = δ2 f1ᵀ instead.",
    "dZ1_dA0": "Every β at once, one column per entry of A0 (row-major): row k holds f0ᵀ in block k and zeros "
               "elsewhere (5.92). Mostly zeros, which is why code writes ∂E/∂A0 = δ1 f0ᵀ instead.",
}


def factors(params, trace, Y, alpha, beta):
    """Every factor as a matrix (numerator layout) and the function whose Jacobian it is, for one example."""
    f0, Z1, f1, Z2, f2 = (trace[k] for k in ("f0", "Z1", "f1", "Z2", "f2"))
    A0, b0, A1, b1 = (params[k] for k in ("A0", "b0", "A1", "b1"))
    sig, dsig = activations.sigmoid, activations.sigmoid_prime
    (i, j), (k, l) = alpha, beta

    def unit(shape, index):
        E = np.zeros(shape)
        E[index] = 1.0
        return E

    def with_entry(A, index, value):
        A = A.copy()
        A[index] = value[0]
        return A

    col = lambda v: np.asarray(v, dtype=float).reshape(-1, 1)                 # noqa: E731
    return {   # key: (J, g, point) with J = dg/dpoint at the point
        "dE_df2": ((f2 - Y).T, lambda v: 0.5 * np.sum((col(v) - Y) ** 2), f2),
        "df2_dZ2": (np.diag(dsig(Z2, f2)[:, 0]), lambda z: sig(col(z)), Z2),
        "dZ2_db1": (np.eye(b1.shape[0]), lambda b: A1 @ f1 + col(b), b1),
        "dZ2_df1": (A1, lambda f: A1 @ col(f) + b1, f1),
        "dZ2_dalpha": (unit(A1.shape, (i, j)) @ f1, lambda a: with_entry(A1, (i, j), a) @ f1 + b1,
                       A1[i:i + 1, j]),
        "dZ2_dA1": (np.kron(np.eye(A1.shape[0]), f1.T),
                    lambda a: a.reshape(A1.shape) @ f1 + b1, A1.ravel()),
        "df1_dZ1": (np.diag(dsig(Z1, f1)[:, 0]), lambda z: sig(col(z)), Z1),
        "dZ1_db0": (np.eye(b0.shape[0]), lambda b: A0 @ f0 + col(b), b0),
        "dZ1_dbeta": (unit(A0.shape, (k, l)) @ f0, lambda a: with_entry(A0, (k, l), a) @ f0 + b0,
                      A0[k:k + 1, l]),
        "dZ1_dA0": (np.kron(np.eye(A0.shape[0]), f0.T),
                    lambda a: a.reshape(A0.shape) @ f0 + b0, A0.ravel()),
    }


def default_network():
    """The explorer's own example: a 2-3-2 sigmoid network (θ rounded to 2 decimals), XOR inputs, and the
    targets Y = [XOR label; 1 − XOR label] so that f2 and Y are vectors and every factor a real matrix."""
    params = {key: np.round(value, 2) for key, value in ck.init_params([2, 3, 2], seed=0).items()}
    X, y = data.xor()
    return params, X, np.vstack([y, 1.0 - y])


class JacobianExplorer(View):
    """Pick a factor (and an entry α or β); see its matrix, shape, numerical check and Backward Path."""

    title = "jacobian_explorer"

    def __init__(self, params=None, X=None, Y=None, factor="df1_dZ1", example=None):
        super().__init__()
        if params is None:
            params, X0, Y0 = default_network()
            X, Y = (X0 if X is None else X), (Y0 if Y is None else Y)
            example = 3 if example is None else example               # x = (1, 1): every entry of f0 counts
        example = 0 if example is None else example
        if X is None or Y is None:
            raise ValueError("give X (n0, R) and Y (n2, R) together with params")
        self.params = {key: np.array(value, dtype=float) for key, value in params.items()}
        if set(self.params) != {"A0", "b0", "A1", "b1"}:
            raise ValueError(f"the Backward Paths (1)–(4) are for the lecture's two-layer network: params needs "
                             f"A0, b0, A1, b1; got {', '.join(sorted(self.params))}")
        self.X_all, self.Y_all = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        ck.total_cost(self.params, self.X_all, self.Y_all)          # refuses wrong shapes, in the lecture's words
        (n1, n0), n2 = self.params["A0"].shape, self.params["A1"].shape[0]
        self._add("factor", W.Dropdown(options=[(v[0], k) for k, v in FACTORS.items()], value=factor,
                                       description="factor", layout=W.Layout(width="380px"),
                                       style={"description_width": "44px"}))
        self._add("example", W.Dropdown(options=[(example_label(x, y), r) for r, (x, y)
                                                 in enumerate(zip(self.X_all.T, self.Y_all.T))],
                                        value=example, description="f0 = X", layout=W.Layout(width="300px"),
                                        style={"description_width": "50px"}))
        self._add("alpha", W.Dropdown(options=[(f"α = A1[{i},{j}]", (i, j)) for i, j in np.ndindex(n2, n1)],
                                      value=(0, 1), layout=W.Layout(width="130px")))
        self._add("beta", W.Dropdown(options=[(f"β = A0[{k},{l}]", (k, l)) for k, l in np.ndindex(n1, n0)],
                                     value=(1, 0), layout=W.Layout(width="130px")))
        self.figure = W.Image(format="png", layout=W.Layout(flex="0 0 auto", align_self="flex-start"))
        self.figure.add_class("ck-figure")
        self.numbers = html("ck-numbers")
        self._fig, self._axes = R.new_figure(3.8, 2.8)
        self.children = [html(value=STYLE),
                         W.HBox([self.controls["factor"], self.controls["alpha"], self.controls["beta"],
                                 self.controls["example"]], layout=W.Layout(flex_flow="row wrap")),
                         self.figure, self.numbers, self.output]
        self.add_class("ck-jacobian-explorer")
        self.update()

    def refresh(self):
        key, r = self.controls["factor"].value, self.controls["example"].value
        alpha, beta = self.controls["alpha"].value, self.controls["beta"].value
        self.controls["alpha"].layout.display = None if key == "dZ2_dalpha" else "none"
        self.controls["beta"].layout.display = None if key == "dZ1_dbeta" else "none"
        X, Y = self.X_all[:, [r]], self.Y_all[:, [r]]
        trace = ck.forward(self.params, X)
        grads = ck.backward(self.params, trace, Y)
        all_factors = factors(self.params, trace, Y, alpha, beta)
        J, g, point = all_factors[key]
        J_numeric = ck.jacobian(lambda v: np.ravel(g(v)), np.ravel(point))
        expected = {"(1)": grads["b1"].T, "(2)": grads["b0"].T, "(3)": grads["A1"][alpha].reshape(1, 1),
                    "(3), all α": grads["A1"].reshape(1, -1), "(4)": grads["A0"][beta].reshape(1, 1),
                    "(4), all β": grads["A0"].reshape(1, -1)}
        paths = {}
        for name, (keys, _) in PATHS.items():
            if key in keys:
                product = all_factors[keys[0]][0]
                for other in keys[1:]:
                    product = product @ all_factors[other][0]
                paths[name] = (product, expected[name])
        self.state = {"factor": key, "J": J, "J_numeric": J_numeric, "shape": J.shape, "trace": trace,
                      "grads": grads, "paths": paths, "params": self.params, "X": X, "Y": Y}
        if key in ("df2_dZ2", "df1_dZ1"):
            keys = PATHS["(2)"][0]
            u = all_factors["dE_df2"][0]                       # the row that arrives from the left
            for other in keys[1:keys.index(key)]:
                u = u @ all_factors[other][0]
            d = np.diag(J)
            self.state.update(u=u, sigma_prime=d, matrix_product=u @ J, elementwise=u * d[None, :])
        self.numbers.value = self._numbers_html(all_factors)
        self.figure.value = R.draw_png(self._fig, self._draw)

    def _numbers_html(self, all_factors):
        s, key = self.state, self.state["factor"]
        label = FACTORS[key][0]
        err = float(np.max(np.abs(s["J"] - s["J_numeric"])))
        self.readouts = {
            "J": R.row(label, R.matrix("J", s["J"], signed=True), f"shape {R.shape(s['J'])}", below=True),
            "numeric": R.row("Check.", f'<span class="ck-num" data-q="numeric_error">{err:.1e}</span>',
                             "max |J − coursekit.jacobian| (central differences)", below=True),
            "why": R.row("Why", f'<span class="ck-note">{WHY[key]}</span>', "", below=True),
        }
        if "u" in s:
            n = s["u"].shape[1]
            self.readouts["diagonal"] = R.row(
                "diag → ⊙",
                f"u = {R.matrix('u', s['u'])} (the row arriving from the left)<br>"
                f"u · diag(σ′) = {R.matrix('matrix_product', s['matrix_product'])} "
                f"u ⊙ σ′ᵀ = {R.matrix('elementwise', s['elementwise'])}",
                f"the same numbers: {n}² = {n * n} multiplications become {n}", below=True)
        for name, (product, expected) in s["paths"].items():
            keys, result = PATHS[name]
            chain = " · ".join((f"<b>{FACTORS[k][1]}</b>" if k == key else FACTORS[k][1])
                               + f'<span class="ck-note"> ({R.shape(all_factors[k][0])})</span>' for k in keys)
            same = np.allclose(product, expected, rtol=1e-12, atol=1e-15)
            self.readouts["path" + name] = R.row(
                f"Backward Path {name}",
                f"{result} = {chain} = {R.matrix('path' + name, product)} "
                f'<span class="{"ck-ok" if same else "ck-bad"}">'
                f'{"= coursekit.backward ✓" if same else "≠ coursekit.backward"}</span>',
                f"result {R.shape(product)}", below=True)
        return R.table(self.readouts.values())

    def _draw(self):
        ax = self._axes[0]
        plots.jacobian_heatmap(ax, self.state["J"], title=f"{FACTORS[self.state['factor']][0]}   "
                               f"({R.shape(self.state['J'])})", row_label="output (row)",
                               col_label="input (column)")


def example_label(x, y):
    short = lambda v: "(" + ", ".join(f"{e:g}" for e in v) + ")"                   # noqa: E731
    return f"x = {short(x)}, Y = {short(y)}"


def jacobian_explorer(params=None, X=None, Y=None, factor="df1_dZ1", example=None):
    """One factor of a Backward Path as a matrix (heatmap and numbers), its shape and its role.

    The network is the lecture's two-layer sigmoid network with the squared cost: by default 2-3-2 on the XOR
    inputs with targets [XOR; 1 − XOR]; pass your own params {"A0", "b0", "A1", "b1"}, X (n0, R), Y (n2, R)
    to explore the notebook's example. Controls: "factor" (a key of coursekit.widgets.jacobians.FACTORS,
    e.g. "df1_dZ1" = diag(σ′(Z1))), "example" (a column r of X; by default x = (1, 1), else r = 0),
    "alpha" / "beta" (which entry of A1 / A0).
    view.state: "J", "J_numeric", "shape", "paths" {name: (product, coursekit.backward's value)}, and for a
    diagonal factor "u", "matrix_product", "elementwise".
    """
    return JacobianExplorer(params=params, X=X, Y=Y, factor=factor, example=example)
