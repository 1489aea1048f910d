"""Finite differences against derivatives worked out by hand (Definition 5.5, (5.40), (5.58), §5.4)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from coursekit import calculus
from coursekit.calculus import derivative, gradient, jacobian, tensor_jacobian


@given(st.floats(-3, 3))
def test_derivative_of_sin_cubed(x):
    # d/dx sin(x)³ = 3 sin(x)² cos(x)
    exact = 3 * np.sin(x) ** 2 * np.cos(x)
    assert derivative(lambda t: np.sin(t) ** 3, x) == pytest.approx(exact, abs=1e-9)


def test_central_beats_forward_differences():
    # forward differences err by O(h), central by O(h²): at h = 1e-3 the gap is orders of magnitude
    f, x, exact = np.exp, 0.5, np.exp(0.5)
    forward_error = abs(derivative(f, x, h=1e-3, scheme="forward") - exact)
    central_error = abs(derivative(f, x, h=1e-3, scheme="central") - exact)
    assert forward_error == pytest.approx(1e-3 / 2 * exact, rel=1e-2)      # f''(x) h / 2
    assert central_error == pytest.approx(1e-6 / 6 * exact, rel=1e-2)      # f'''(x) h² / 6
    with pytest.raises(ValueError, match="'central', 'forward'"):
        derivative(f, x, scheme="backward")


def test_gradient_is_a_row_vector():
    # f(x1, x2) = x1² x2 + x1 x2³ (5.40): ∂f/∂x1 = 2 x1 x2 + x2³, ∂f/∂x2 = x1² + 3 x1 x2²
    f = lambda x: x[0] ** 2 * x[1] + x[0] * x[1] ** 3
    for x in (np.array([1.0, 2.0]), np.array([[1.0], [2.0]]), [1, 2]):
        g = gradient(lambda v: f(np.ravel(v)), x)
        assert g.shape == (1, 2)
        np.testing.assert_allclose(g, [[2 * 2 + 8, 1 + 3 * 4]], rtol=1e-9)
    with pytest.raises(ValueError, match="scalar"):
        gradient(lambda v: v, np.ones(2))
    with pytest.raises(ValueError, match="vector"):
        gradient(lambda v: v.sum(), np.ones((2, 2)))


def test_jacobian_of_Ax_is_A():
    # Example 5.9: f(x) = Ax has df/dx = A (5.68), of shape M × N
    A = np.arange(12.0).reshape(4, 3) - 5
    J = jacobian(lambda x: A @ x, np.array([0.3, -1.0, 2.0]))
    assert J.shape == (4, 3)
    np.testing.assert_allclose(J, A, atol=1e-9)


def test_jacobian_of_an_elementwise_function_is_diagonal():
    z = np.array([-1.0, 0.2, 3.0])
    J = jacobian(np.tanh, z)
    np.testing.assert_allclose(J, np.diag(1 - np.tanh(z) ** 2), atol=1e-10)


def A_of_x(x):
    """A 4 × 2 matrix function of x ∈ R³ (§5.4's setting)."""
    x1, x2, x3 = x
    return np.array([[x1 * x2, x3 ** 2], [np.sin(x1), x2], [x1 + x3, np.exp(x2)], [x1 * x2 * x3, 1.0]])


def dA_dx_by_hand(x):
    x1, x2, x3 = x
    T = np.zeros((4, 2, 3))
    T[0, 0] = [x2, x1, 0]
    T[0, 1] = [0, 0, 2 * x3]
    T[1, 0] = [np.cos(x1), 0, 0]
    T[1, 1] = [0, 1, 0]
    T[2, 0] = [1, 0, 1]
    T[2, 1] = [0, np.exp(x2), 0]
    T[3, 0] = [x2 * x3, x1 * x3, x1 * x2]
    return T


def test_tensor_jacobian_4x2_of_x_in_R3_both_approaches():
    x = np.array([0.4, -0.3, 1.2])
    stacked = tensor_jacobian(A_of_x, x, approach="stack")
    flattened = tensor_jacobian(A_of_x, x, approach="flatten")
    assert stacked.shape == flattened.shape == (4, 2, 3)
    np.testing.assert_allclose(stacked, dA_dx_by_hand(x), atol=1e-9)
    np.testing.assert_array_equal(stacked, flattened)   # same perturbations, same arithmetic
    with pytest.raises(ValueError, match="'stack', 'flatten'"):
        tensor_jacobian(A_of_x, x, approach="guess")


def test_example_5_12_tensor_has_the_sparsity_of_5_92():
    # f = Ax, A ∈ R^{M×N}: ∂f_i/∂A_{i,:} = xᵀ (5.90) and ∂f_i/∂A_{k≠i,:} = 0ᵀ (5.91)
    M, N = 3, 4
    rng = np.random.default_rng(0)
    A, x = rng.normal(size=(M, N)), rng.normal(size=N)
    J = tensor_jacobian(lambda B: B @ x, A)
    assert J.shape == (M, M, N)                                       # (5.86): M × (M × N)
    for i in range(M):
        for k in range(M):
            if k == i:
                np.testing.assert_allclose(J[i, i], x, rtol=1e-9)
            else:
                assert not J[i, k].any()                               # exactly zero, not just small
    flat = J.reshape(M, M * N)                                         # (5.92): row i of df/dA
    for i in range(M):
        assert np.flatnonzero(flat[i]).tolist() == list(range(i * N, (i + 1) * N))


def test_each_perturbed_entry_is_restored():
    X = np.arange(6.0).reshape(2, 3)
    original = X.copy()
    seen = []

    def F(Xp):
        seen.append(int(np.count_nonzero(Xp != original)))
        return Xp.sum(axis=0)

    for approach in ("stack", "flatten"):
        seen.clear()
        J = tensor_jacobian(F, X, approach=approach)
        assert all(count <= 1 for count in seen), seen                 # one entry off at a time
        assert J.shape == (3, 2, 3)
    np.testing.assert_array_equal(X, original)                         # the caller's array is untouched
    grad = calculus.numerical_gradient(lambda Xp: (Xp ** 2).sum(), X)
    np.testing.assert_allclose(grad, 2 * X, atol=1e-8)
    np.testing.assert_array_equal(X, original)


# ---- what f returns is checked, and f gets a fresh copy of the point every time --------------------------

def forgot_return(x):
    x.sum()                                                          # no return: Python gives None


@pytest.mark.parametrize("call", [
    lambda f: derivative(f, 0.5),
    lambda f: gradient(f, np.ones(3)),
    lambda f: jacobian(f, np.ones(3)),
    lambda f: tensor_jacobian(f, np.ones((2, 2))),
    lambda f: tensor_jacobian(f, np.ones((2, 2)), approach="flatten"),
])
def test_a_function_that_forgot_return_is_named(call):
    with pytest.raises(ValueError, match=r"f returned None at .*[xX].*return"):
        call(lambda x: forgot_return(np.atleast_1d(x)))


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_values_of_f_are_refused_with_the_point(value):
    def f(x):
        return value if np.ravel(x)[1] > 2.00000001 else float(np.sum(x))
    with pytest.raises(ValueError, match=r"non-finite value at x\[1\] = 2\.00001 \(x \+ h\)"):
        gradient(f, np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"non-finite value at x − h"):
        derivative(lambda t: value if t < 0 else t, 0.0, h=1e-3)


def test_a_shape_that_changes_from_point_to_point_is_refused():
    def f(x):
        return np.zeros(3) if x[0] > 1 else np.zeros(2)
    with pytest.raises(ValueError, match=r"f returned shape \(2,\) at x\[0\] = 0\.99999 \(x − h\) but \(3,\) at the "):
        jacobian(f, np.array([1.0, 5.0]))


def test_f_that_modifies_its_argument_does_not_change_later_points():
    # f(x) = Σ x² but it also adds 10 to x[0] in place: with a shared array every later point would be off
    def f(x):
        value = float(np.sum(x ** 2))
        x[0] += 10.0
        return value
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(gradient(f, x), [[2.0, 4.0, 6.0]], rtol=1e-8)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(jacobian(lambda v: np.array([f(v)]), x), [[2.0, 4.0, 6.0]], rtol=1e-8)
    np.testing.assert_allclose(tensor_jacobian(f, np.ones((2, 2))), 2 * np.ones((2, 2)), rtol=1e-8)


@pytest.mark.parametrize("h, words", [
    (0, ["step h", "> 0"]), (-1e-5, ["step h"]), (float("nan"), ["step h", "nan"]), ("1e-5", ["step h", "real number"]),
    (1e-20, ["too small", "x = 1", "rounds back", "larger h"]),
])
def test_the_step_is_checked(h, words):
    for call in (lambda: derivative(np.sin, 1.0, h), lambda: gradient(np.sum, np.ones(2), h),
                 lambda: jacobian(lambda v: v, np.ones(2), h), lambda: tensor_jacobian(np.sum, np.ones((2, 2)), h)):
        with pytest.raises((ValueError, TypeError)) as error:
            call()
        assert words[0] in str(error.value), (words[0], str(error.value))
    with pytest.raises((ValueError, TypeError)) as error:
        derivative(np.sin, 1.0, h)
    for word in words:
        assert word in str(error.value), (word, str(error.value))


@pytest.mark.parametrize("call, words", [
    (lambda: derivative(np.sin, "a"), ["x", "real number"]),
    (lambda: derivative(np.sin, float("inf")), ["x", "finite"]),
    (lambda: derivative(lambda t: [t, t], 1.0), ["one number", "(2,)", "jacobian"]),
    (lambda: derivative(lambda t: "abc", 1.0), ["real numbers", "str"]),
    (lambda: derivative(np.sin, 1.0, scheme=None), ["scheme", "'central', 'forward'"]),
    (lambda: gradient(np.sum, np.array([1.0, np.nan])), ["x", "non-finite"]),
    (lambda: jacobian(lambda v: np.zeros(100_000), np.zeros(3000)), ["Jacobian", "GB", "2 GB"]),
    (lambda: tensor_jacobian(lambda A: np.zeros((400, 400)), np.zeros((40, 40))), ["tensor Jacobian", "GB"]),
])
def test_bad_arguments_are_refused(call, words):
    with pytest.raises((ValueError, TypeError)) as error:
        call()
    for word in words:
        assert word in str(error.value), (word, str(error.value))


@given(st.lists(st.floats(-10, 10), min_size=1, max_size=5), st.floats(-100, 100))
def test_gradient_of_a_quadratic_whatever_f_does_to_its_argument(x, junk):
    # ∇ Σ c_i x_i² = 2 c ⊙ x, by hand; f overwrites its argument after reading it
    x = np.array(x)
    c = np.arange(1.0, x.size + 1)

    def f(v):
        value = float(np.sum(c * v ** 2))
        v[...] = junk
        return value
    np.testing.assert_allclose(gradient(f, x), [2 * c * x], rtol=1e-6, atol=1e-6)
