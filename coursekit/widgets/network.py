"""network_explorer(): the lecture's Specific Example with a slider per weight and every number live.

    f0 = X,  Z1 = A0 f0 + b0,  f1 = σ(Z1),  Z2 = A1 f1 + b1,  f2 = σ(Z2),  E = ½ (f2 − Y)ᵀ (f2 − Y)

for one example x = f0 (2, 1), n1 = 2 or 3 hidden units and one output. Every number comes from
coursekit.forward / backward / total_cost; the drawing shows forward values on nodes and ∂E/∂(weight) on
edges. Indices count from 0, as numpy does: A0[j,k] (row j, column k) joins f0[k] to f1[j].
"""
import numpy as np

import coursekit as ck

from .. import data
from . import render as R
from .picture import Picture
from .view import Choice, Slider, View, button

LIMIT = 5.0                                   # every weight slider spans [−LIMIT, LIMIT]
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu")
PATHS = {"b1": "Path (1)", "b0": "Path (2)", "A1": "Path (3)", "A0": "Path (4)"}
CONVENTION = ("Indices count from 0, as numpy does: A<sub>0</sub>[j,k] (row j, column k) joins input "
              "f<sub>0</sub>[k] to hidden unit f<sub>1</sub>[j].")


def initial_params(hidden=3, seed=0):
    """The explorer's starting θ: coursekit.init_params([2, hidden, 1], seed) rounded to the slider step."""
    return {key: np.round(value, 2) for key, value in ck.init_params([2, hidden, 1], seed=seed).items()}


def sub(name):
    """'dA0' → '∂E/∂A<sub>0</sub>', 'Z1' → 'Z<sub>1</sub>'."""
    if name.startswith("d"):
        return f"∂E/∂{name[1]}<sub>{name[2:]}</sub>"
    return f"{name[0]}<sub>{name[1:]}</sub>" if len(name) > 1 else name


def meaning(key, i, j):
    """What one entry of θ does, in words: the accessible name of its slider."""
    return {"A0": f"weight from input f0[{j}] to hidden unit f1[{i}]", "b0": f"bias of hidden unit f1[{i}]",
            "A1": f"weight from hidden unit f1[{j}] to the output f2[{i}]", "b1": f"bias of the output f2[{i}]"}[key]


class NetworkExplorer(View):
    """Sliders for A0, b0, A1, b1; the Forward Path, E and the four gradients as numbers and as a drawing."""

    title = "network_explorer"
    convention = CONVENTION

    def __init__(self, hidden=3, seed=0, example=2, target=1.0):
        super().__init__()
        if hidden not in (2, 3):
            raise ValueError(f"the explorer draws n1 = 2 or 3 hidden units; got hidden={hidden!r}")
        self.hidden = hidden
        self.initial = initial_params(hidden, seed)
        self.X_all, self.Y_all = data.xor()
        self._step_from = None

        groups = []
        for key in ("A0", "b0", "A1", "b1"):
            names = []
            for i, j in np.ndindex(self.initial[key].shape):
                name = f"{key}[{i},{j}]"
                self._add(Slider(name, f"{sub(key)}[{i},{j}]", float(self.initial[key][i, j]), -LIMIT, LIMIT,
                                 0.01, digits=4, aria=f"{name}, {meaning(key, i, j)}"))
                names.append(name)
            groups.append(["group", f"{sub(key)} <span class='ck-muted'>({R.shape(self.initial[key])})</span>",
                           *names])
        examples = [(f"x = ({int(a)}, {int(b)})", r) for r, (a, b) in enumerate(self.X_all.T)]
        self._add(Choice("example", "f<sub>0</sub> = X", examples, example, aria="input example f0 = X"))
        self._add(Choice("Y", "target Y", [("0", 0.0), ("1", 1.0)], float(target), toggle=True))
        self._add(Choice("cost", "cost E", [("½‖f<sub>2</sub> − Y‖²", "squared"), ("cross-entropy", "cross_entropy")],
                         "squared", toggle=True, aria="cost E: squared error or cross-entropy"))
        self._add(Choice("activation", "σ in f<sub>1</sub>", list(HIDDEN_ACTIVATIONS), "sigmoid", toggle=True,
                         aria="σ in f1, the activation of the hidden layer"))
        # η only matters when the step button is pressed: changing it recomputes nothing
        self._add(Slider("eta", "η", 1.0, 0.05, 5.0, 0.05, digits=2, aria="learning rate η for the step button"),
                  observe=False)
        self._add(button("step", "one gradient-descent step", self.step, self, primary=True,
                         aria="one gradient-descent step θ ← θ − η ∂E/∂θ"))
        self._add(button("reset", "reset θ", self.reset, self, aria="reset θ to the starting weights"))
        self._ready([
            ["row", "example", "Y", "cost", "activation"],
            ["split", ["sliders", groups[0], ["col", groups[1], groups[2]], groups[3]], "picture"],
            ["row", "eta", "step", "reset"],
            "message",
            ["fold", "The numbers: Forward Path, E and the Backward Paths", "numbers"],
            "convention",
        ])

    def _changed(self, change=None):
        self.note = ""
        super()._changed(change)

    def on_browser_change(self, changed):
        if all(control.name == "eta" for control in changed):
            return                                           # answered by the frame View sends anyway
        self.note = ""
        self.update()

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
            self.note = (f"One step θ ← θ − η ∂E/∂θ with η = {R.num(eta, 2)}: E went from {R.num(E0)} "
                         f"to {R.num(E)}" + (f" (some sliders stopped at ±{LIMIT:g})." if clipped else "."))
            self._step_from = None
        self.state = {"params": params, "X": X, "Y": Y, "activation": activation, "cost": cost,
                      "trace": trace, "grads": grads, "E": E}
        self.numbers = self._numbers_html()
        self.picture = network_picture(self.state)
        self.live = f"E = {R.num(E)}, f2 = {R.num(trace['f2'][0, 0])}"

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
        return (f'<div class="ck-tables">'
                f'<div><b>Forward Path</b>{R.table(self.readouts[k] for k in forward)}</div>'
                f'<div><b>Backward Paths</b>{R.table(self.readouts[k] for k in backward)}</div></div>')

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
        self.note = ""
        self.set_values({f"{key}[{i},{j}]": float(value[i, j])
                         for key, value in self.initial.items() for i, j in np.ndindex(value.shape)})


def network_picture(state):
    """The network: nodes show f (and Z), edges and bias stubs show ∂E/∂weight by colour, width and a number
    written along the edge, on its outer side."""
    params, t, grads = state["params"], state["trace"], state["grads"]
    n1 = params["A0"].shape[0]
    width, height, r = 540, 86 * n1 + 88, 23
    cy = 46 + 43 * n1
    pos = {("f0", i): (62, cy + (i - 0.5) * 112) for i in range(2)}
    pos.update({("f1", j): (262, cy + (j - (n1 - 1) / 2) * 86) for j in range(n1)})
    pos[("f2", 0)] = (420, cy)
    scale = max(max(float(np.abs(g).max()) for g in grads.values()), 1e-12)
    E = state["E"]
    alt = [f"The network at x = ({R.num(t['f0'][0, 0], 0)}, {R.num(t['f0'][1, 0], 0)}) with target "
           f"Y = {R.num(state['Y'][0, 0], 0)}: f2 = {R.num(t['f2'][0, 0])}, E = {R.num(E)}."]
    for key in ("b1", "A1", "b0", "A0"):
        alt.append(f"∂E/∂{key} = " + "; ".join(f"[{i},{j}] {R.num(g)}" for (i, j), g in np.ndenumerate(grads[key])) + ".")
    p = Picture(width, height, " ".join(alt), cls="ck-network")

    def role(g):
        return "zero" if R.num(g) == R.num(0) else ("pos" if g > 0 else "neg")

    labels = []

    def edge(a, b, key, i, j, frac):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        d = np.hypot(x2 - x1, y2 - y1)
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        x1, y1, x2, y2 = x1 + r * ux, y1 + r * uy, x2 - r * ux, y2 - r * uy
        g = float(grads[key][i, j])
        w = 1.2 + 5.5 * abs(g) / scale
        p.line(x1, y1, x2, y2, stroke=role(g), width=w, data={"weight": f"{key}[{i},{j}]"},
               title=f"∂E/∂{key}[{i},{j}] = {R.num(g)}   ({key}[{i},{j}] = {R.num(params[key][i, j])})")
        px, py = x1 + frac * (x2 - x1), y1 + frac * (y2 - y1)          # the label sits on its own edge,
        angle = float(np.degrees(np.arctan2(uy, ux)))                    # turned along it, on a background box
        labels.append(dict(x=px - uy * 3.5, y=py + ux * 3.5, text=R.num(g), size=10, fill=role(g), rotate=angle,
                           data={"edge": f"d{key}[{i},{j}]"}, mono=True, box=True))

    for j in range(n1):
        for k in range(2):                   # near the inputs, before the steep edges cross
            steep = abs(pos[("f1", j)][1] - pos[("f0", k)][1]) > 100
            edge(("f0", k), ("f1", j), "A0", j, k, 0.14 if steep else 0.3)
        edge(("f1", j), ("f2", 0), "A1", 0, j, 0.42)
    for (layer, k), (x, y) in pos.items():
        if layer != "f0":                                   # bias stub: ∂E/∂b enters the node from above
            key = "b0" if layer == "f1" else "b1"
            g = float(grads[key][k, 0])
            p.line(x, y - r - 16, x, y - r, stroke=role(g), width=1.2 + 5.5 * abs(g) / scale,
                   title=f"∂E/∂{key}[{k},0] = {R.num(g)}")
            labels.append(dict(x=x + 6, y=y - r - 6, text=R.num(g), size=10, fill=role(g), halo=True, rotate=0,
                               data={"edge": f"d{key}[{k},0]"}, mono=True, anchor="start"))
        p.circle(x, y, r, fill="bg", stroke="fg", width=1.3)
        value = float(t[layer][k, 0])
        p.text(x, y + (4 if layer == "f0" else 0), R.num(value, 3), size=11, weight="bold",
               data={"node": f"{layer}[{k},0]"})
        if layer != "f0":
            p.text(x, y + 12, f"Z {R.num(t['Z' + layer[1]][k, 0], 2)}", size=9, fill="muted")
        p.text(x, y + r + 14, f"f_{layer[1]}[{k}]", size=11, fill="fg")
    for label in labels:                                    # numbers last: on top of every line
        p.text(**label)
    x, y = pos[("f2", 0)]
    p.text(x + r + 8, y - 5, f"Y = {R.num(state['Y'][0, 0], 0)}", size=11, anchor="start")
    p.text(x + r + 8, y + 12, f"E = {R.num(E)}", size=12, anchor="start", weight="bold", data={"node": "E"})
    p.text(8, height - 22, "Node: f (and Z). Edge: ∂E/∂(weight), purple +, orange −, wider = larger.",
           size=10, anchor="start", fill="muted")
    p.text(8, height - 8, "Stub above a node: ∂E/∂b. Indices from 0: A_0[j,k] joins f_0[k] to f_1[j].",
           size=10, anchor="start", fill="muted")
    return p


def network_explorer(hidden=3, seed=0, example=2, target=1.0):
    """The lecture's two-layer network (2 inputs, `hidden` = 2 or 3 units, 1 output) with live gradients.

    Controls (view.controls): "A0[j,k]", "b0[j,0]", "A1[0,j]", "b1[0,0]" sliders (indices from 0, as numpy);
    "example" (a column of coursekit.data.xor()'s X), "Y" (0 or 1), "cost" ("squared", "cross_entropy"),
    "activation" (σ of the hidden layer; f2 stays a sigmoid), "eta", and the "step" and "reset" buttons.
    view.state holds params, X, Y, trace, grads, E of the last update; view.readouts the HTML of each quantity.
    """
    return NetworkExplorer(hidden=hidden, seed=seed, example=example, target=target)
