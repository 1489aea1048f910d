"""graph_explorer(): eq. (5.109) as a computational graph, forward values and backward adjoints for a chosen x.

    a = x²,  b = exp(a),  c = a + b,  d = √c,  e = cos(c),  f = d + e            (5.109)

Values and adjoints ∂f/∂node come from coursekit.autodiff.graph_5_109(x) and f.backward(); the total
∂f/∂x is checked against the hand-derived (5.110), coursekit.autodiff.df_5_110(x).
"""
import numpy as np

import coursekit as ck
from coursekit import autodiff

from . import render as R
from .picture import Picture
from .view import Slider, View

POS = {"x": (60, 224), "a": (152, 130), "b": (258, 40), "c": (345, 160), "d": (450, 60), "e": (450, 252),
       "f": (540, 160)}
FORMULA = {"x": "x", "a": "a = x²", "b": "b = exp(a)", "c": "c = a + b", "d": "d = √c", "e": "e = cos(c)",
           "f": "f = d + e"}
HALF = (40, 22)                               # half width and half height of a node's box


class GraphExplorer(View):
    """A slider for x and one for how many backward steps to show; the graph with values and adjoints."""

    title = "graph_explorer"
    convention = ("Each box: the node's value (forward pass); below it ∂f/∂node (backward pass). "
                  "On each edge: the local derivative ∂child/∂parent.")

    def __init__(self, x=0.5):
        super().__init__()
        self._add(Slider("x", "x", x, -2.0, 2.0, 0.01, digits=2, aria="x, the input of (5.109)"))
        self._add(Slider("steps", "backward steps", 7, 0, 7, 1, integer=True,
                         aria="backward steps: how many nodes the backward pass has reached"))
        self._ready([["row", "x", "steps"], "picture", "message", "numbers", "convention"])

    def refresh(self):
        x = self.controls["x"].value
        nodes = autodiff.graph_5_109(x)
        nodes["f"].backward()
        order = [n.name for n in reversed(autodiff.topological_order(nodes["f"]))]   # f first, x last
        children = {name: [] for name in nodes}
        for child in nodes.values():
            for parent, local in zip(child.parents, child.local):
                children[parent.name].append((child.name, local))
        self.state = {
            "x": x, "values": {k: n.value for k, n in nodes.items()}, "adjoints": {k: n.grad for k, n in nodes.items()},
            "order": order, "local": {(c, p): d for p, cs in children.items() for c, d in cs},
            "df_graph": nodes["x"].grad, "df_5_110": autodiff.df_5_110(x),
            "df_numeric": ck.derivative(autodiff.f_5_109, x),
        }
        shown = order[:self.controls["steps"].value]
        self.numbers = self._numbers_html(shown, children)
        self.picture = graph_picture(self.state, shown, children)
        self.live = f"f = {R.num(self.state['values']['f'])}, ∂f/∂x = {R.num(self.state['df_graph'])}"

    def _numbers_html(self, shown, children):
        s = self.state
        lines = []
        if shown:
            name = shown[-1]
            if name == "f":
                lines.append("∂f/∂f = 1: the backward pass starts at the output.")
            else:
                terms = " + ".join(f"∂f/∂{c}·∂{c}/∂{name}" for c, _ in children[name])
                nums = " + ".join(f"{R.num(s['adjoints'][c])}·{R.num(d)}" for c, d in children[name])
                lines.append(f"∂f/∂{name} = {terms} = {nums} = {R.span('adj_' + name, s['adjoints'][name])}")
        else:
            lines.append("Forward pass only: each node holds its value. Raise “backward steps” to run the "
                         "backward pass one node at a time.")
        same = abs(s["df_graph"] - s["df_5_110"]) <= 1e-12 * max(1.0, abs(s["df_5_110"]))
        self.readouts = {
            "f": R.row("f(x)", R.span("f", s["values"]["f"]), "(5.109), forward pass"),
            "df_graph": R.row("∂f/∂x by the graph", R.span("df_graph", s["df_graph"]),
                              "the adjoint of x after the backward pass"),
            "df_5_110": R.row("(5.110) by hand", R.span("df_5_110", s["df_5_110"]),
                              "2x (1/(2√c) − sin c)(1 + exp(x²))"),
            "df_numeric": R.row("central difference", R.span("df_numeric", s["df_numeric"]),
                                "coursekit.derivative, h = 10⁻⁵"),
            "check": R.row("check", '<span class="ck-ok">graph = (5.110)</span>' if same
                           else '<span class="ck-bad">graph ≠ (5.110)</span>', ""),
        }
        return "<div>" + "<br>".join(lines) + "</div>" + R.table(self.readouts.values())


def graph_picture(state, shown, children):
    """The graph: each node with its formula, value and (once the backward pass reaches it) its adjoint."""
    values, adjoints = state["values"], state["adjoints"]
    hw, hh = HALF
    known = ", ".join(f"∂f/∂{n} = {R.num(adjoints[n])}" for n in shown)
    alt = (f"Computational graph of (5.109) at x = {R.num(state['x'], 2)}: "
           + ", ".join(f"{n} = {R.num(values[n])}" for n in POS) + ". "
           + (f"Backward pass so far: {known}." if shown else "Backward pass not started."))
    p = Picture(600, 316, alt, cls="ck-graph")
    arrow = []

    def clip(x, y, dx, dy, pad=0.0):                         # where the ray leaves the node's box
        t = min((hw + pad) / abs(dx) if dx else np.inf, (hh + pad) / abs(dy) if dy else np.inf)
        return x + t * dx, y + t * dy

    labels = []
    for parent, kids in children.items():
        for child, local in kids:
            (x1, y1), (x2, y2) = POS[parent], POS[child]
            dx, dy = x2 - x1, y2 - y1
            sx, sy = clip(x1, y1, dx, dy)
            ex, ey = clip(x2, y2, -dx, -dy, pad=2)
            back = child in shown
            p.line(sx, sy, ex, ey, stroke="blue" if back else "line", width=1.8 if back else 1.1,
                   title=f"∂{child}/∂{parent} = {R.num(local)}")
            length = np.hypot(ex - sx, ey - sy)
            ux, uy = (ex - sx) / length, (ey - sy) / length
            arrow.append(([(ex - 7 * ux - 3.5 * uy, ey - 7 * uy + 3.5 * ux), (ex, ey),
                           (ex - 7 * ux + 3.5 * uy, ey - 7 * uy - 3.5 * ux)], "blue" if back else "line"))
            labels.append(dict(x=(sx + ex) / 2, y=(sy + ey) / 2 + 3.5, text=R.num(local, 3), size=10,
                               fill="fg" if back else "muted", box=True, mono=True,
                               data={"local": f"{child},{parent}"}))
    for points, role in arrow:
        p.polyline(points, stroke=role, fill=role, width=1, closed=True)
    for name, (x, y) in POS.items():
        current = bool(shown) and shown[-1] == name
        p.rect(x - hw, y - hh, 2 * hw, 2 * hh, fill="bg", stroke="accent" if current else "fg",
               width=2.6 if current else 1.2, rx=7)
        p.text(x, y - 5, FORMULA[name], size=10.5, fill="fg")
        p.text(x, y + 14, R.num(values[name], 4), size=12, weight="bold", data={"value": name})
        if name in shown:
            p.text(x, y + hh + 15, f"∂f/∂{name} = {R.num(adjoints[name], 4)}", size=11, fill="blue",
                   weight="bold", data={"adjoint": name}, halo=True)
        else:
            p.text(x, y + hh + 15, f"∂f/∂{name} = ?", size=11, fill="muted", data={"adjoint": name}, halo=True)
    for label in labels:
        p.text(**label)
    p.text(8, 310, "Box: value (forward). Below: adjoint ∂f/∂node (backward). Edge: ∂child/∂parent.",
           size=10, anchor="start", fill="muted")
    return p


def graph_explorer(x=0.5):
    """Eq. (5.109) as a computational graph at a chosen x, with forward values and backward adjoints.

    Controls: "x" (−2 … 2) and "steps" (how many nodes of the backward pass to show, 0 … 7).
    view.state: "values", "adjoints" ({node: number}), "df_graph", "df_5_110", "df_numeric".
    """
    return GraphExplorer(x=x)
