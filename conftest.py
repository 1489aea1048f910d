"""pytest set-up for every test path (tests/ and the notebooks under nbval).

Jupyter, IPython and matplotlib write only to a temporary folder, removed at the end, and BLAS runs one
thread (tools/execute_notebooks.py does the same, so nbval sees the digits that were stored); kernels that
nbval and the tests start inherit both.
"""
from coursekit.jupyter_env import jupyter_sandbox

_SANDBOX = jupyter_sandbox("coursekit-tests-", one_blas_thread=True)


def pytest_configure(config):
    _SANDBOX.__enter__()


def pytest_unconfigure(config):
    _SANDBOX.__exit__(None, None, None)
