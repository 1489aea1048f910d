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
import re

import numpy as np

import coursekit as ck
from coursekit import activations, data

from . import render as R
from .picture import DIVERGING_ENDS, Picture, contrast, hex_colour, plain, to_rgb
from .view import Choice, View

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


SCRIPTED = re.compile(r"(?<=[A-Za-zσ′])(\d)")


def rich(label):
    """'∂f2/∂Z2' → '∂f_2/∂Z_2' (a picture's rich text)."""
    return SCRIPTED.sub(r"_\1", label)


def html_sub(label):
    """'∂f2/∂Z2' → '∂f<sub>2</sub>/∂Z<sub>2</sub>'."""
    return SCRIPTED.sub(r"<sub>\1</sub>", label)


class JacobianExplorer(View):
    """Pick a factor (and an entry α or β); see its matrix, shape, numerical check and Backward Path."""

    title = "jacobian_explorer"
    convention = ("Rows and columns count from 0, as numpy does: J[i,j] = ∂(output i)/∂(input j); "
                  "A<sub>1</sub>[i,j] is row i, column j.")

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
        self._add(Choice("factor", "factor", [(plain(rich(v[0])), k) for k, v in FACTORS.items()], factor,
                         aria="chain-rule factor of a Backward Path"))
        self._add(Choice("example", "f<sub>0</sub> = X", [(example_label(x, y), r) for r, (x, y)
                                                           in enumerate(zip(self.X_all.T, self.Y_all.T))],
                         example, aria="example: input f0 = X and target Y"))
        self._add(Choice("alpha", "α", [(f"A₁[{i},{j}]", (i, j)) for i, j in np.ndindex(n2, n1)],
                         (0, 1) if n1 > 1 else (0, 0), aria="α, the entry of A1"))
        self._add(Choice("beta", "β", [(f"A₀[{k},{l}]", (k, l)) for k, l in np.ndindex(n1, n0)],
                         (1, 0) if n1 > 1 else (0, 0), aria="β, the entry of A0"))
        self._ready([["row", "factor", "alpha", "beta", "example"], "picture", "numbers", "convention"])

    def refresh(self):
        key, r = self.controls["factor"].value, self.controls["example"].value
        alpha, beta = self.controls["alpha"].value, self.controls["beta"].value
        self.hidden_controls = ({"alpha"} if key != "dZ2_dalpha" else set()) | ({"beta"} if key != "dZ1_dbeta" else set())
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
        self.numbers = self._numbers_html(all_factors)
        self.picture = jacobian_picture(J, FACTORS[key][0])
        self.live = f"{plain(rich(FACTORS[key][0]))}: shape {R.shape(J)}"

    def _numbers_html(self, all_factors):
        s, key = self.state, self.state["factor"]
        label = html_sub(FACTORS[key][0])
        err = float(np.max(np.abs(s["J"] - s["J_numeric"])))
        self.readouts = {
            "J": R.row(label, R.matrix("J", s["J"], signed=True), f"shape {R.shape(s['J'])}", below=True),
            "numeric": R.row("Check.", f'<span class="ck-num" data-q="numeric_error">{R.sci(err, 2)}</span>',
                             "max |J − coursekit.jacobian| (central differences)", below=True),
            "why": R.row("Why", f'<span class="ck-muted">{html_sub(WHY[key])}</span>', "", below=True),
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
            chain = " · ".join((f"<b>{html_sub(FACTORS[k][1])}</b>" if k == key else html_sub(FACTORS[k][1]))
                               + f'<span class="ck-muted"> ({R.shape(all_factors[k][0])})</span>' for k in keys)
            same = np.allclose(product, expected, rtol=1e-12, atol=1e-15)
            self.readouts["path" + name] = R.row(
                f"Backward Path {name}",
                f"{html_sub(result)} = {chain} = {R.matrix('path' + name, product)} "
                f'<span class="{"ck-ok" if same else "ck-bad"}">'
                f'{"= coursekit.backward ✓" if same else "≠ coursekit.backward"}</span>',
                f"result {R.shape(product)}", below=True)
        return R.table(self.readouts.values())


def jacobian_picture(J, label):
    """J as a heatmap (orange −, purple +) with every entry written in; rows and columns numbered from 0."""
    J = np.atleast_2d(J)
    rows, cols = J.shape
    cell_w, cell_h = min(56, 330 / cols), min(34, 200 / rows)
    left, top = 84, 34
    width = max(360, int(left + cols * cell_w + 24))
    height = int(top + rows * cell_h + 48)
    bound = max(float(np.abs(J).max()), 1e-12)
    alt = (f"{plain(rich(label))}, a {rows} × {cols} matrix: "
           + "; ".join("row " + str(i) + ": " + ", ".join(R.num(v, 3) for v in J[i]) for i in range(rows)) + ".")
    p = Picture(width, height, alt, cls="ck-jacobian")
    for (i, j), value in np.ndenumerate(J):
        # the cell: PuOr's end colour, as opaque as |value| / bound (0 shows the theme's background)
        fill, opacity = DIVERGING_ENDS[int(value > 0)], 0.9 * abs(value) / bound
        p.rect(left + j * cell_w, top + i * cell_h, cell_w, cell_h, fill=fill, stroke="line", width=0.6,
               opacity=opacity, data={"entry": f"{i},{j}"})
        blend = hex_colour([opacity * c + (1 - opacity) * 1.0 for c in to_rgb(fill)])   # on a white page
        ink = "ink" if contrast(blend, "#ffffff") > contrast(blend, "#000000") else "fg"
        p.text(left + (j + 0.5) * cell_w, top + (i + 0.5) * cell_h + 4, R.num(value, 3 if cols <= 4 else 2),
               size=10 if cols <= 4 else 9, fill=ink, mono=True, data={"j": f"{i},{j}"})
    for j in range(cols):
        p.text(left + (j + 0.5) * cell_w, top + rows * cell_h + 14, str(j), size=10, fill="muted")
    for i in range(rows):
        p.text(left - 8, top + (i + 0.5) * cell_h + 4, str(i), size=10, fill="muted", anchor="end")
    p.text(left + cols * cell_w / 2, top + rows * cell_h + 32, "input, column j", size=11)
    p.text(left - 30, top + rows * cell_h / 2, "output, row i", size=11, rotate=-90)
    p.text(left + cols * cell_w / 2, top - 12, f"{rich(label)}   ({rows} × {cols})", size=12, weight="bold")
    return p


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
