"""Unit-test set-up (the Jupyter sandbox is in the top-level conftest.py): hypothesis runs 200 examples."""
from hypothesis import settings

settings.register_profile("course", max_examples=200, deadline=None, database=None)
settings.load_profile("course")
