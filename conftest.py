"""pytest set-up for every test path (tests/ and the notebooks under nbval).

Jupyter, IPython and matplotlib write only to a temporary folder, removed at the end; kernels inherit it.
"""
import os
import shutil
import tempfile

_SANDBOX = tempfile.mkdtemp(prefix="coursekit-tests-")
for _variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
    os.environ[_variable] = os.path.join(_SANDBOX, _variable.lower())
    os.makedirs(os.environ[_variable], exist_ok=True)
os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
# One BLAS thread: on a shared 2-core machine threads only contend, and a fixed thread count keeps the
# summation order, hence every printed digit, the same as when the notebooks were executed
# (tools/execute_notebooks.py sets the same).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"


def pytest_unconfigure(config):
    shutil.rmtree(_SANDBOX, ignore_errors=True)
