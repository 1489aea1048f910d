"""What an exercise is: its reference answer, how to draw test problems, and its catalogue of typical mistakes.

An exercise module (cost.py, derivatives.py, …) defines one `Exercise` per graded exercise:

    BACKWARD = Exercise(
        id="08-backward", function="my_backward", args=("params", "trace", "Y"),
        reference=_backprop_reference,          # the right answer, with the student's signature
        problems=_two_layer_problems,           # rng → [Case, …]: practice problems for a fixed seed,
                                                #   fresh ones for a secret seed while grading
        mistakes=[Mistake("missing_sigma_prime", "…message…", mutant, short="lacks a σ' factor"), …],
        step="the Backward Paths (1)–(4)",      # where to look when the values are wrong
        parts={"A0": ("∂E/∂A0", "Backward Path (4)"), …},   # a dict/tuple answer is judged part by part
        forbidden=("backward", "numerical"),    # capabilities the student must not delegate (reference.py)
        analytic=True)                          # finite differences are a mistake here (see decide.py)

A `Case` is one test problem: the arguments, a label for messages, and tags that rules can use ("R=1",
"square", "extreme" for |z| ≥ 700, "probe" for a well-conditioned problem where analytic answers agree to
round-off). Arguments are plain data (numbers, arrays, dicts, tuples) or `Formula`s, so that the same problem
can be sent to a grading sandbox. A `Mistake`'s mutant is an answer that makes exactly that mistake; the check
names the mistake whose mutant does what the student's answer does on every problem. Rules (rules.py) find
mistakes that no single mutant expresses ("right only for R = 1", "off-diagonal entries not zero").

Return types, the same for every exercise: a number may be a Python int or float, a NumPy scalar or a 0-d
array (not a 1 × 1 matrix); an array must have exactly the stated shape; a dict must have exactly the stated
keys; a tuple may also be a list of the stated length.
"""
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from .wire import Formula

__all__ = ["Exercise", "Case", "Mistake", "Formula", "shorten"]


@dataclass(frozen=True)
class Mistake:
    """One typical mistake, and an answer (with the student's signature) that makes it."""

    code: str                    #: diagnosis code, e.g. "missing_sigma_prime" (several mistakes may share one)
    message: str                 #: what is wrong and which lecture step to reread (never the expected values)
    mutant: Callable             #: an answer making exactly this mistake
    short: str = ""              #: a phrase for one part of a dict answer ("lacks a σ' factor")
    match: bool = True           #: False: the mistake is found another way (e.g. a side effect on the inputs)


@dataclass(frozen=True)
class Case:
    """One test problem: the answer's arguments, a label for messages, and tags for rules."""

    args: tuple                  #: positional arguments of the answer (data or Formula)
    label: str                   #: e.g. "the 2-3-1 network with R = 4"
    tags: frozenset = frozenset()  #: e.g. {"R=1", "square", "extreme", "probe"}

    def __post_init__(self):
        object.__setattr__(self, "args", tuple(self.args))
        object.__setattr__(self, "tags", frozenset(self.tags))


@dataclass(frozen=True, eq=False)
class Exercise:
    """The checker of one exercise (decide.py says how a verdict is reached)."""

    id: str                      #: "08-backward"; the check cell's grade_id is id + "-check"
    function: str                #: the name the student defines, e.g. "my_backward"
    args: tuple                  #: the names of its parameters, for messages ("params", "trace", "Y")
    reference: Callable          #: the right answer, with the student's signature
    problems: Callable           #: rng → list of Case; called with a fixed seed for practice
    mistakes: tuple = ()         #: Mistake, tried in this order
    step: str = "the lecture"    #: the lecture step to recheck when the values are wrong
    parts: dict = field(default_factory=dict)   #: key/index → (label, lecture step) of a dict/tuple answer
    rules: tuple = ()            #: extra rules (rules.py), tried after the mistakes
    forbidden: tuple = ()        #: capabilities (coursekit.reference) the answer must not delegate to
    analytic: bool = False       #: finite differences count as a mistake (tight agreement on "probe" cases)
    rtol: float = 1e-6           #: agreement needed with the reference (and with a mutant, to name it)
    atol: float = 1e-9           #: absolute tolerance, times max(1, max |expected|)
    modified_code: str = "modified_input"   #: diagnosis when the answer changes its inputs in place
    modified_hint: str = ""      #: what to do instead
    overflow_hint: str = ""      #: what to do when only the extreme problems give NaN/inf
    seed: int = 463              #: the practice problems' seed
    pencil: bool = False         #: an answer computed by hand: a value, not a function (see pencil exercises)

    def __post_init__(self):
        object.__setattr__(self, "args", tuple(self.args))
        object.__setattr__(self, "mistakes", tuple(self.mistakes))
        object.__setattr__(self, "rules", tuple(self.rules))
        forbidden = tuple(self.forbidden)
        if (self.analytic or "backward" in forbidden) and "autodiff" not in forbidden:
            forbidden += ("autodiff",)           # reverse mode computes any derivative asked for: never a derivation
        object.__setattr__(self, "forbidden", forbidden)

    @property
    def cases(self):
        """The practice problems (the same on every run): problems(default_rng(seed))."""
        cached = self.__dict__.get("_cases")
        if cached is None:
            cached = self.draw(np.random.default_rng(self.seed))
            object.__setattr__(self, "_cases", cached)
        return cached

    def draw(self, rng):
        """Test problems from this generator: a list of Case (checked to be one)."""
        cases = list(self.problems(rng))
        if not cases or not all(isinstance(case, Case) for case in cases):
            raise TypeError(f"{self.id}: problems() must return a non-empty list of Case")
        return cases

    @property
    def codes(self):
        """The diagnosis codes its catalogue of mistakes recognises, in order, once each."""
        return list(dict.fromkeys(m.code for m in self.mistakes))


def shorten(mistakes, short):
    """The mistakes with their `short` phrase taken from {code: phrase} where they have none."""
    return [replace(m, short=m.short or short.get(m.code, "")) for m in mistakes]
