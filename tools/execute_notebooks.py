"""Re-execute course notebooks in place (Restart & Run All), store the outputs, strip volatile metadata.

    python tools/execute_notebooks.py notebooks/08_two_layer_network.ipynb [...]

Runs each notebook in a fresh python3 kernel from the notebooks/ folder with a finite timeout, in a
temporary Jupyter/IPython/matplotlib configuration, so that what is stored is what strict nbval compares.
Per-run cell metadata (timings, UI state) is dropped; the notebook keeps `language_info` exactly as the kernel
reported it (with the Python version): JupyterLab writes the running kernel's language_info into an opened
notebook, and a stored one that differs marks the untouched notebook "unsaved".
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient

from coursekit.jupyter_env import jupyter_sandbox

VOLATILE_CELL_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled")


def strip(nb):
    """Drop per-run metadata (timings, UI state) so that re-running changes only what really changed."""
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


def execute(path, timeout=120):
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute()
    nbformat.write(strip(nb), path)
    return time.perf_counter() - start


if __name__ == "__main__":
    with jupyter_sandbox("coursekit-execute-", one_blas_thread=True):   # as in conftest.py: the same digits
        for notebook in sys.argv[1:]:
            print(f"{notebook}: {execute(notebook):.1f} s", flush=True)
