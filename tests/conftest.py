"""Shared test set-up: Jupyter, IPython and matplotlib write only to a temporary folder, removed at the end."""
import os
import shutil
import tempfile

_SANDBOX = tempfile.mkdtemp(prefix="coursekit-tests-")
for _variable, _sub in [("JUPYTER_CONFIG_DIR", "jupyter-config"), ("JUPYTER_DATA_DIR", "jupyter-data"),
                        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"), ("IPYTHONDIR", "ipython"),
                        ("MPLCONFIGDIR", "matplotlib")]:
    os.environ[_variable] = os.path.join(_SANDBOX, _sub)
    os.makedirs(os.environ[_variable], exist_ok=True)
os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread: on a shared 2-core machine threads only contend, and a fixed thread count keeps the
# summation order, hence every printed digit, the same as when the notebooks were executed.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"
os.environ["JUPYTER_PLATFORM_DIRS"] = "1"

from hypothesis import settings  # noqa: E402  (after the environment is set)

settings.register_profile("course", max_examples=200, deadline=None, database=None)
settings.load_profile("course")


def pytest_unconfigure(config):
    shutil.rmtree(_SANDBOX, ignore_errors=True)
