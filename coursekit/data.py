"""Small deterministic data sets, examples as columns: X (n0, R), Y (n_K, R); the same seed gives the same data."""
from typing import NamedTuple

import numpy as np

from .notation import check_count


class Split(NamedTuple):
    """A training set (X, Y) and a held-out test set (X_test, Y_test), examples as columns."""
    X: np.ndarray
    Y: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


class Regression(NamedTuple):
    """Example 5.11's linear model y = Φθ + noise: Φ (N, D) features per row, y (N, 1), the true θ (D, 1)."""
    Phi: np.ndarray
    y: np.ndarray
    theta: np.ndarray
    x: np.ndarray


def xor():
    """The four corners of the unit square with XOR labels: X (2, 4), Y (1, 4)."""
    X = np.array([[0.0, 0.0, 1.0, 1.0],
                  [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return X, Y


def two_moons(R=200, noise=0.1, seed=0):
    """Two interleaved half circles, label 0 (upper) and 1 (lower), centred at 0: X (2, R), Y (1, R)."""
    R = check_count("R", R, 2)
    rng = np.random.default_rng(seed)
    upper, lower = (R + 1) // 2, R // 2
    t_up, t_low = np.linspace(0, np.pi, upper), np.linspace(0, np.pi, lower)
    X = np.concatenate([np.stack([np.cos(t_up), np.sin(t_up)]),
                        np.stack([1 - np.cos(t_low), 0.5 - np.sin(t_low)])], axis=1)
    X = X - np.array([[0.5], [0.25]]) + noise * rng.standard_normal((2, R))
    Y = np.concatenate([np.zeros(upper), np.ones(lower)])[None, :]
    order = rng.permutation(R)
    return X[:, order], Y[:, order]


def spirals(R=200, turns=1.0, noise=0.05, seed=0):
    """Two interleaved spiral arms, labels 0 and 1, in about [−1, 1]²: X (2, R), Y (1, R)."""
    R = check_count("R", R, 2)
    rng = np.random.default_rng(seed)
    arm = np.arange(R) % 2
    t = np.sqrt(rng.uniform(0.02, 1.0, R))                   # radius; √ spreads points evenly by area
    angle = 2 * np.pi * turns * t + np.pi * arm
    X = np.stack([t * np.cos(angle), t * np.sin(angle)]) + noise * rng.standard_normal((2, R))
    return X, arm[None, :].astype(np.float64)


def linear_regression(N=30, noise=0.2, seed=0):
    """Example 5.11 data: Φ = [1, x, x²] (N, 3), y = Φθ + noise (N, 1), with the true θ = [1, −2, 3]ᵀ."""
    N = check_count("N", N, 1)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, N))
    Phi = np.stack([np.ones(N), x, x**2], axis=1)
    theta = np.array([[1.0], [-2.0], [3.0]])
    y = Phi @ theta + noise * rng.standard_normal((N, 1))
    return Regression(Phi, y, theta, x)


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's bundled 8×8 digits (1797 images, no download): X (64, R) in [0, 1], one-hot Y (10, R)."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1; got {test_fraction}")
    from sklearn.datasets import load_digits                  # slow import: only when digits are asked for
    images = load_digits()
    X = images.data.T / 16.0                                   # pixel intensities 0…16 → [0, 1]
    Y = np.eye(10)[images.target].T                            # class c → unit column e_c
    order = np.random.default_rng(seed).permutation(X.shape[1])
    n_test = int(round(test_fraction * X.shape[1]))
    test, train = order[:n_test], order[n_test:]
    return Split(X[:, train], Y[:, train], X[:, test], Y[:, test])
