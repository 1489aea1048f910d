"""The interactive views without a browser: set a control's .value, read what the view shows, compare with coursekit.

What a view shows is read back from the frame it sends to the browser: the numbers panel (every number sits in
<span class="ck-num" data-q=… data-i=…>) and the picture (SVG, numbers tagged data-edge=…, data-node=…), and
compared, as text, with coursekit's own numbers formatted the same way. A browser's messages are replayed
with view._browser_message, as the comm delivers them.
"""
import base64
import html
import math
import re
import statistics
import struct
import subprocess
import sys
import time

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pytest

import coursekit
from coursekit import autodiff, data
from coursekit.widgets import (descent_explorer, finite_difference_explorer, graph_explorer, jacobian_explorer,
                               network_explorer, training_view)
from coursekit.widgets import picture as P
from coursekit.widgets.jacobians import FACTORS, default_network
from coursekit.widgets.network import initial_params
from coursekit.widgets.render import num, parse_num, sci, sig
from coursekit.widgets.view import Button, Choice, Play, Slider

VIEWS = [network_explorer, graph_explorer, finite_difference_explorer, descent_explorer, jacobian_explorer,
         training_view]
SHOWN = re.compile(r'data-q="([\w(), αβ]+)"(?: data-i="([\d,]*)")?>([^<]*)<')


def shown(html):
    """{(quantity, "i,j"): text} of every number in a view's HTML."""
    return {(q, i or ""): text for q, i, text in SHOWN.findall(html)}


def shown_matrix(view, q):
    """The matrix `q` as the view shows it (parsed back from the text)."""
    entries = {tuple(map(int, i.split(","))): parse_num(t) for (name, i), t in shown(view.numbers).items()
               if name == q}
    rows, cols = (max(k[n] for k in entries) + 1 for n in (0, 1))
    M = np.zeros((rows, cols))
    for index, value in entries.items():
        M[index] = value
    return M


def assert_shows(view, q, M):
    """The view shows matrix M under name q, each entry formatted exactly like coursekit's value would be."""
    M = np.atleast_2d(M)
    text = shown(view.numbers)
    for i, j in np.ndindex(M.shape):
        assert text[(q, f"{i},{j}")] == num(M[i, j]), f"{q}[{i},{j}] shows {text[(q, f'{i},{j}')]}, " \
                                                      f"coursekit gives {num(M[i, j])}"


def nudge(control):
    """Give a control a different valid value (what a student's click or drag would do)."""
    if isinstance(control, Play):
        control.value = control.value + 1
    elif isinstance(control, Choice):
        control.value = next(v for _, v in control.options if v != control.value)
    elif control.log:
        control.value = control.value * 1.1
    else:
        control.value = control.value + control.step if control.value + control.step <= control.max \
            else control.value - control.step


def picture(view):
    """The SVG the view last sent."""
    return view.frame["picture"]


def picture_text(svg):
    """The visible text of an SVG (its text nodes, entities decoded), without tags or attributes."""
    return html.unescape(re.sub(r"<[^>]*>", " ", re.sub(r"<title>.*?</title>", " ", svg)))


def from_browser(view, message, n=1):
    """Deliver `message` as the browser's comm would; the frames the view sent in reply."""
    before = view.frames
    view._browser_message(view, {**message, "n": n, "from": "test"}, [])
    return view.frames - before


def reference(params, r=2, Y=1.0, activation="sigmoid", cost="squared"):
    """coursekit's numbers for the explorer's network on example r of XOR with target Y."""
    X = data.xor()[0][:, [r]]
    Y = np.array([[Y]])
    act = [activation, "sigmoid"]
    trace = coursekit.forward(params, X, activation=act)
    grads = coursekit.backward(params, trace, Y, activation=act, cost=cost)
    return trace, grads, coursekit.total_cost(params, X, Y, activation=act, cost=cost)


def assert_network_shows(view, params, **kwargs):
    trace, grads, E = reference(params, **kwargs)
    assert shown(view.numbers)[("E", "")] == num(E)
    for name in ("Z1", "f1", "Z2", "f2"):
        assert_shows(view, name, trace[name])
    for key, g in grads.items():
        assert_shows(view, "d" + key, g)
        for i, j in np.ndindex(g.shape):                       # the drawing carries the same numbers
            assert re.search(rf'data-edge="d{key}\[{i},{j}\]">{re.escape(num(g[i, j]))}<', picture(view))
    assert re.search(rf'data-node="E">E = {re.escape(num(E))}<', picture(view))
    np.testing.assert_array_equal(view.state["grads"]["A0"], grads["A0"])
    assert view.state["E"] == E


# ---- network explorer ---------------------------------------------------------------------------------

def test_network_explorer_starts_at_coursekit_numbers():
    w = network_explorer()
    params = initial_params(3, 0)
    assert_network_shows(w, params)
    assert sorted(k for k in w.controls if "[" in k) == sorted(
        f"{key}[{i},{j}]" for key, v in params.items() for i, j in np.ndindex(v.shape))
    assert w.last_error is None and w.error == "" and w.frame["error"] == ""
    assert set(w.readouts) >= {"Z1", "f1", "Z2", "f2", "E", "dA0", "db0", "dA1", "db1"}


@pytest.mark.parametrize("name, value", [("A1[0,1]", 0.8), ("A0[2,0]", -1.25), ("b0[1,0]", 0.4),
                                         ("b1[0,0]", -2.0), ("A0[0,1]", 3.3)])
def test_moving_a_slider_updates_every_number(name, value):
    w = network_explorer()
    w.controls[name].value = value
    params = initial_params(3, 0)
    params[name[:2]][int(name[3]), int(name[5])] = value
    assert_network_shows(w, params)
    before = shown(w.numbers)[("dA0", "0,0")]
    w.controls[name].value = value / 2                       # and again: the text follows every move
    params[name[:2]][int(name[3]), int(name[5])] = value / 2
    assert_network_shows(w, params)
    assert ("dA0", "0,0") in shown(w.numbers) and before is not None


def test_the_dA0_text_follows_A1():
    w = network_explorer()
    w.controls["A1[0,1]"].value = 1.5
    params = initial_params(3, 0)
    params["A1"][0, 1] = 1.5
    _, grads, _ = reference(params)
    np.testing.assert_allclose(shown_matrix(w, "dA0"), np.round(grads["A0"], 4), atol=1e-12)
    assert all(f">{num(g)}<" in w.readouts["dA0"] for g in grads["A0"].ravel())


def test_gradient_descent_step_moves_every_slider_by_minus_eta_gradient():
    w = network_explorer()
    w.controls["A0[1,0]"].value = 1.2
    w.controls["eta"].value = 0.75
    params = initial_params(3, 0)
    params["A0"][1, 0] = 1.2
    _, grads, E_before = reference(params)
    w.controls["step"].click()
    for key, value in params.items():
        for i, j in np.ndindex(value.shape):
            want = value[i, j] - 0.75 * grads[key][i, j]          # θ(t+1) = θ(t) − η ∂E/∂θ
            assert w.controls[f"{key}[{i},{j}]"].value == pytest.approx(want, abs=1e-15)
    assert w.state["E"] < E_before
    assert f"E went from {num(E_before)} to {num(w.state['E'])}" in w.frame["note"]
    new = {key: value - 0.75 * grads[key] for key, value in params.items()}
    assert_network_shows(w, new)
    assert w.frame["values"]["A0[1,0]"] == w.controls["A0[1,0]"].value          # the sliders show the θ used


def test_a_step_from_the_browser_is_one_frame_that_keeps_its_note():
    w = network_explorer()
    params = initial_params(3, 0)
    _, grads, E_before = reference(params)
    assert from_browser(w, {"click": "step"}) == 1                               # one redraw per click
    for key, value in params.items():
        for i, j in np.ndindex(value.shape):                                     # exactly θ − η ∂E/∂θ, η = 1
            assert w.frame["values"][f"{key}[{i},{j}]"] == value[i, j] - 1.0 * grads[key][i, j]
    note = w.frame["note"]
    assert note.startswith("One step") and num(E_before) in note
    assert from_browser(w, {"set": {"eta": 0.5}}, n=2) == 1                      # η alone: the note stays
    assert w.frame["note"] == note and w.frame["ack"] == {"n": 2, "from": "test"}
    assert from_browser(w, {"set": {"A1[0,1]": 0.3}}, n=3) == 1                  # θ moved: the note goes
    assert w.frame["note"] == "" and w.state["params"]["A1"][0, 1] == 0.3


def test_many_steps_keep_lowering_E_and_reset_restores():
    w = network_explorer()
    costs = [w.state["E"]]
    for _ in range(5):
        w.controls["step"].click()
        costs.append(w.state["E"])
    assert all(b < a for a, b in zip(costs, costs[1:]))
    w.controls["reset"].click()
    assert_network_shows(w, initial_params(3, 0))


def test_step_stops_sliders_at_their_range():
    w = network_explorer()
    w.controls["eta"].value = 5.0
    w.set_values({"b1[0,0]": -4.99, "Y": 0.0, "cost": "cross_entropy"})
    grad = w.state["grads"]["b1"][0, 0]
    assert -4.99 - 5.0 * grad < -5.0                              # the step pushes b1 below −5
    w.controls["step"].click()
    assert w.controls["b1[0,0]"].value == -5.0
    assert "stopped at ±5" in w.frame["note"]


@pytest.mark.parametrize("cost", ["squared", "cross_entropy"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_cost_and_activation_toggles(cost, activation):
    w = network_explorer()
    w.controls["A0[0,0]"].value = 0.7
    w.controls["cost"].value = cost
    w.controls["activation"].value = activation
    params = initial_params(3, 0)
    params["A0"][0, 0] = 0.7
    assert_network_shows(w, params, activation=activation, cost=cost)
    assert w.state["activation"] == [activation, "sigmoid"] and w.state["cost"] == cost


def test_toggling_the_cost_changes_the_gradients():
    w = network_explorer()
    squared = w.state["grads"]["b1"].copy()
    w.controls["cost"].value = "cross_entropy"
    trace = w.state["trace"]
    np.testing.assert_allclose(w.state["grads"]["b1"], trace["f2"] - w.state["Y"])      # σ′ cancels
    np.testing.assert_allclose(squared, (trace["f2"] - w.state["Y"]) * trace["f2"] * (1 - trace["f2"]))
    assert shown(w.numbers)[("db1", "0,0")] == num(trace["f2"][0, 0] - 1.0)


@pytest.mark.parametrize("r, Y", [(0, 0.0), (1, 1.0), (3, 0.0), (3, 1.0)])
def test_example_and_target(r, Y):
    w = network_explorer()
    w.set_values({"example": r, "Y": Y})
    assert_network_shows(w, initial_params(3, 0), r=r, Y=Y)
    assert_shows(w, "f0", data.xor()[0][:, [r]])


def test_two_hidden_units():
    w = network_explorer(hidden=2, seed=3)
    assert "A0[2,0]" not in w.controls and w.state["params"]["A0"].shape == (2, 2)
    w.controls["A1[0,1]"].value = -0.6
    params = initial_params(2, 3)
    params["A1"][0, 1] = -0.6
    assert_network_shows(w, params)
    with pytest.raises(ValueError, match="2 or 3 hidden units"):
        network_explorer(hidden=4)


def test_a_failing_coursekit_call_is_shown_not_lost(monkeypatch):
    w = network_explorer()

    def broken(*args, **kwargs):
        raise ValueError("backward is broken on purpose")

    monkeypatch.setattr(coursekit, "backward", broken)
    w.controls["A1[0,0]"].value = 0.1                             # the callback raises inside observe
    text = w.frame["error"]
    assert "ValueError: backward is broken on purpose" in text and "network_explorer could not update" in text
    assert isinstance(w.last_error, ValueError)
    monkeypatch.undo()
    w.controls["A1[0,0]"].value = 0.2                             # fixed: the error line empties
    assert w.frame["error"] == "" and w.last_error is None


def test_slider_update_is_fast_in_the_kernel():
    w = network_explorer()
    slider, times = w.controls["A1[0,1]"], []
    for k in range(60):
        start = time.perf_counter()
        slider.value = round(-1.0 + 0.03 * k, 2)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.015, f"median {1000 * statistics.median(times):.1f} ms per slider move"


# ---- graph explorer (5.109) ---------------------------------------------------------------------------

@pytest.mark.parametrize("x", [-1.7, -0.4, 0.0, 0.5, 1.23, 2.0])
def test_graph_explorer_matches_5_110(x):
    w = graph_explorer()
    w.controls["x"].value = x
    assert w.state["df_graph"] == pytest.approx(autodiff.df_5_110(x), rel=1e-12, abs=1e-12)
    assert w.state["values"]["f"] == pytest.approx(autodiff.f_5_109(x), rel=1e-14)
    text = shown(w.numbers)
    assert text[("df_graph", "")] == num(autodiff.df_5_110(x)) == text[("df_5_110", "")]
    assert text[("f", "")] == num(autodiff.f_5_109(x))
    assert "graph = (5.110)" in w.numbers
    c = x * x + math.exp(x * x)                                   # adjoints by hand, from the lecture's nodes
    d_c = 1 / (2 * math.sqrt(c)) - math.sin(c)
    want = {"f": 1.0, "d": 1.0, "e": 1.0, "c": d_c, "b": d_c, "a": d_c * (1 + math.exp(x * x)),
            "x": d_c * (1 + math.exp(x * x)) * 2 * x}
    for name, value in want.items():
        assert w.state["adjoints"][name] == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert f'data-adjoint="{name}">∂f/∂{name} = {num(value, 4)}<' in picture(w)


def test_graph_explorer_backward_one_node_at_a_time():
    w = graph_explorer(x=0.8)
    w.controls["steps"].value = 0
    assert "∂f/∂f = ?" in picture(w) and "∂f/∂x = ?" in picture(w)
    order = w.state["order"]
    assert order[0] == "f" and order[-1] == "x" and sorted(order) == sorted("abcdefx")
    for k in range(1, 8):
        w.controls["steps"].value = k
        for n, name in enumerate(order):
            assert (f"∂f/∂{name} = ?" in picture(w)) == (n >= k)
    w.controls["steps"].value = order.index("c") + 1
    assert "∂f/∂c = ∂f/∂d·∂d/∂c + ∂f/∂e·∂e/∂c" in w.numbers


# ---- finite differences -------------------------------------------------------------------------------

@pytest.mark.parametrize("function, x0, log10_h", [("sin", 1.0, -1.0), ("exp", -0.5, -4.0), ("cube", 0.3, -0.5),
                                                   ("5.109", 0.5, -3.0)])
def test_finite_difference_numbers_are_coursekit_derivative(function, x0, log10_h):
    w = finite_difference_explorer()
    w.set_values({"function": function, "x0": x0, "log10_h": log10_h})
    f = {"sin": np.sin, "exp": np.exp, "cube": lambda x: x ** 3, "5.109": autodiff.f_5_109}[function]
    exact = {"sin": math.cos(x0), "exp": math.exp(x0), "cube": 3 * x0 ** 2, "5.109": autodiff.df_5_110(x0)}[function]
    h = 10.0 ** log10_h
    assert w.state["h"] == h and w.state["exact"] == pytest.approx(exact, rel=1e-14)
    for scheme in ("forward", "central"):
        assert w.state[scheme] == coursekit.derivative(f, x0, h, scheme=scheme)
        assert shown(w.numbers)[(scheme, "")] == num(w.state[scheme], 10)
    if log10_h <= -0.5:
        assert w.state["error_central"] < w.state["error_forward"]


def test_finite_difference_error_curve_has_its_textbook_minimum():
    w = finite_difference_explorer(function="exp", x0=0.0)
    h, errors = w.state["h_grid"], w.state["errors"]
    best = {scheme: h[np.argmin(errors[scheme])] for scheme in errors}
    assert 1e-10 <= best["forward"] <= 1e-6                      # √ε ≈ 1e−8
    assert 1e-7 <= best["central"] <= 1e-3                       # ε^(1/3) ≈ 6e−6
    assert errors["forward"][-1] > errors["central"][-1]          # at h = 1 truncation rules
    assert 'data-series="forward"' in picture(w) and 'data-series="central"' in picture(w)


# ---- descent explorer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("eta, kind", [(0.05, "converges"), (0.15, "converges"), (0.21, "diverges")])
def test_descent_on_the_bowl_follows_the_update_rule(eta, kind):
    w = descent_explorer()
    w.set_values({"surface": "bowl", "eta": eta, "steps": 30})
    H = np.diag([1.0, 10.0])
    theta, path = np.array([-2.5, 1.5]), [np.array([-2.5, 1.5])]
    for _ in range(30):
        theta = theta - eta * H @ theta                           # θ(t+1) = θ(t) − η ∂E/∂θ
        path.append(theta)
    np.testing.assert_allclose(w.state["path"], np.array(path), rtol=1e-12)
    assert w.state["eta_max"] == pytest.approx(0.2) and w.state["verdict"] == kind
    assert shown(w.numbers)[("eta_max", "")] == num(0.2)
    final = 0.5 * (path[-1][0] ** 2 + 10 * path[-1][1] ** 2)
    assert shown(w.numbers)[("E", "")] == num(final)
    assert (final < 0.5 * (2.5 ** 2 + 10 * 1.5 ** 2)) == (kind == "converges")


def test_descent_on_least_squares_has_the_stability_limit_of_example_5_11():
    reg = data.linear_regression()
    Phi, y = reg.Phi[:, :2], reg.y[:, 0] - 3.0 * reg.x ** 2
    L = lambda t: float(np.sum((y - Phi @ np.ravel(t)) ** 2))        # noqa: E731
    limit = 2.0 / np.linalg.eigvalsh(2 * Phi.T @ Phi).max()
    w = descent_explorer(surface="least_squares", eta=0.5 * limit, steps=60)
    assert w.state["eta_max"] == pytest.approx(limit, rel=1e-12)
    surface = w.surface()
    theta = np.array([0.3, -1.1])
    np.testing.assert_allclose(surface.grad(theta)[None, :], coursekit.gradient(L, theta), rtol=1e-6)   # (5.83)
    np.testing.assert_allclose(w.state["path"][-1], np.linalg.lstsq(Phi, y, rcond=None)[0], atol=1e-6)
    w.controls["eta"].value = 1.05 * limit
    assert w.state["verdict"] == "diverges" and w.state["costs"][-1] > w.state["costs"][0]


# ---- jacobian explorer --------------------------------------------------------------------------------

SHAPES = {"dE_df2": (1, 2), "df2_dZ2": (2, 2), "dZ2_db1": (2, 2), "dZ2_df1": (2, 3), "dZ2_dalpha": (2, 1),
          "dZ2_dA1": (2, 6), "df1_dZ1": (3, 3), "dZ1_db0": (3, 3), "dZ1_dbeta": (3, 1), "dZ1_dA0": (3, 6)}


@pytest.mark.parametrize("factor", list(FACTORS))
@pytest.mark.parametrize("example", [1, 2])
def test_each_factor_is_its_numerical_jacobian_and_each_path_is_backward(factor, example):
    w = jacobian_explorer()
    w.set_values({"factor": factor, "example": example})
    s = w.state
    assert s["shape"] == SHAPES[factor]
    np.testing.assert_allclose(s["J"], s["J_numeric"], atol=1e-8)
    assert_shows(w, "J", s["J"])
    assert s["paths"], "every factor belongs to some Backward Path"
    for name, (product, expected) in s["paths"].items():
        np.testing.assert_allclose(product, expected, rtol=1e-12, atol=1e-15)
        assert_shows(w, "path" + name, product)
    params, X, Y = default_network()
    X, Y = X[:, [example]], Y[:, [example]]
    grads = coursekit.backward_jacobians(params, coursekit.forward(params, X), Y)     # the lecture's own products
    if "(2)" in s["paths"]:
        np.testing.assert_allclose(s["paths"]["(2)"][0], grads["b0"].T, rtol=1e-12)
    if "(4), all β" in s["paths"]:
        np.testing.assert_allclose(s["paths"]["(4), all β"][0], grads["A0"].reshape(1, -1), rtol=1e-12)


def test_a_diagonal_factor_is_an_element_wise_product():
    w = jacobian_explorer(factor="df1_dZ1")
    s = w.state
    f1 = s["trace"]["f1"][:, 0]
    np.testing.assert_allclose(np.diag(s["J"]), f1 * (1 - f1))               # σ′ = σ(1 − σ)
    assert np.count_nonzero(s["J"] - np.diag(np.diag(s["J"]))) == 0
    np.testing.assert_allclose(s["matrix_product"], s["elementwise"], rtol=1e-15)
    assert "9 multiplications become 3" in w.numbers
    w.controls["factor"].value = "df2_dZ2"
    np.testing.assert_allclose(w.state["matrix_product"], w.state["elementwise"], rtol=1e-15)
    assert "4 multiplications become 2" in w.numbers


def test_alpha_and_beta_pick_one_entry():
    w = jacobian_explorer(factor="dZ1_dbeta")
    w.controls["beta"].value = (2, 1)
    f0 = w.state["trace"]["f0"][:, 0]
    np.testing.assert_array_equal(w.state["J"][:, 0], [0.0, 0.0, f0[1]])
    assert w.frame["hidden"] == ["alpha"]                                      # only β's menu is shown
    w.set_values({"factor": "dZ2_dalpha", "alpha": (1, 2)})
    np.testing.assert_array_equal(w.state["J"][:, 0], [0.0, w.state["trace"]["f1"][2, 0]])
    np.testing.assert_allclose(w.state["paths"]["(3)"][0], w.state["grads"]["A1"][1, 2], rtol=1e-12)


def test_the_notebook_can_pass_its_own_network():
    params = {"A0": np.array([[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2]]), "b0": np.array([[0.1], [-0.2], [0.05]]),
              "A1": np.array([[0.7, -0.5, 0.2], [-0.3, 0.6, 0.9]]), "b1": np.array([[-0.1], [0.2]])}
    X, Y = np.array([[1.0], [-2.0]]), np.array([[1.0], [0.0]])
    w = jacobian_explorer(params, X, Y, factor="dZ2_df1")
    np.testing.assert_array_equal(w.state["J"], params["A1"])
    grads = coursekit.backward(params, coursekit.forward(params, X), Y)
    np.testing.assert_allclose(w.state["paths"]["(2)"][0], grads["b0"].T, rtol=1e-12)
    with pytest.raises(ValueError, match="A1 must have shape"):
        jacobian_explorer({**params, "A1": params["A1"].T}, X, Y)


# ---- training view ------------------------------------------------------------------------------------

def test_training_ticks_are_coursekit_gradient_descent():
    w = training_view(dataset="two_moons", chunk=10)
    play = w.controls["play"]
    X, Y = data.two_moons(R=100, seed=0)
    opts = {"activation": ["tanh", "sigmoid"], "cost": "cross_entropy"}
    for ticks in (3, 5, 2):                                       # forward, further, then back (replayed)
        play.value = ticks
        new, history = coursekit.gradient_descent(w.state["params0"], X, Y, 0.05, 10 * ticks, **opts)
        assert w.state["t"] == 10 * ticks and w.frame["values"]["play"] == ticks
        np.testing.assert_allclose(w.state["history"], history, rtol=1e-12)
        for key in new:
            np.testing.assert_allclose(w.state["params"][key], new[key], rtol=1e-12)
        assert shown(w.numbers)[("E", "")] == num(history[-1])
        assert shown(w.numbers)[("accuracy", "")] == num(coursekit.accuracy(new, X, Y, opts["activation"]), 3)
        assert f"t = {10 * ticks}: f" in picture_text(picture(w))                # plot and numbers of one step


def test_training_lowers_the_cost_and_restarts_on_a_new_problem():
    w = training_view()
    w.controls["play"].value = 20
    assert w.state["E"] < 0.5 * w.state["history"][0]
    w.controls["data"].value = "spirals"
    assert w.state["t"] == 0 and w.controls["play"].value == 0 and w.controls["hidden"].value == 16
    assert w.state["params"]["A0"].shape == (16, 2) and w.state["X"].shape == (2, 100)
    w.controls["play"].value = 2
    w.controls["eta"].value = 0.02                               # η changes go on from θ(t)
    assert w.state["t"] == 40
    w.controls["reset"].click()
    assert w.state["t"] == 0 and len(w.state["history"]) == 1


def test_each_tick_is_one_frame_and_the_clock_stops_at_the_end():
    w = training_view(chunk=5)
    assert from_browser(w, {"set": {"play.playing": True}}) == 1 and w.controls["play"].playing
    for k in range(1, 4):
        assert from_browser(w, {"set": {"play": k}}, n=k + 1) == 1
        assert w.frame["values"]["play"] == k and shown(w.numbers)[("t", "")] == str(5 * k)
    from_browser(w, {"set": {"play": w.controls["play"].max}}, n=9)
    assert not w.controls["play"].playing and w.frame["values"]["play.playing"] is False


def test_going_back_in_time_shows_the_steps_taken():
    w = training_view(dataset="two_moons", chunk=10)
    X, Y = data.two_moons(R=100, seed=0)
    opts = {"activation": ["tanh", "sigmoid"], "cost": "cross_entropy"}
    w.controls["play"].value = 4
    w.controls["eta"].value = 0.2                                 # from t = 40 on, a larger η
    w.controls["play"].value = 6
    w.controls["play"].value = 2                                  # back to t = 20: θ(20) as it was reached
    new, history = coursekit.gradient_descent(w.state["params0"], X, Y, 0.05, 20, **opts)
    np.testing.assert_allclose(w.state["history"], history, rtol=1e-12)
    np.testing.assert_allclose(w.state["params"]["A0"], new["A0"], rtol=1e-12)


# ---- every view ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("factory", VIEWS, ids=lambda f: f.__name__)
def test_rerunning_a_cell_stacks_no_handlers_and_leaks_no_figures(factory):
    figures = len(plt.get_fignums())
    views = [factory() for _ in range(20)]
    for view in views[-3:]:
        nudge(next(c for c in view.controls.values() if not isinstance(c, Button)))
        view._repr_mimebundle_()                                  # the stored picture draws no pyplot figure
    assert len(plt.get_fignums()) == figures
    for view in views:
        for name, control in view.controls.items():
            handlers = [h for h in control._trait_notifiers.get("value", {}).get("change", [])
                        if getattr(h, "__self__", None) is view]
            if isinstance(control, Button):
                assert len(control._callbacks) == 1
            elif factory is network_explorer and name == "eta":
                assert handlers == []                             # η is read when the step button is pressed
            else:
                assert len(handlers) == 1, f"{factory.__name__}: {name} has {len(handlers)} value handlers"
    for view in views:
        view.close()


@pytest.mark.parametrize("factory", VIEWS, ids=lambda f: f.__name__)
def test_an_error_in_a_callback_is_shown_in_the_output(factory, monkeypatch):
    view = factory()
    assert view.last_error is None, view.error

    def broken():
        raise ZeroDivisionError("a bug inside the callback")

    monkeypatch.setattr(view, "refresh", broken)
    control = next(c for c in view.controls.values() if not isinstance(c, Button))
    nudge(control)
    text = view.frame["error"]
    assert "ZeroDivisionError: a bug inside the callback" in text and "Traceback" in text
    monkeypatch.undo()
    nudge(control)
    assert view.frame["error"] == "" and view.last_error is None


@pytest.mark.parametrize("factory", VIEWS, ids=lambda f: f.__name__)
def test_a_view_is_a_widget_with_a_short_stable_repr(factory):
    view = factory()
    assert isinstance(view, W.DOMWidget) and view.comm is not None
    assert repr(view) == f"<coursekit.widgets.{factory.__name__}>"
    assert view.state and view.readouts
    view.close()
    assert view.comm is None


def test_import_coursekit_does_not_load_the_widgets():
    code = ("import sys, coursekit; loaded = [m for m in ('coursekit.widgets', 'ipywidgets', 'matplotlib') "
            "if m in sys.modules]; assert not loaded, loaded; coursekit.widgets.network_explorer; "
            "assert 'coursekit.widgets' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_set_values_on_the_training_view_keeps_each_control_meaning():
    w = training_view()
    w.controls["play"].value = 2
    w.set_values({"data": "two_moons", "play": 1})
    assert w.state["X"].shape == (2, 100) and w.state["t"] == 20 and w.controls["hidden"].value == 8


# ---- what every view shows: a stored picture, legible numbers, names, colours that suit both themes ----------

def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("factory", VIEWS, ids=lambda f: f.__name__)
def test_a_shown_view_carries_a_picture_of_itself_for_a_stored_notebook(factory):
    view = factory()
    bundle, _ = view._repr_mimebundle_()
    assert bundle["text/plain"] == f"<coursekit.widgets.{factory.__name__}>"
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.model_id
    png = base64.b64decode(bundle["image/png"])
    width, height = png_size(png)
    p = view.picture                                           # the same picture, with the line "run the cell"
    assert (width, height) == (round(1.5 * p.width), round(1.5 * (p.height + 22)))
    assert png_size(p.png()) == (round(1.5 * p.width), round(1.5 * p.height))


@pytest.mark.parametrize("factory", VIEWS, ids=lambda f: f.__name__)
def test_every_shown_number_has_a_true_minus_sign(factory):
    view = factory()
    for _ in range(3):
        nudge(next(c for c in view.controls.values() if not isinstance(c, Button)))
    text = picture_text(view.numbers) + picture_text(picture(view)) + view.frame["note"]
    assert not re.search(r"(?<![\w.])-\d", text), re.findall(r".{20}(?<![\w.])-\d.{10}", text)
    if factory in (network_explorer, descent_explorer, finite_difference_explorer):
        assert "−" in text                                       # their negative numbers are shown with "−"


@pytest.mark.parametrize("factory", VIEWS, ids=lambda f: f.__name__)
def test_every_control_has_a_name_a_label_and_its_shown_precision(factory):
    view = factory()
    for name, spec in view.spec["controls"].items():
        assert spec["label"] and spec["aria"], name
        visible = re.sub(r"<[^>]+>|[■▶❚]", "", spec["label"]).replace("&nbsp;", " ").strip()
        assert visible.replace(" ", "") in spec["aria"].replace(" ", ""), (visible, spec["aria"])  # label in name
        if spec["kind"] == "slider":
            control = view.controls[name]
            assert control.text() == control.text(spec["value"])
            if not control.integer and control.fmt == "fixed":
                assert re.fullmatch(r"−?\d+\.\d{%d}" % control.digits, control.text())
    assert view.spec["layout"] and view.spec["title"] == factory.__name__.replace("_", " ")


def test_slider_names_say_what_the_weight_joins_counting_from_0():
    view = network_explorer()
    assert view.controls["A0[0,1]"].aria == "A0[0,1], weight from input f0[1] to hidden unit f1[0]"
    assert view.controls["b1[0,0]"].aria == "b1[0,0], bias of the output f2[0]"
    assert "f_1[2]" in picture(view).replace('<tspan baseline-shift="sub" font-size="72%">1</tspan>', "_1")
    assert "Indices count from 0" in view.spec["convention"]


def test_numbers_are_read_as_shown():
    assert [num(-0.05130), num(-0.00001), sci(0.0562341), sci(-2.2e-16), sig(0.15), sig(1.05e-5)] == \
        ["−0.0513", "0.0000", "5.62 × 10⁻²", "−2.20 × 10⁻¹⁶", "0.15", "1.05 × 10⁻⁵"]
    for text in ("−0.0513", "5.62 × 10⁻²", "−2.20 × 10⁻¹⁶"):
        assert num(parse_num(text), 4) == num(float(text.replace("−", "-").split(" ")[0]) *
                                              (10.0 ** int(text.split("10")[1].translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
                                               if "×" in text else 1.0), 4)


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_theme_colours_are_legible(theme):
    bg = P.FALLBACK["bg"][theme]
    for role in P.TEXT_ROLES:
        assert P.contrast(P.FALLBACK[role][theme], bg) >= 4.5, (role, P.FALLBACK[role][theme], bg)
    assert P.contrast(P.FALLBACK["line"][theme], bg) >= 2.0
    css = P.theme_css()
    assert 'body[data-jp-theme-light="false"] .ck-view' in css and "var(--jp-ui-font-color1" in css


def test_a_picture_is_svg_that_scales_and_tags_its_numbers():
    svg = picture(descent_explorer())
    assert svg.startswith("<svg") and 'viewBox="0 0 600 262"' in svg and 'role="img"' in svg
    assert 'aria-label="Gradient descent on the bowl cost with η = 0.15' in svg
    assert "fill=\"#" not in svg.split("<image")[0].replace('fill="none"', "")            # colours are theme roles
    assert "<sub" not in svg and "_1" not in picture_text(svg)                                # math, not markup


def test_rich_text_becomes_sub_and_superscripts():
    assert P.plain("f_1[0] and E^r and θ_{12}") == "f₁[0] and Eʳ and θ₁₂"
    assert P.rich_svg("f_1") == 'f<tspan baseline-shift="sub" font-size="72%">1</tspan>'


def test_the_view_module_and_its_css_ship_with_coursekit_and_load_nothing_else():
    from coursekit.widgets.view import View
    assert "export default" in View._esm and "render" in View._esm
    assert not re.search(r"\bimport\s*\(|\bimport\s+[\w{*]|https?://", View._esm)            # no CDN, no import
    assert not re.search(r"https?://|@import|url\(", View._css)


# ---- frames worked out ahead of the next move ------------------------------------------------------------

def next_values(control):
    """What the browser asks ahead after a key press: a step on and a step back (a menu: the next options)."""
    if isinstance(control, Choice):
        return [k for k in (control.index + 1, control.index - 1) if 0 <= k < len(control.options)]
    if isinstance(control, Play):
        return [t for t in (control.value + 1, control.value - 1) if 0 <= t <= control.max]
    if control.log:
        return [round(10 ** (math.log10(control.value) + d), 12) for d in (control.step, -control.step)]
    return [round(control.value + d, 10) for d in (control.step, -control.step)]


def content(view):
    """What the frame the view sent last shows (without its bookkeeping)."""
    return {key: view.frame[key] for key in view._content()}


def sent_messages(monkeypatch, view):
    """The custom messages the view sends from now on (the frames ahead), kept in a list."""
    sent = []
    monkeypatch.setattr(view, "send", lambda message, buffers=None: sent.append(message))
    return sent


def started(factory):
    """A view as a student left it: the training view at t = 3 with η changed there (a history)."""
    view = factory()
    if factory is training_view:
        from_browser(view, {"set": {"play": 3}})
        from_browser(view, {"set": {"eta": view.controls["eta"].value * 1.5}})
    return view


def same_view(frame):
    """A frame with its view's id (in the SVG's clip-path names) taken out, to compare two views' frames."""
    return {**frame, "picture": re.sub(r"\bck[0-9a-f]{8}", "ck", frame["picture"])} if frame else frame


@pytest.mark.parametrize("factory", VIEWS, ids=lambda f: f.__name__)
def test_a_frame_worked_out_ahead_is_the_frame_a_real_move_sends_and_leaves_the_view_as_it_was(factory):
    view = started(factory)
    for name, control in view.controls.items():
        if name.startswith("_") or not isinstance(control, (Slider, Choice, Play)):
            continue
        if view.ahead_controls is not None and name not in view.ahead_controls:     # a move that restarts
            assert view.frames_ahead(name, next_values(control)) == []
            continue
        values = next_values(control)
        before, frames, numbers = content(view), view.frames, view.numbers
        ahead = view.frames_ahead(name, values)
        assert content(view) == before and view.frames == frames, f"{name}: working ahead changed the view"
        assert view.numbers == numbers and view.last_error is None, f"{name}: working ahead changed the state"
        assert len(ahead) == len(values)
        for value, frame in zip(values, ahead):
            twin = started(factory)                               # the same view, really moved
            start = twin.controls[name].browser_value()
            from_browser(twin, {"set": {name: value}})
            if twin.controls[name].browser_value() == start:     # at an end: no move, nothing ahead
                assert frame is None, f"{name} → {value} does not move, yet a frame was worked out"
            else:
                assert same_view(frame) == same_view(content(twin)), \
                    f"{name} → {value}: the frame ahead differs from the real move's"
            twin.close()
    view.close()


def test_a_key_press_message_gets_its_frame_then_the_frames_ahead_for_that_frame(monkeypatch):
    view = network_explorer()
    sent = sent_messages(monkeypatch, view)
    slider = view.controls["A1[0,1]"]
    v = round(slider.value + slider.step, 10)
    ahead = next_values(Slider("s", "s", v, slider.min, slider.max, slider.step))
    assert from_browser(view, {"set": {"A1[0,1]": v}, "ahead": {"name": "A1[0,1]", "values": ahead}}) == 1
    assert len(sent) == 1 and sent[0]["ahead"]["count"] == view.frames == view.frame["count"]
    assert sent[0]["ahead"]["values"] == ahead
    first = sent[0]["ahead"]["frames"][0]
    from_browser(view, {"set": {"A1[0,1]": ahead[0]}})
    assert first == content(view)
    assert_network_shows(view, view.params())                 # and that frame is coursekit's numbers
    view.close()


@pytest.mark.parametrize("ahead", [
    {"name": "reset", "values": [3]},                           # a button
    {"name": "play", "values": [True]},
    {"name": "eta", "values": [0.1, 0.2, 0.3]},                 # more than a press reaches
    {"name": "no such control", "values": [1]},
    {"name": "eta", "values": "0.1"},
    ["eta", [0.1]],
])
def test_frames_ahead_that_cannot_be_worked_out_are_not_sent_and_the_move_still_answers(monkeypatch, ahead):
    view = training_view()
    sent = sent_messages(monkeypatch, view)
    eta = view.controls["eta"]
    assert from_browser(view, {"set": {"eta": eta.value * 1.1}, "ahead": ahead}) == 1
    assert sent == [] and view.last_error is None
    view.close()


def test_frames_ahead_of_a_broken_move_are_simply_missing(monkeypatch):
    view = graph_explorer()
    sent = sent_messages(monkeypatch, view)
    name = next(n for n, c in view.controls.items() if isinstance(c, Slider))
    control = view.controls[name]
    calls = {"n": 0}
    real = view.refresh

    def refresh():                                 # the move itself works, the two ahead fail, the way back works
        calls["n"] += 1
        if calls["n"] in (2, 3):
            raise RuntimeError("boom")
        real()

    monkeypatch.setattr(view, "refresh", refresh)
    value = control.value + control.step if control.value + control.step <= control.max else control.value - control.step
    ahead = next_values(Slider("s", "s", value, control.min, control.max, control.step))
    before = dict(view.state)
    assert from_browser(view, {"set": {name: value}, "ahead": {"name": name, "values": ahead}}) == 1
    assert calls["n"] == 4
    assert view.last_error is None and view.error == ""
    frames = sent[0]["ahead"]["frames"] if sent else []
    assert all(f is None or "boom" in f["error"] for f in frames)    # an error frame is what a real move shows
    assert view.state.keys() == before.keys()
    view.close()
