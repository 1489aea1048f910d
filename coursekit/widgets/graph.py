"""graph_explorer(): eq. (5.109) as a computational graph, forward values and backward adjoints for a chosen x.

    a = x²,  b = exp(a),  c = a + b,  d = √c,  e = cos(c),  f = d + e            (5.109)

Values and adjoints ∂f/∂node come from coursekit.autodiff.graph_5_109(x) and f.backward(); the total
∂f/∂x is checked against the hand-derived (5.110), coursekit.autodiff.df_5_110(x).
"""
import ipywidgets as W
import numpy as np

import coursekit as ck
from coursekit import autodiff

from . import render as R
from .view import STYLE, View, html

POS = {"x": (50, 150), "a": (220, 150), "b": (370, 60), "c": (520, 150), "d": (670, 60), "e": (670, 240),
       "f": (815, 150)}
FORMULA = {"x": "x", "a": "a = x²", "b": "b = exp(a)", "c": "c = a + b", "d": "d = √c", "e": "e = cos(c)",
           "f": "f = d + e"}


class GraphExplorer(View):
    """A slider for x and one for how many backward steps to show; the graph with values and adjoints."""

    title = "graph_explorer"

    def __init__(self, x=0.5):
        super().__init__()
        self._add("x", W.FloatSlider(value=x, min=-2.0, max=2.0, step=0.01, description="x",
                                     readout_format=".2f", layout=W.Layout(width="320px"),
                                     style={"description_width": "20px"}))
        self._add("steps", W.IntSlider(value=7, min=0, max=7, description="backward steps",
                                       layout=W.Layout(width="360px"), style={"description_width": "initial"}))
        self.drawing = html("ck-drawing")
        self.numbers = html("ck-numbers")
        self.children = [html(value=STYLE), W.HBox([self.controls["x"], self.controls["steps"]]),
                         self.drawing, self.numbers, self.output]
        self.add_class("ck-graph-explorer")
        self.update()

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
        self.drawing.value = graph_svg(self.state, shown, children)
        self.numbers.value = self._numbers_html(shown, children)

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
            lines.append("Forward pass only: each node holds its value. Move the second slider to run the "
                         "backward pass one node at a time.")
        same = abs(s["df_graph"] - s["df_5_110"]) <= 1e-12 * max(1.0, abs(s["df_5_110"]))
        self.readouts = {
            "f": R.row("f(x)", R.span("f", s["values"]["f"]), "(5.109), forward pass"),
            "df_graph": R.row("∂f/∂x by the graph", R.span("df_graph", s["df_graph"]),
                              "the adjoint of x after the backward pass"),
            "df_5_110": R.row("(5.110) by hand", R.span("df_5_110", s["df_5_110"]),
                              "2x (1/(2√c) − sin c)(1 + exp(x²))"),
            "df_numeric": R.row("central difference", R.span("df_numeric", s["df_numeric"]),
                                "coursekit.derivative, h = 1e−5"),
            "check": R.row("check", '<span class="ck-ok">graph = (5.110)</span>' if same
                           else '<span class="ck-bad">graph ≠ (5.110)</span>', ""),
        }
        return "<div>" + "<br>".join(lines) + "</div>" + R.table(self.readouts.values())


def graph_svg(state, shown, children):
    """The graph: each node with its formula, value and (once the backward pass reaches it) its adjoint."""
    values, adjoints, hw, hh = state["values"], state["adjoints"], 46, 21
    body = []
    scale = max(abs(d) for d in state["local"].values()) or 1.0

    def clip(x, y, dx, dy):                                   # where the ray leaves the node's box
        t = min(hw / abs(dx) if dx else np.inf, hh / abs(dy) if dy else np.inf)
        return x + t * dx, y + t * dy

    for parent, kids in children.items():
        for child, local in kids:
            (x1, y1), (x2, y2) = POS[parent], POS[child]
            dx, dy = x2 - x1, y2 - y1
            sx, sy = clip(x1, y1, dx, dy)
            ex, ey = clip(x2, y2, -dx, -dy)
            back = child in shown
            body.append(R.svg_line(sx, sy, ex, ey, R.colour(local, scale) if back else "#aaaaaa",
                                   1.6 if back else 1.0, extra=' marker-end="url(#ck-arrow)"'))
            length = np.hypot(dx, dy)
            nx, ny = dy / length, -dx / length                  # a normal; point it upwards
            if ny > 0 or (ny == 0 and nx < 0):
                nx, ny = -nx, -ny
            body.append(R.svg_text((sx + ex) / 2 + 9 * nx, (sy + ey) / 2 + 9 * ny + 3,
                                   f"∂{child}/∂{parent} = {R.num(local, 3)}", size=9, halo=True, fill="#444"))
    for name, (x, y) in POS.items():
        current = bool(shown) and shown[-1] == name
        body.append(f'<rect x="{x - hw}" y="{y - hh}" width="{2 * hw}" height="{2 * hh}" rx="8" fill="white" '
                    f'stroke="{"#D55E00" if current else "#333"}" stroke-width="{2.5 if current else 1.2}"/>')
        body.append(R.svg_text(x, y - 4, R.num(values[name], 4), size=11, weight="bold"))
        adjoint = f"∂f/∂{name} = {R.num(adjoints[name], 4)}" if name in shown else f"∂f/∂{name} = ?"
        body.append(R.svg_text(x, y + 12, adjoint, size=10, fill="#0072B2" if name in shown else "#aaaaaa",
                               weight="bold" if name in shown else "normal"))
        body.append(R.svg_text(x, y - hh - 6, FORMULA[name], size=11, fill="#333"))
    arrow = ('<defs><marker id="ck-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#777"/></marker></defs>')
    legend = R.svg_text(8, 292, "black: value (forward pass);  blue: adjoint ∂f/∂node (backward pass);  "
                        "on each edge: the local derivative ∂child/∂parent", size=9, anchor="start", fill="#555")
    return R.svg(870, 300, [arrow] + body + [legend], "computational graph of (5.109)")


def graph_explorer(x=0.5):
    """Eq. (5.109) as a computational graph at a chosen x, with forward values and backward adjoints.

    Controls: "x" (−2 … 2) and "steps" (how many nodes of the backward pass to show, 0 … 7).
    view.state: "values", "adjoints" ({node: number}), "df_graph", "df_5_110", "df_numeric".
    """
    return GraphExplorer(x=x)
