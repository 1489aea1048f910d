"""Checks of notebook 10, beyond the lecture: softmax with categorical cross-entropy, layers, mini-batches.

Each exercise: the reference answer (the student's signature), the test problems, and the known mistakes.
"""

EXERCISES = []
