"""The verdict on an answer, from plain data: the same decision for the student's check and for the grader.

    result = decide(exercise, cases, outcomes)      # outcomes: one running.Outcome per case

The decision, in this order:
1. a call that ran out of time, or whose process ended, is reported at once;
2. an answer that reached one of the course's own answers for a capability it must supply (`forbidden`),
   under any name, is `delegates_to_reference`;
3. an answer that returned everywhere but changed an input in place is told which input;
4. an answer right on every problem passes (for an `analytic` exercise, "right" on a "probe" problem means
   equal to round-off, 1e-11 of the largest entry: central differences cannot get that close);
5. the first mistake of the catalogue whose mutant does what the answer does on every problem names it;
6. an answer within 1e-4 of the analytic result but not equal to round-off is `numerical_not_analytic`;
7. right everywhere except the extreme problems (|z| ≥ 700), where it gives NaN/inf or raises:
   `not_overflow_safe`;
8. the exercise's own rules (right only for R = 1, off-diagonal entries, …);
9. the first exception the answer raised, with the line of the student's code;
   (rules.py's exercises may add "a catalogued mistake and an overflow besides", see beyond.py)
10. what is wrong with the result: its structure (None, type, keys, shape, NaN) or its values, part by part
    for a dict or a tuple, naming a mistake per part where one fits.
Never raises because of the answer, and never shows the expected values.
"""
import copy
import html
import json
import math
import warnings
from dataclasses import dataclass

import numpy as np

from .comparing import _close, _first_mismatch, _structure, _tight, _type_name

TIGHT = 1e-11       # round-off agreement for analytic answers on probe problems (relative to the largest entry)
NUMERICAL = 1e-4    # within this of the analytic answer but not TIGHT: finite differences


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: `.passed`, `.diagnosis` (a short code, None when passed), `.message`.

    Truthy only when passed; shows itself as ✓/✗ with the message (text and HTML).
    """

    exercise_id: str
    passed: bool
    diagnosis: str
    message: str

    def __bool__(self):
        return self.passed

    def __repr__(self):
        if self.passed:
            return f"✓ {self.exercise_id}: {self.message}"
        return f"✗ {self.exercise_id} [{self.diagnosis}]: {self.message}"

    __str__ = __repr__

    def _repr_html_(self):
        colour, mark = ("#009E73", "✓") if self.passed else ("#D55E00", "✗")
        code = "" if self.passed else f' <code style="color:{colour}">[{html.escape(str(self.diagnosis))}]</code>'
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:2px 0">'
                f'<span style="color:{colour};font-weight:bold">{mark} {html.escape(self.exercise_id)}</span>'
                f'{code}: {html.escape(self.message)}</div>')

    def to_json(self):
        """{"exercise_id", "passed", "diagnosis", "message"} as a JSON string."""
        return json.dumps({"exercise_id": self.exercise_id, "passed": self.passed, "diagnosis": self.diagnosis,
                           "message": self.message}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        return cls(str(data["exercise_id"]), bool(data["passed"]), data.get("diagnosis"), str(data["message"]))


def result(exercise, diagnosis, message, passed=False):
    return CheckResult(exercise.id, passed, None if passed else diagnosis, message)


# ----------------------------------------------------------------------------------------- the evidence

def plain(value):
    """A reference or mutant result with NumPy scalars as Python floats, so that it can serve as a template."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return float(value) if np.issubdtype(type(value), np.number) else value.item()
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _quiet_call(function, args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return function(*copy.deepcopy(args))


class Evidence:
    """Everything a decision looks at: the exercise, its cases, the expected results and the answer's outcomes.

    `right[i]` says whether the answer is right on case i; `mutant(mistake)` gives that mistake's results on
    every case (computed once); `describe(path)` names a part of the answer for messages.
    """

    def __init__(self, exercise, cases, outcomes, name=None):
        self.exercise, self.cases, self.outcomes = exercise, list(cases), list(outcomes)
        self.name = name or exercise.function
        self.expected = [plain(_quiet_call(exercise.reference, case.args)) for case in self.cases]
        self.problems = [None] * len(self.cases)
        self.right = [False] * len(self.cases)
        self.loose = [False] * len(self.cases)
        for i, (outcome, expected) in enumerate(zip(self.outcomes, self.expected)):
            if outcome.kind != "returned":
                continue
            self.problems[i] = self._safe_structure(outcome.value, expected)
            if self.problems[i] is None:
                self.loose[i] = _close(outcome.value, expected, exercise.rtol, exercise.atol)
                tight = not (exercise.analytic and "probe" in self.cases[i].tags) or \
                    _tight(outcome.value, expected, TIGHT)
                self.right[i] = self.loose[i] and tight
        self._mutants = {}

    def _safe_structure(self, value, expected, path=()):
        try:
            return _structure(value, expected, path, self.describe)
        except Exception as error:   # an answer shaped so oddly that the comparison fails: say what it is
            from .comparing import _problem
            return _problem(self.describe(path), "wrong_type", path,
                            f"{self.describe(path)} is {_type_name(value)}, which the checker cannot compare "
                            f"({type(error).__name__})")

    def describe(self, path):
        if not path:
            return self.name if self.exercise.pencil else f"{self.name}'s result"
        label = self.exercise.parts.get(path[0], (None,))[0] or f"{self.name}'s result[{path[0]!r}]"
        return label + "".join(f"[{p!r}]" for p in path[1:])

    def arg_path(self, path):
        """"[0]['A0'][1, 2]" (a path into the argument tuple) → "params['A0'][1, 2]"."""
        if not path or not path.startswith("["):
            return "an input"
        end = path.index("]")
        try:
            index = int(path[1:end])
            return self.exercise.args[index] + path[end + 1:]
        except (ValueError, IndexError):
            return "an input"

    def mutant(self, mistake):
        """[(kind, value)] of the mistake's mutant on every case ("returned" or "raised")."""
        key = id(mistake)
        if key not in self._mutants:
            results = []
            for case in self.cases:
                try:
                    results.append(("returned", plain(_quiet_call(mistake.mutant, case.args))))
                except Exception as error:
                    results.append(("raised", error))
            self._mutants[key] = results
        return self._mutants[key]

    def returned(self):
        return all(o.kind == "returned" for o in self.outcomes)


# ----------------------------------------------------------------------------------------- the decision

def decide(exercise, cases, outcomes, name=None):
    """The CheckResult for these outcomes of the answer on these cases (see the module docstring)."""
    try:
        return _decide(Evidence(exercise, cases, outcomes, name))
    except Exception as error:  # a bug of the checker must not look like the student's
        return result(exercise, "checker_error",
                      f"the checker itself failed ({type(error).__name__}: {str(error)[:200]}); your answer may "
                      f"be fine: tell your instructor")


def _decide(ev):
    ex, cases, outcomes = ev.exercise, ev.cases, ev.outcomes
    if len(outcomes) < len(cases) and not any(o.kind in ("timeout", "crashed") for o in outcomes):
        return result(ex, "not_run", f"{ev.name} was not run on every test problem")
    for case, outcome in zip(cases, outcomes):
        if outcome.kind == "timeout":
            text = (f"{ev.name} did not return within {outcome.seconds:g} s on {case.label} and was stopped: look "
                    f"for a loop that never ends (a while loop whose condition never changes, or a counter that "
                    f"is never increased)")
            if outcome.note.startswith("still running"):
                text += "; it is still running in the background, so restart the kernel before trying again"
            return result(ex, "timeout", text)
        if outcome.kind == "crashed":
            return result(ex, "crashed", f"{ev.name} {outcome.error.get('message') or 'ended its process'}, on "
                                         f"{case.label}")
    delegated = next((name for o in outcomes for name in o.delegated), None)
    if delegated is not None:
        return result(ex, "delegates_to_reference", _delegation_message(ev, delegated))
    modified = next((o.modified for o in outcomes if o.kind == "returned" and o.modified), None)
    if modified is None and all(ev.right):
        if ex.pencil:
            return result(ex, None, f"right: {ev.name} agrees with the exact value ({cases[0].label})", passed=True)
        labels = [case.label for case in cases]
        return result(ex, None, f"right on all {len(labels)} test problems ({'; '.join(labels)})", passed=True)
    if modified is not None and ev.returned():
        return result(ex, ex.modified_code,
                      f"{ev.name} changed its input {ev.arg_path(modified)} in place; "
                      + (ex.modified_hint or "compute new arrays instead (e = f - Y rather than f -= Y) or work "
                                             "on a copy (.copy())"))
    mistake = matching_mistake(ev)
    if mistake is not None:
        return result(ex, mistake.code, mistake.message)
    found = _numerical(ev) or _overflow(ev)
    if found:
        return result(ex, *found)
    for rule in ex.rules:
        found = rule(ev)
        if found:
            return result(ex, *found)
    raised = next((i for i, o in enumerate(outcomes) if o.kind == "raised"), None)
    if raised is not None:
        return _raised(ev, outcomes[raised], cases[raised])
    return _wrong(ev)


def _delegation_message(ev, name):
    if name.startswith("the course's own check"):
        return (f"{ev.name} gets its result from the course's own check (its reference or a mutant in "
                f"coursekit.exercises): work it out yourself from {ev.exercise.step}")
    return (f"{ev.name} calls {name}, which is the course's own answer to this exercise: work it out yourself "
            f"from {ev.exercise.step} (coursekit's functions are there to check your work, not to do it)")


def matching_mistake(ev, skip=()):
    """The first mistake whose mutant does what the answer does on every problem (and returns on one), leaving
    out the problems in `skip`."""
    for mistake in ev.exercise.mistakes:
        if not mistake.match:
            continue
        returned = 0
        for index, (outcome, (kind, value)) in enumerate(zip(ev.outcomes, ev.mutant(mistake))):
            if index in skip:
                continue
            if outcome.kind == "raised" and kind == "raised":
                continue
            if outcome.kind == kind == "returned" and _close(outcome.value, value, ev.exercise.rtol, ev.exercise.atol):
                returned += 1
                continue
            break
        else:
            if returned:
                return mistake
    return None


def _numerical(ev, skip=()):
    ex = ev.exercise
    keep = [i for i in range(len(ev.cases)) if i not in skip]
    if not ex.analytic or any(ev.outcomes[i].kind != "returned" or ev.problems[i] is not None for i in keep):
        return None
    probes = [i for i in keep if "probe" in ev.cases[i].tags]
    if not probes or all(ev.right[i] for i in probes):
        return None
    if not all(_close(ev.outcomes[i].value, ev.expected[i], NUMERICAL, NUMERICAL) for i in keep):
        return None
    text = (f"{ev.name}'s values agree with the analytic result only to about 1e-6 to 1e-10, as finite "
            f"differences do; this exercise asks for the derivative worked out by the rules ({ex.step}), "
            f"which is exact up to round-off")
    return "numerical_not_analytic", text


def _overflow(ev):
    extreme = [i for i, case in enumerate(ev.cases) if "extreme" in case.tags]
    if not extreme or len(extreme) == len(ev.cases):
        return None
    if not all(ev.right[i] for i in range(len(ev.cases)) if i not in extreme):
        return None
    bad = next((i for i in extreme if not ev.right[i]), None)
    if bad is None:
        return None
    outcome, problem = ev.outcomes[bad], ev.problems[bad]
    if not (outcome.kind == "raised" or (problem is not None and problem.kind == "nan")):
        return None
    return ("not_overflow_safe", f"{ev.name} is right for moderate inputs but " + _overflow_text(ev, bad, own=False))


def _overflow_text(ev, bad, own=True):
    outcome = ev.outcomes[bad]
    what = f"raises {outcome.error.get('type')}" if outcome.kind == "raised" else "gives NaN or inf"
    return ((f"it {what}" if own else what) + f" on {ev.cases[bad].label}: an intermediate value overflows or loses "
            f"every digit (np.exp above about 709 is inf and inf/inf is NaN; 1 − σ(z) is 0 once σ(z) rounds to 1); "
            + (ev.exercise.overflow_hint or "rewrite it so that no intermediate value overflows"))


def _raised(ev, outcome, case):
    error = outcome.error or {}
    kind = error.get("type", "Exception")
    if kind == "NotImplementedError":
        return result(ev.exercise, "not_implemented", f"{ev.name} still raises NotImplementedError: replace the "
                                                      f"`raise NotImplementedError()` line with your code")
    text = f"{ev.name} raised {kind}"
    if error.get("message"):
        text += f": {error['message']}"
    if error.get("where"):
        text += f" (at {error['where']}: `{error['line']}`)" if error.get("line") else f" (at {error['where']})"
    return result(ev.exercise, "raises", f"{text}, on {case.label}")


# --------------------------------------------------------------------------- wrong values, part by part

def _wrong(ev):
    ex, cases, outcomes = ev.exercise, ev.cases, ev.outcomes
    top = next(((i, p) for i, p in enumerate(ev.problems) if p is not None and not p.path), None)
    if top is not None:
        index, problem = top
        text = problem.text
        if problem.kind == "returns_none":
            text = (f"{ev.name} is None: assign it the number you worked out by hand" if ex.pencil else
                    f"{ev.name} returned None: did you forget the return statement?")
        if ex.pencil:
            return result(ex, problem.kind, text)
        return result(ex, problem.kind, f"{text} (on {cases[index].label})")
    index = next(i for i, right in enumerate(ev.right) if not right)
    if not ex.parts:
        if ev.problems[index] is not None:
            return result(ex, ev.problems[index].kind, f"{ev.problems[index].text} (on {cases[index].label})")
        if ex.pencil:
            return result(ex, "wrong_values", f"{ev.name} is not the value of {cases[index].label}, and not one that "
                                              f"a typical slip gives: redo the product step by step ({ex.step})")
        return result(ex, "wrong_values", f"{ev.name}'s result is wrong: "
                      + _mismatch(ev, outcomes[index].value, ev.expected[index], cases[index])
                      + f"; recheck it against {ex.step}")
    right, groups, examples = [], {}, {}      # groups: (kind, detail) → [labels], in order of first appearance
    for key, (label, step) in ex.parts.items():
        where = [i for i, e in enumerate(ev.expected) if _has(e, key)]
        if not where:
            continue
        values = [outcomes[i].value[key] for i in where]
        targets = [ev.expected[i][key] for i in where]
        problems = [ev._safe_structure(v, t, (key,)) for v, t in zip(values, targets)]
        close = [p is None and _close(v, t, ex.rtol, ex.atol) and
                 (not (ex.analytic and "probe" in cases[i].tags) or _tight(v, t, TIGHT))
                 for p, v, t, i in zip(problems, values, targets, where)]
        if all(close):
            right.append(label)
            continue
        named = f"{label} ({step})" if step else label
        mistake = _part_mistake(ev, key, where, values)
        if mistake is not None:
            detail = mistake.short or f"shows the mistake {mistake.code}"
            groups.setdefault((mistake.code, detail), []).append(named)
            continue
        bad = next((j for j, p in enumerate(problems) if p is not None), None)
        if bad is not None:
            detail = f"{problems[bad].detail} (on {cases[where[bad]].label})"
            groups.setdefault((problems[bad].kind, detail), []).append(named)
            continue
        bad = next(j for j, c in enumerate(close) if not c)
        groups.setdefault(("wrong_values", ""), []).append(named)
        examples.setdefault("wrong_values", (label, values[bad], targets[bad], cases[where[bad]]))
    if not groups:      # every part right on its own, yet not the whole (e.g. right only with another input)
        return result(ex, "wrong_values", f"{ev.name}'s result is wrong on {cases[index].label}; recheck it "
                                          f"against {ex.step}")
    findings = []
    for (kind, detail), labels in groups.items():
        if kind == "wrong_values":
            label, value, target, case = examples[kind]
            verb = "is" if len(labels) == 1 else "are"
            nested = isinstance(target, (dict, tuple, list))
            findings.append(f"{_join(labels)} {verb} wrong in a way the checker does not recognise ("
                            + _mismatch(ev, value, target, case, label if len(labels) > 1 or nested else "") + ")")
        else:
            findings.append(f"{labels[0]} {detail}" if len(labels) == 1 else f"{_join(labels)} each {detail}")
    message = "; ".join(findings)
    if right:
        message += f". Right: {_join(right)}"
    return result(ex, "+".join(dict.fromkeys(kind for kind, _ in groups)), message)


def _part_mistake(ev, key, where, values):
    for mistake in ev.exercise.mistakes:
        if not mistake.match:
            continue
        results = ev.mutant(mistake)
        if all(results[i][0] == "returned" and _has(results[i][1], key)
               and _close(v, results[i][1][key], ev.exercise.rtol, ev.exercise.atol) for i, v in zip(where, values)) \
                and not all(_close(results[i][1][key], ev.expected[i][key], ev.exercise.rtol, ev.exercise.atol)
                            for i in where):        # a mutant right in this part names no mistake of it
            return mistake
    return None


def _mismatch(ev, value, target, case, label=""):
    """Where one entry disagrees and the student's value there; never the expected value."""
    path, value, target = _first_leaf(value, target, ev.exercise.rtol, ev.exercise.atol)
    index, mine = _first_mismatch(value, target, ev.exercise.rtol, ev.exercise.atol)
    yours = f", where yours is {mine:.6g}" if mine is not None and math.isfinite(mine) else ""
    name = label + path
    if index:
        return f"e.g. entry {name}{index} on {case.label}{yours}"
    return f"e.g. {name + ' ' if name else ''}on {case.label}{yours}"


def _first_leaf(value, target, rtol, atol, path=""):
    """(path, value, target) of the first array leaf where value and target disagree."""
    if isinstance(target, dict) and isinstance(value, dict):
        for key in target:
            if key in value and not _close(value[key], target[key], rtol, atol):
                return _first_leaf(value[key], target[key], rtol, atol, f"{path}[{key!r}]")
    if isinstance(target, (tuple, list)) and isinstance(value, (tuple, list)):
        for i, (v, t) in enumerate(zip(value, target)):
            if not _close(v, t, rtol, atol):
                return _first_leaf(v, t, rtol, atol, f"{path}[{i}]")
    return path, value, target


def _join(labels):
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _has(value, key):
    if isinstance(value, dict):
        return key in value
    if isinstance(value, (tuple, list)):
        return isinstance(key, int) and 0 <= key < len(value)
    return False

