"""network_explorer(): the lecture's Specific Example with a slider per weight and every number live.

    f0 = X,  Z1 = A0 f0 + b0,  f1 = σ(Z1),  Z2 = A1 f1 + b1,  f2 = σ(Z2),  E = ½ (f2 − Y)ᵀ (f2 − Y)

for one example x = f0 (2, 1), n1 = 2 or 3 hidden units and one output. Every number comes from
coursekit.forward / backward / total_cost; the drawing is an SVG (node: forward value, edge: ∂E/∂weight).
"""
import ipywidgets as W
import numpy as np

import coursekit as ck

from .. import data
from . import render as R
from .view import STYLE, View, button, html

LIMIT = 5.0                                   # every slider spans [−LIMIT, LIMIT]
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu")
PATHS = {"b1": "Backward Path (1)", "b0": "Backward Path (2)", "A1": "Backward Path (3)",
         "A0": "Backward Path (4)"}


def initial_params(hidden=3, seed=0):
    """The explorer's starting θ: coursekit.init_params([2, hidden, 1], seed) rounded to the slider step."""
    return {key: np.round(value, 2) for key, value in ck.init_params([2, hidden, 1], seed=seed).items()}


def entry_names(params):
    """Slider names in display order: "A0[0,0]", …, "b1[0,0]" (numpy indices of each entry)."""
    return [f"{key}[{i},{j}]" for key in ("A0", "b0", "A1", "b1") for i, j in np.ndindex(params[key].shape)]


def sub(name):
    """'dA0' → '∂E/∂A<sub>0</sub>', 'Z1' → 'Z<sub>1</sub>'."""
    if name.startswith("d"):
        return f"∂E/∂{name[1]}<sub>{name[2:]}</sub>"
    return f"{name[0]}<sub>{name[1:]}</sub>" if len(name) > 1 else name


class NetworkExplorer(View):
    """Sliders for A0, b0, A1, b1; the Forward Path, E and the four gradients as numbers and as a drawing."""

    title = "network_explorer"

    def __init__(self, hidden=3, seed=0, example=2, target=1.0):
        super().__init__()
        if hidden not in (2, 3):
            raise ValueError(f"the explorer draws n1 = 2 or 3 hidden units; got hidden={hidden!r}")
        self.hidden = hidden
        self.initial = initial_params(hidden, seed)
        self.X_all, self.Y_all = data.xor()
        self._note = ""
        self._step_from = None

        sliders = []
        for key in ("A0", "b0", "A1", "b1"):
            sliders.append(html(value=f"<b>{sub(key)}</b> <span class='ck-note'>"
                                      f"({R.shape(self.initial[key])})</span>"))
            for i, j in np.ndindex(self.initial[key].shape):
                name = f"{key}[{i},{j}]"
                slider = W.FloatSlider(value=float(self.initial[key][i, j]), min=-LIMIT, max=LIMIT, step=0.01,
                                       description=name, readout_format=".2f", continuous_update=True,
                                       style={"description_width": "56px"}, layout=W.Layout(width="280px"))
                sliders.append(self._add(name, slider))
        examples = [(f"x = ({int(a)}, {int(b)})", r) for r, (a, b) in enumerate(self.X_all.T)]
        self._add("example", W.Dropdown(options=examples, value=example, description="f0 = X",
                                        layout=W.Layout(width="180px"), style={"description_width": "50px"}))
        self._add("Y", W.ToggleButtons(options=[("Y = 0", 0.0), ("Y = 1", 1.0)], value=float(target),
                                       style={"button_width": "60px"}, layout=W.Layout(width="auto")))
        costs = [("½‖f2 − Y‖²", "squared"), ("cross-entropy", "cross_entropy")]
        self._add("cost", W.ToggleButtons(options=costs, value="squared", style={"button_width": "110px"},
                                          layout=W.Layout(width="auto"), tooltips=["squared error", "cross-entropy"]))
        self._add("activation", W.ToggleButtons(options=list(HIDDEN_ACTIVATIONS), value="sigmoid",
                                                layout=W.Layout(width="auto"), style={"button_width": "72px"}))
        # η only matters when the step button is pressed: it is a control, but changing it recomputes nothing
        self.controls["eta"] = W.FloatSlider(value=1.0, min=0.05, max=5.0, step=0.05, description="η",
                                             readout_format=".2f", layout=W.Layout(width="220px"),
                                             style={"description_width": "20px"})
        self.controls["step"] = button("one gradient-descent step", self.step, self, style="primary")
        self.controls["reset"] = button("reset θ", self.reset, self)

        self.numbers = html("ck-numbers")
        self.drawing = html("ck-drawing")
        wrap = W.Layout(flex_flow="row wrap", align_items="center")
        top = W.HBox([self.controls["example"], self.controls["Y"], self.controls["cost"]], layout=wrap)
        second = W.HBox([html(value="σ in f<sub>1</sub>&nbsp;"), self.controls["activation"],
                         self.controls["eta"], self.controls["step"], self.controls["reset"]], layout=wrap)
        left = W.VBox(sliders, layout=W.Layout(min_width="290px"))
        self.children = [html(value=STYLE), top, second, W.HBox([left, self.drawing]), self.numbers, self.output]
        self.add_class("ck-network-explorer")
        self.update()

    def _changed(self, change=None):
        self._note = ""
        super()._changed(change)

    def params(self):
        """θ as the sliders hold it: {"A0", "b0", "A1", "b1"} in the lecture's shapes."""
        params = {key: np.empty_like(value) for key, value in self.initial.items()}
        for key, value in params.items():
            for i, j in np.ndindex(value.shape):
                value[i, j] = self.controls[f"{key}[{i},{j}]"].value
        return params

    def refresh(self):
        params = self.params()
        r = self.controls["example"].value
        X = self.X_all[:, [r]]                                    # f0: one example, a (2, 1) column
        Y = np.array([[self.controls["Y"].value]])
        activation = [self.controls["activation"].value, "sigmoid"]   # hidden σ is a choice; f2 stays sigmoid
        cost = self.controls["cost"].value
        trace = ck.forward(params, X, activation=activation)
        grads = ck.backward(params, trace, Y, activation=activation, cost=cost)
        E = ck.total_cost(params, X, Y, activation=activation, cost=cost)
        if self._step_from is not None:
            E0, eta, clipped = self._step_from
            self._note = (f"one step θ ← θ − η ∂E/∂θ with η = {R.num(eta, 2)}: E went from {R.num(E0)} "
                          f"to {R.num(E)}" + (f" (some sliders stopped at ±{LIMIT:g})" if clipped else ""))
            self._step_from = None
        self.state = {"params": params, "X": X, "Y": Y, "activation": activation, "cost": cost,
                      "trace": trace, "grads": grads, "E": E}
        self.numbers.value = self._numbers_html()                # the numbers first, the drawing second
        self.drawing.value = network_svg(self.state)

    def _numbers_html(self):
        s, act = self.state, self.state["activation"][0]
        t = s["trace"]
        cost_formula = ("½ (f<sub>2</sub> − Y)ᵀ(f<sub>2</sub> − Y)" if s["cost"] == "squared"
                        else "−[Y log f<sub>2</sub> + (1 − Y) log(1 − f<sub>2</sub>)]")
        forward = {
            "f0": (R.matrix("f0", t["f0"]), "X, the input"),
            "Z1": (R.matrix("Z1", t["Z1"]), "A<sub>0</sub>f<sub>0</sub> + b<sub>0</sub>"),
            "f1": (R.matrix("f1", t["f1"]), f"{act}(Z<sub>1</sub>)"),
            "Z2": (R.matrix("Z2", t["Z2"]), "A<sub>1</sub>f<sub>1</sub> + b<sub>1</sub>"),
            "f2": (R.matrix("f2", t["f2"]), "sigmoid(Z<sub>2</sub>)"),
            "Y": (R.matrix("Y", s["Y"]), "target"),
            "E": (R.span("E", s["E"]), cost_formula),
        }
        backward = {}
        for key in ("b1", "b0", "A1", "A0"):
            g = s["grads"][key]
            backward["d" + key] = (R.matrix("d" + key, g, signed=True), f"{R.shape(g)}, {PATHS[key]}")
        self.readouts = {}
        for name, (body, note) in {**forward, **backward}.items():
            self.readouts[name] = R.row(sub(name) if name not in ("Y", "E") else name, body, note)
        note = f'<div class="ck-note">{self._note}</div>' if self._note else ""
        return (f'<div style="display:flex; gap:16px; flex-wrap:wrap">'
                f'<div><b>Forward Path</b>{R.table(self.readouts[k] for k in forward)}</div>'
                f'<div><b>Backward Paths</b>{R.table(self.readouts[k] for k in backward)}</div></div>{note}')

    def step(self):
        """One gradient-descent step θ ← θ − η ∂E/∂θ on every slider (values beyond ±LIMIT stop there)."""
        eta, params, grads = self.controls["eta"].value, self.state["params"], self.state["grads"]
        values = {}
        for key in params:
            for i, j in np.ndindex(params[key].shape):
                values[f"{key}[{i},{j}]"] = float(params[key][i, j] - eta * grads[key][i, j])
        clipped = any(abs(v) > LIMIT for v in values.values())
        self._step_from = (self.state["E"], eta, clipped)
        self.set_values(values)

    def reset(self):
        """Back to the starting weights."""
        self.set_values({f"{key}[{i},{j}]": float(value[i, j])
                         for key, value in self.initial.items() for i, j in np.ndindex(value.shape)})


def network_svg(state):
    """The network as SVG: nodes show f (and Z), edges and bias stubs show ∂E/∂weight by colour, width, number."""
    params, t, grads = state["params"], state["trace"], state["grads"]
    n1 = params["A0"].shape[0]
    width, height, r = 480, 90 * n1 + 76, 25
    cy = 40 + 45 * n1
    pos = {("f0", i): (50, cy + (i - 0.5) * 110) for i in range(2)}
    pos.update({("f1", j): (225, cy + (j - (n1 - 1) / 2) * 90) for j in range(n1)})
    pos[("f2", 0)] = (385, cy)
    scale = max(max(float(np.abs(g).max()) for g in grads.values()), 1e-12)
    body = []

    def edge(a, b, key, i, j, frac):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        d = np.hypot(x2 - x1, y2 - y1)
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        x1, y1, x2, y2 = x1 + r * ux, y1 + r * uy, x2 - r * ux, y2 - r * uy
        g = float(grads[key][i, j])
        body.append(f'<g><title>∂E/∂{key}[{i},{j}] = {R.num(g)}   ({key}[{i},{j}] = '
                    f'{R.num(params[key][i, j], 2)})</title>'
                    + R.svg_line(x1, y1, x2, y2, R.colour(g, scale), 1 + 6 * abs(g) / scale) + "</g>")
        lx, ly = x1 + frac * (x2 - x1), y1 + frac * (y2 - y1)
        body.append(R.svg_text(lx, ly + 3.5, R.num(g), size=10, fill=R.colour(g, scale) if g else "#666",
                               halo=True, data=f' data-edge="d{key}[{i},{j}]"'))

    for j in range(n1):
        for i in range(2):
            edge(("f0", i), ("f1", j), "A0", j, i, 0.68)
        edge(("f1", j), ("f2", 0), "A1", 0, j, 0.5)
    for (layer, k), (x, y) in pos.items():
        if layer != "f0":                                   # bias stub: ∂E/∂b enters the node from above
            key = "b0" if layer == "f1" else "b1"
            g = float(grads[key][k, 0])
            body.append(f'<g><title>∂E/∂{key}[{k},0] = {R.num(g)}</title>'
                        + R.svg_line(x, y - r - 18, x, y - r, R.colour(g, scale), 1 + 6 * abs(g) / scale) + "</g>")
            body.append(R.svg_text(x + 5, y - r - 7, f"{key}: {R.num(g)}", size=9, anchor="start",
                                   fill=R.colour(g, scale) if g else "#666", halo=True,
                                   data=f' data-edge="d{key}[{k},0]"'))
        body.append(R.svg_circle(x, y, r))
        value = float(t[layer][k, 0])
        body.append(R.svg_text(x, y + (0 if layer == "f0" else -2), R.num(value, 3), size=11, weight="bold"))
        if layer != "f0":
            body.append(R.svg_text(x, y + 11, f"Z {R.num(t['Z' + layer[1]][k, 0], 2)}", size=8, fill="#555"))
        label = {"f0": f"f0[{k}] = x{k + 1}", "f1": f"f1[{k}]", "f2": "f2"}[layer]
        body.append(R.svg_text(x, y + r + 12, label, size=10, fill="#333"))
    x, y = pos[("f2", 0)]
    body.append(R.svg_text(x + r + 8, y - 4, f"Y = {R.num(state['Y'][0, 0], 0)}", size=11, anchor="start"))
    body.append(R.svg_text(x + r + 8, y + 12, f"E = {R.num(state['E'])}", size=11, anchor="start",
                           weight="bold"))
    body.append(R.svg_text(8, height - 20, "node: f (and Z).  Edge: ∂E/∂(weight) as a number, a colour "
                           "(purple +, orange −)", size=9, anchor="start", fill="#555"))
    body.append(R.svg_text(8, height - 7, "and a width (wider = larger).  Bias stub: ∂E/∂b.", size=9,
                           anchor="start", fill="#555"))
    return R.svg(width, height, body, "the two-layer network with forward values and gradients")


def network_explorer(hidden=3, seed=0, example=2, target=1.0):
    """The lecture's two-layer network (2 inputs, `hidden` = 2 or 3 units, 1 output) with live gradients.

    Controls (view.controls): "A0[j,i]", "b0[j,0]", "A1[0,j]", "b1[0,0]" sliders; "example" (a column of
    coursekit.data.xor()'s X), "Y" (0 or 1), "cost" ("squared", "cross_entropy"), "activation" (σ of the
    hidden layer; f2 stays a sigmoid), "eta", and the "step" and "reset" buttons. view.state holds params,
    X, Y, trace, grads, E of the last update; view.readouts the HTML of each shown quantity.
    """
    return NetworkExplorer(hidden=hidden, seed=seed, example=example, target=target)
