"""Kernel-side latency of the network explorer: how long one slider move takes to update every number.

    python bench/widget_latency.py [--moves 200] [--json PATH] [--no-kernel]

A move is handled the way a browser's slider message is: the control receives the comm "update" message
({"value": v}), its observer recomputes coursekit.forward / backward / total_cost, and the view sends the
numbers (HTML) and then the drawing (SVG). Measured twice:
- in a real ipykernel started with jupyter_client (comm messages are serialised and sent over ZeroMQ), and
- in this process (no comm), with a breakdown: coursekit's numbers, the numbers HTML, the SVG drawing.
The target is a median of at most 15 ms per move. Prints medians, 90th percentiles and maxima (ms).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from coursekit.jupyter_env import jupyter_sandbox  # noqa: E402

SLIDER = "A1[0,1]"
TARGET_MS = 15.0

MEASURE = r'''
import json, statistics, time
import coursekit

def move_message(value):
    return {"content": {"data": {"method": "update", "state": {"value": value}, "buffer_paths": []}},
            "buffers": []}

view = coursekit.widgets.network_explorer()
slider = view.controls[__SLIDER__]
times = []
for k in range(__MOVES__):
    value = round(-1.5 + 3.0 * ((k * 37) % 200) / 200, 2)           # jumps about, never the same twice in a row
    if value == slider.value:
        value = round(value + 0.01, 2)
    start = time.perf_counter()
    slider._handle_msg(move_message(value))                            # what a browser's slider message does
    times.append(time.perf_counter() - start)
    assert view.last_error is None, view.last_error
print("__RESULT__" + json.dumps(times))
'''


def measure_code(moves):
    return MEASURE.replace("__SLIDER__", repr(SLIDER)).replace("__MOVES__", str(int(moves)))


def summary(times):
    ms = sorted(1000 * t for t in times)
    return {"median": statistics.median(ms), "p90": ms[int(0.9 * (len(ms) - 1))], "max": ms[-1], "n": len(ms)}


def in_kernel(moves, timeout=120):
    """Run MEASURE in a fresh ipykernel (temporary Jupyter/IPython folders); the list of move times."""
    from jupyter_client.manager import start_new_kernel

    with jupyter_sandbox("coursekit-bench-"):
        manager, client = start_new_kernel(kernel_name="python3", startup_timeout=60,
                                           stderr=subprocess.DEVNULL)          # errors come back on iopub
        try:
            out = []

            def collect(message):
                if message["msg_type"] == "stream":
                    out.append(message["content"]["text"])
                elif message["msg_type"] == "error":
                    out.append("\n".join(message["content"]["traceback"]))

            reply = client.execute_interactive(measure_code(moves), timeout=timeout,
                                               output_hook=collect)
            text = "".join(out)
            if reply["content"]["status"] != "ok" or "__RESULT__" not in text:
                raise RuntimeError(f"the kernel measurement failed:\n{text}")
            return json.loads(text.split("__RESULT__", 1)[1].strip().splitlines()[0])
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


def in_process(moves):
    """MEASURE in this process, plus the time of each part of one update."""
    scope = {}
    exec(measure_code(moves).replace("print(", "result = ("), scope)
    view = scope["view"]
    import coursekit
    from coursekit.widgets.network import network_svg

    parts = {"coursekit numbers": [], "numbers HTML": [], "SVG drawing": []}
    for _ in range(moves):
        s = view.state
        start = time.perf_counter()
        trace = coursekit.forward(s["params"], s["X"], activation=s["activation"])
        coursekit.backward(s["params"], trace, s["Y"], activation=s["activation"], cost=s["cost"])
        coursekit.total_cost(s["params"], s["X"], s["Y"], activation=s["activation"], cost=s["cost"])
        middle = time.perf_counter()
        view._numbers_html()
        after_html = time.perf_counter()
        network_svg(s)
        end = time.perf_counter()
        parts["coursekit numbers"].append(middle - start)
        parts["numbers HTML"].append(after_html - middle)
        parts["SVG drawing"].append(end - after_html)
    return scope["times"], parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--no-kernel", action="store_true", help="skip the measurement in a real ipykernel")
    args = parser.parse_args()

    results = {"slider": SLIDER, "moves": args.moves, "target_median_ms": TARGET_MS}
    times, parts = in_process(args.moves)
    results["in_process"] = summary(times)
    results["parts"] = {name: summary(t) for name, t in parts.items()}
    if not args.no_kernel:
        results["in_kernel"] = summary(in_kernel(args.moves))

    print(f"network explorer, {args.moves} moves of {SLIDER} (ms per move: median / p90 / max)")
    for name in ("in_kernel", "in_process"):
        if name in results:
            r = results[name]
            print(f"  {name.replace('_', ' '):<11} {r['median']:6.2f} / {r['p90']:6.2f} / {r['max']:6.2f}")
    for name, r in results["parts"].items():
        print(f"    {name:<18} {r['median']:6.2f} / {r['p90']:6.2f} / {r['max']:6.2f}")
    worst = max(results[k]["median"] for k in ("in_kernel", "in_process") if k in results)
    print(f"target: median ≤ {TARGET_MS:g} ms: {'met' if worst <= TARGET_MS else 'MISSED'} ({worst:.2f} ms)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
