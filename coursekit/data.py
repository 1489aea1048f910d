"""Small deterministic data sets, examples as columns: X (n0, R), Y (n_K, R); the same seed gives the same data."""
from typing import NamedTuple

import numpy as np

from .notation import check_count, check_memory, check_number, check_seed


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


def _sized(what, R, least, noise, seed, name="R"):
    """Checked (count, noise, generator) for a data set of `count` examples."""
    R = check_count(name, R, least)
    check_memory(f"{what}({name}={R:,})", 8 * R, f"ask for fewer examples")
    noise = check_number("noise", noise, 0.0, fix="the standard deviation of the Gaussian noise, e.g. 0.1")
    return R, noise, np.random.default_rng(check_seed(seed))


def xor():
    """The four corners of the unit square with XOR labels: X (2, 4), Y (1, 4)."""
    X = np.array([[0.0, 0.0, 1.0, 1.0],
                  [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return X, Y


def two_moons(R=200, noise=0.1, seed=0):
    """Two interleaved half circles, label 0 (upper) and 1 (lower), centred at 0: X (2, R), Y (1, R)."""
    R, noise, rng = _sized("two_moons", R, 2, noise, seed)
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
    R, noise, rng = _sized("spirals", R, 2, noise, seed)
    turns = check_number("turns", turns, 0.0, low_open=True, fix="the number of turns of each arm, e.g. 1.0")
    arm = np.arange(R) % 2
    t = np.sqrt(rng.uniform(0.02, 1.0, R))                   # radius; √ spreads points evenly by area
    angle = 2 * np.pi * turns * t + np.pi * arm
    X = np.stack([t * np.cos(angle), t * np.sin(angle)]) + noise * rng.standard_normal((2, R))
    return X, arm[None, :].astype(np.float64)


def linear_regression(N=30, noise=0.2, seed=0):
    """Example 5.11 data: Φ = [1, x, x²] (N, 3), y = Φθ + noise (N, 1), with the true θ = [1, −2, 3]ᵀ."""
    N, noise, rng = _sized("linear_regression", N, 1, noise, seed, name="N")
    x = np.sort(rng.uniform(-1.0, 1.0, N))
    Phi = np.stack([np.ones(N), x, x**2], axis=1)
    theta = np.array([[1.0], [-2.0], [3.0]])
    y = Phi @ theta + noise * rng.standard_normal((N, 1))
    return Regression(Phi, y, theta, x)


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's bundled 8×8 digits (1797 images, no download): X (64, R) in [0, 1], one-hot Y (10, R)."""
    test_fraction = check_number("test_fraction", test_fraction, 0.0, 1.0, low_open=True, high_open=True)
    seed = check_seed(seed)
    from sklearn.datasets import load_digits                  # slow import: only when digits are asked for
    images = load_digits()
    n_test = int(round(test_fraction * images.data.shape[0]))
    if not 0 < n_test < images.data.shape[0]:
        raise ValueError(f"test_fraction = {test_fraction:g} of the {images.data.shape[0]} images leaves "
                         f"{'no test' if n_test == 0 else 'no training'} example; take one in "
                         f"[{1 / images.data.shape[0]:.4f}, {1 - 1 / images.data.shape[0]:.4f}]")
    X = images.data.T / 16.0                                   # pixel intensities 0…16 → [0, 1]
    Y = np.eye(10)[images.target].T                            # class c → unit column e_c
    order = np.random.default_rng(seed).permutation(X.shape[1])
    test, train = order[:n_test], order[n_test:]
    return Split(X[:, train], Y[:, train], X[:, test], Y[:, test])
