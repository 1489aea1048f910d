"""Jupyter, IPython and matplotlib state in a temporary folder: for tests, tools, grading and benchmarks."""
import contextlib
import os
import shutil
import tempfile

SANDBOX_FOLDERS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR")
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def jupyter_sandbox(prefix="coursekit-", one_blas_thread=False):
    """Inside, Jupyter, IPython and matplotlib (and kernels started there) write only to a temporary folder.

    Points JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR, JUPYTER_RUNTIME_DIR, IPYTHONDIR and MPLCONFIGDIR in os.environ
    at sub-folders of a new temporary folder, which it yields; `one_blas_thread` also pins BLAS to one thread,
    so that sums run in the same order, and print the same digits, wherever the notebooks run. On the way out
    the variables are restored and the folder is removed.
    """
    folder = tempfile.mkdtemp(prefix=prefix)
    values = {key: os.path.join(folder, key.lower()) for key in SANDBOX_FOLDERS}
    values["JUPYTER_PLATFORM_DIRS"] = "1"
    if one_blas_thread:
        values.update(dict.fromkeys(BLAS_THREADS, "1"))
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            os.environ[key] = value
            if key in SANDBOX_FOLDERS:
                os.makedirs(value, exist_ok=True)
        yield folder
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(folder, ignore_errors=True)
