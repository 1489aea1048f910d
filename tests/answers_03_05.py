"""Student-style answers for the exercises of notebooks 03–05 (see answers.py)."""
import math  # noqa: F401

import numpy as np  # noqa: F401

import coursekit  # noqa: F401
from answers import answer, central, sigma  # noqa: F401
