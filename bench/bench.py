"""Speed of coursekit against peers measured in one process, interleaved round by round (the machine is noisy).

    python bench/bench.py [--quick] [--nbval] [--json bench/results/latest.json] [--against GIT-REVISION]

Peers: a minimal hand-written NumPy pass, and where installed PyTorch CPU autograd and JAX jit (the `bench`
extra). Everything in float64, squared cost, sigmoid layers. Prints medians and ratios; writes JSON and a
Markdown table (for the README). --against REV also times the coursekit of an older git revision in the same
process (the best of 7 interleaved rounds, so that other processes on the machine count for little).
"""
import argparse
import json
import os
import platform
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
import timeit

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import coursekit  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = [([2, 3, 1], 1), ([2, 16, 1], 256), ([784, 128, 10], 128), ([784, 1024, 10], 1024)]


# ---- peers: forward + backward of the two-layer network ------------------------------------------------

def coursekit_pass(params, X, Y):
    def run():
        return coursekit.backward(params, coursekit.forward(params, X), Y)
    return run


def numpy_pass(params, X, Y):
    A0, b0, A1, b1 = params["A0"], params["b0"], params["A1"], params["b1"]

    def run():
        Z1 = A0 @ X + b0
        f1 = 1 / (1 + np.exp(-Z1))
        Z2 = A1 @ f1 + b1
        f2 = 1 / (1 + np.exp(-Z2))
        d2 = (f2 - Y) * f2 * (1 - f2)
        d1 = (A1.T @ d2) * f1 * (1 - f1)
        return d1 @ X.T, d1.sum(axis=1, keepdims=True), d2 @ f1.T, d2.sum(axis=1, keepdims=True)
    return run


def torch_pass(params, X, Y):
    import torch
    theta = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def run():
        for t in theta.values():
            t.grad = None
        f1 = torch.sigmoid(theta["A0"] @ Xt + theta["b0"])
        f2 = torch.sigmoid(theta["A1"] @ f1 + theta["b1"])
        E = 0.5 * ((f2 - Yt) ** 2).sum()
        E.backward()
        return [t.grad for t in theta.values()]
    return run


def _jax():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    def cost(theta, X, Y):
        f1 = jax.nn.sigmoid(theta["A0"] @ X + theta["b0"])
        f2 = jax.nn.sigmoid(theta["A1"] @ f1 + theta["b1"])
        return 0.5 * jnp.sum((f2 - Y) ** 2)
    return jax, jnp, cost


def jax_pass(params, X, Y):
    jax, jnp, cost = _jax()
    grad = jax.jit(jax.grad(cost))
    theta = {k: jnp.asarray(v) for k, v in params.items()}
    Xj, Yj = jnp.asarray(X), jnp.asarray(Y)
    jax.block_until_ready(grad(theta, Xj, Yj))

    def run():
        return jax.block_until_ready(grad(theta, Xj, Yj))
    return run


# ---- peers: 2000 steps of full-batch gradient descent ---------------------------------------------------

def coursekit_train(params, X, Y, eta, steps):
    return lambda: coursekit.gradient_descent(params, X, Y, eta, steps)


def numpy_train(params, X, Y, eta, steps):
    def run():
        A0, b0, A1, b1 = (params[k].copy() for k in ("A0", "b0", "A1", "b1"))
        for _ in range(steps):
            f1 = 1 / (1 + np.exp(-(A0 @ X + b0)))
            f2 = 1 / (1 + np.exp(-(A1 @ f1 + b1)))
            d2 = (f2 - Y) * f2 * (1 - f2)
            d1 = (A1.T @ d2) * f1 * (1 - f1)
            A0 -= eta * (d1 @ X.T)
            b0 -= eta * d1.sum(axis=1, keepdims=True)
            A1 -= eta * (d2 @ f1.T)
            b1 -= eta * d2.sum(axis=1, keepdims=True)
        return A0, b0, A1, b1
    return run


def torch_train(params, X, Y, eta, steps):
    import torch
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def run():
        theta = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
        opt = torch.optim.SGD(theta.values(), lr=eta)
        for _ in range(steps):
            opt.zero_grad()
            f1 = torch.sigmoid(theta["A0"] @ Xt + theta["b0"])
            f2 = torch.sigmoid(theta["A1"] @ f1 + theta["b1"])
            (0.5 * ((f2 - Yt) ** 2).sum()).backward()
            opt.step()
        return theta
    return run


def jax_train(params, X, Y, eta, steps):
    jax, jnp, cost = _jax()
    grad = jax.grad(cost)

    @jax.jit
    def loop(theta, X, Y):
        def step(_, theta):
            g = grad(theta, X, Y)
            return {k: theta[k] - eta * g[k] for k in theta}
        return jax.lax.fori_loop(0, steps, step, theta)
    theta0 = {k: jnp.asarray(v) for k, v in params.items()}
    Xj, Yj = jnp.asarray(X), jnp.asarray(Y)
    jax.block_until_ready(loop(theta0, Xj, Yj))
    return lambda: jax.block_until_ready(loop(theta0, Xj, Yj))


# ---- measurement --------------------------------------------------------------------------------------

def available(name):
    try:
        __import__(name)
        return True
    except ImportError:
        return False


def interleaved(runs, rounds, target=0.05):
    """Median seconds per call of each run, timing one batch of each per round, the order rotating."""
    numbers = {}
    for name, run in runs.items():
        run()                                                   # warm up
        start = time.perf_counter()
        run()
        once = max(time.perf_counter() - start, 1e-7)
        numbers[name] = max(1, min(10000, int(target / once)))
    samples = {name: [] for name in runs}
    names = list(runs)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            run, n = runs[name], numbers[name]
            start = time.perf_counter()
            for _ in range(n):
                run()
            samples[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(s) for name, s in samples.items()}


def gemm_rate(n=1024, rounds=7):
    """The machine's float64 matrix-multiply rate in GFLOP/s (median of n × n @ n × n)."""
    a, b = np.random.default_rng(0).normal(size=(2, n, n))
    a @ b
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    return 2 * n ** 3 / statistics.median(times) / 1e9


def pass_flops(sizes, R):
    """Multiply-add FLOPs of forward + backward: A f, δ fᵀ per layer, Aᵀ δ for every layer but the first."""
    flops = 0
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        flops += 2 * n_out * n_in * R * (3 if i > 0 else 2)
    return flops


def import_time(repeats=7):
    code = "import time; t = time.perf_counter(); import coursekit; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  cwd=ROOT).stdout) for _ in range(repeats)]
    return statistics.median(times)


def slider_latency(moves=200):
    try:
        from coursekit.widgets import network_explorer
    except ImportError:
        return None
    view = network_explorer()
    controls = getattr(view, "controls", None)
    if not controls:
        return None
    slider = next(iter(controls.values()))
    base, times = slider.value, []
    for i in range(moves):
        start = time.perf_counter()
        slider.value = base + (0.1 if i % 2 else -0.1)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gradcheck_time(sizes=(784, 4096, 10), R=16):
    """Seconds of coursekit.gradcheck with its default sampling on a large network, and the entries it checked."""
    rng = np.random.default_rng(0)
    params = coursekit.init_params(list(sizes), seed=0)
    X, Y = rng.normal(size=(sizes[0], R)), np.eye(sizes[-1])[rng.integers(0, sizes[-1], R)].T
    start = time.perf_counter()
    check = coursekit.gradcheck(params, X, Y, ["sigmoid", "softmax"], "categorical_cross_entropy")
    return time.perf_counter() - start, sum(check.checked.values()), check.verdict


def older_coursekit(revision):
    """coursekit as it was at a git revision, imported as coursekit_<revision> from a temporary copy."""
    import importlib.util
    folder = tempfile.mkdtemp(prefix="coursekit-bench-")
    archive = subprocess.run(["git", "archive", revision, "coursekit"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
    name = f"coursekit_{revision}"
    spec = importlib.util.spec_from_file_location(name, os.path.join(folder, "coursekit", "__init__.py"),
                                                  submodule_search_locations=[os.path.join(folder, "coursekit")])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module, folder


def against(revision, rounds=7):
    """Forward + backward and 2000 descent steps: this coursekit against the one at `revision`, best of `rounds`."""
    old, folder = older_coursekit(revision)
    rows = []
    try:
        cases = [(sizes, R) for sizes, R in CASES] + [(None, None)]
        for sizes, R in cases:
            if sizes is None:
                X, Y = coursekit.data.two_moons(R=1000, seed=0)
                params = coursekit.init_params([2, 16, 1], seed=0)
                runs = {name: (lambda m=m: m.gradient_descent(params, X, Y, 0.001, 2000))
                        for name, m in (("before", old), ("after", coursekit))}
                number, label = 1, "2000 steps, 2-16-1, R=1000"
            else:
                params, X, Y = problem(sizes, R)
                runs = {name: (lambda m=m: m.backward(params, m.forward(params, X), Y))
                        for name, m in (("before", old), ("after", coursekit))}
                runs["numpy"] = numpy_pass(params, X, Y)
                number, label = max(1, int(0.02 / _once(runs["after"]))), f"{'-'.join(map(str, sizes))}, R={R}"
            best = {name: [] for name in runs}
            for _ in range(rounds):                                 # interleaved: each round times every run
                for name, run in runs.items():
                    best[name].append(timeit.timeit(run, number=number) / number)
            best = {name: min(times) for name, times in best.items()}
            rows.append({"case": label, "seconds": best, "after/before": best["after"] / best["before"]})
            print(f"{label:<28}" + "".join(f"{name} {t * 1e6:>11.1f}µs  " for name, t in best.items())
                  + f"after/before {best['after'] / best['before']:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"revision": revision, "rows": rows}


def _once(run):
    start = time.perf_counter()
    run()
    return max(time.perf_counter() - start, 1e-6)


def nbval_time():
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "notebooks", "-q", "-p", "no:randomly"],
                            cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, result.returncode == 0


def problem(sizes, R, seed=0):
    rng = np.random.default_rng(seed)
    params = coursekit.init_params(sizes, seed=seed)
    return params, rng.normal(size=(sizes[0], R)), rng.uniform(size=(sizes[-1], R))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--nbval", action="store_true", help="also time the whole course under strict nbval")
    parser.add_argument("--json", default=os.path.join(HERE, "results", "latest.json"))
    parser.add_argument("--markdown", help="also write the results as a Markdown table (for the README)")
    parser.add_argument("--against", metavar="REV", help="also compare with coursekit at this git revision")
    args = parser.parse_args()
    rounds = 5 if args.quick else 15
    peers = [("coursekit", coursekit_pass), ("numpy", numpy_pass)]
    peers += [("torch", torch_pass)] if available("torch") else []
    peers += [("jax", jax_pass)] if available("jax") else []
    if available("torch"):
        import torch
        torch.set_num_threads(os.cpu_count())
    rate = gemm_rate()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} " \
              f"{platform.python_version()}, numpy {np.__version__}, float64 GEMM {rate:.1f} GFLOP/s"
    print(f"machine: {machine}\n")
    results = {"machine": machine, "gemm_gflops": rate, "passes": [], "training": None}
    header = f"{'forward+backward':<26}" + "".join(f"{name:>12}" for name, _ in peers) + \
             f"{'ck/numpy':>10}" + ("" if len(peers) < 3 else f"{'ck/torch':>10}") + f"{'ck GEMM %':>11}"
    print(header)
    for sizes, R in CASES:
        params, X, Y = problem(sizes, R)
        runs = {name: make(params, X, Y) for name, make in peers}
        medians = interleaved(runs, rounds if R < 1024 else max(5, rounds // 3))
        fraction = pass_flops(sizes, R) / medians["coursekit"] / 1e9 / rate
        label = f"{'-'.join(map(str, sizes))}, R={R}"
        row = f"{label:<26}" + "".join(f"{medians[name] * 1e6:>10.1f}µs" for name, _ in peers)
        row += f"{medians['coursekit'] / medians['numpy']:>10.2f}"
        if "torch" in medians:
            row += f"{medians['coursekit'] / medians['torch']:>10.2f}"
        row += f"{100 * fraction:>10.0f}%"
        print(row)
        results["passes"].append({"case": label, "seconds": medians, "gemm_fraction": fraction})
    print()
    X, Y = coursekit.data.two_moons(R=1000, seed=0)
    params = coursekit.init_params([2, 16, 1], seed=0)
    trainers = [("coursekit", coursekit_train), ("numpy", numpy_train)]
    trainers += [("torch", torch_train)] if available("torch") else []
    trainers += [("jax", jax_train)] if available("jax") else []
    runs = {name: make(params, X, Y, 0.001, 2000) for name, make in trainers}
    medians = interleaved(runs, 3 if args.quick else 5, target=0.0)
    print("2000 full-batch steps, 2-16-1 on 1000 two-moons points: " +
          ", ".join(f"{name} {medians[name]:.3f} s" for name in medians))
    results["training"] = medians
    results["import_seconds"] = import_time()
    print(f"import coursekit: {results['import_seconds'] * 1e3:.0f} ms (median of 7 fresh interpreters)")
    seconds, entries, verdict = gradcheck_time()
    results["gradcheck"] = {"case": "784-4096-10, R=16", "seconds": seconds, "entries": entries, "verdict": verdict}
    print(f"gradcheck on 784-4096-10, R = 16, default sampling ({entries} entries): {seconds:.2f} s ({verdict})")
    latency = slider_latency()
    results["slider_seconds"] = latency
    if latency is not None:
        print(f"network-explorer slider move (kernel side): {latency * 1e3:.2f} ms median of 200")
    if args.against:
        print(f"\nthis coursekit against {args.against} (best of 7 interleaved rounds):")
        results["against"] = against(args.against)
    if args.nbval:
        seconds, ok = nbval_time()
        results["nbval_seconds"], results["nbval_passed"] = seconds, ok
        print(f"whole course under strict nbval: {seconds:.1f} s ({'passed' if ok else 'FAILED'})")
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
    print(f"\nwrote {args.json}")
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(markdown(results))
        print(f"wrote {args.markdown}")


def markdown(results):
    """The results as the README's table: medians, then ratios measured in the same run."""
    peers = [name for name in ("coursekit", "numpy", "torch", "jax") if name in results["passes"][0]["seconds"]]
    label = {"coursekit": "coursekit", "numpy": "hand-written NumPy", "torch": "PyTorch", "jax": "JAX jit"}
    head = "| forward + backward | " + " | ".join(label[p] for p in peers) + " | coursekit / NumPy" + \
           (" | coursekit / PyTorch" if "torch" in peers else "") + " | share of GEMM rate |"
    lines = [f"Measured on {results['machine']} (medians; ratios from the same run).", "", head,
             "|" + "---|" * (head.count("|") - 1)]
    for row in results["passes"]:
        t = row["seconds"]
        cells = [f"{t[p] * 1e6:,.0f} µs" if t[p] < 1e-3 else f"{t[p] * 1e3:,.1f} ms" for p in peers]
        ratios = [f"{t['coursekit'] / t['numpy']:.2f}"] + ([f"{t['coursekit'] / t['torch']:.2f}"] if "torch" in t else [])
        lines.append(f"| {row['case']} | " + " | ".join(cells + ratios) + f" | {100 * row['gemm_fraction']:.0f} % |")
    training = results["training"]
    lines += ["", "| 2000 full-batch steps, 2-16-1, two moons R = 1000 | " + " | ".join(label[p] for p in training) + " |",
              "|---|" + "---|" * len(training),
              "| seconds | " + " | ".join(f"{training[p]:.3f}" for p in training) + " |", ""]
    lines.append(f"- `import coursekit`: {results['import_seconds'] * 1e3:.0f} ms (median of 7 fresh interpreters)")
    if results.get("gradcheck") is not None:
        g = results["gradcheck"]
        lines.append(f"- `gradcheck` on {g['case']} with its default sampling ({g['entries']} of 3,256,330 entries): "
                     f"{g['seconds']:.1f} s")
    if results.get("slider_seconds") is not None:
        lines.append(f"- network-explorer slider move, kernel side (in process): {results['slider_seconds'] * 1e3:.1f} ms median")
    if results.get("against"):
        def cell(x):
            return "—" if x is None else (f"{x * 1e6:,.0f} µs" if x < 1e-3 else f"{x * 1e3:,.1f} ms")
        lines += ["", f"| best of 7 interleaved rounds | before ({results['against']['revision']}) | after | "
                      f"hand-written NumPy | after / before |", "|---|---|---|---|---|"]
        for row in results["against"]["rows"]:
            t = row["seconds"]
            lines.append(f"| {row['case']} | {cell(t['before'])} | {cell(t['after'])} | {cell(t.get('numpy'))} | "
                         f"{row['after/before']:.2f} |")
        lines.append("")
    if results.get("nbval_seconds") is not None:
        lines.append(f"- the ten notebooks under strict nbval: {results['nbval_seconds']:.0f} s "
                     f"({'passed' if results['nbval_passed'] else 'FAILED'})")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
