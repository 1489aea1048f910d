"""The course's interactive views, each a function that returns a fresh widget (an anywidget, ipywidgets 8).

    network_explorer()            the lecture's two-layer network: a slider per weight, live ∂E/∂θ
    graph_explorer()              eq. (5.109) as a computational graph: values forward, adjoints backward
    finite_difference_explorer()  step h, secant vs tangent, error against h (forward vs central)
    descent_explorer()            η and the number of steps: the path on a cost surface, the stability limit
    jacobian_explorer()           each factor of a Backward Path as a matrix: its numbers, shape and role
    training_view()               gradient descent on XOR / two moons / spirals, played live

Every view has .controls {name: control} (set .value, or .click() a button), .readouts {name: shown HTML},
.state {name: last numbers}, .numbers (HTML) and .picture (drawn as SVG in the browser, as PNG in a stored
notebook); an error raised while updating is shown in the view (.error). coursekit computes every number; the
browser only draws what the kernel sent (view.js, shipped in this folder: nothing is loaded from the network).
Indices count from 0, as numpy does. Reached lazily: `import coursekit` does not load it.
"""
from .descent import descent_explorer
from .finite_differences import finite_difference_explorer
from .graph import graph_explorer
from .jacobians import jacobian_explorer
from .network import network_explorer
from .training import training_view

__all__ = ["network_explorer", "graph_explorer", "finite_difference_explorer", "descent_explorer",
           "jacobian_explorer", "training_view"]
