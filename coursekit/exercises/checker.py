"""How a check decides: an exercise's catalogue of mistakes, the answer's outcome on each problem, and the
verdict (see coursekit.exercises for the order of the tests)."""
import copy
import html
import re
import warnings

import numpy as np

from .comparing import _changed, _close, _first_mismatch, _structure, _type_name
from .running import _call, _first_line, _student_frame

RTOL, ATOL = 1e-6, 1e-9  # agreement needed with the reference (and with a mutant, to name a mistake)


# ----------------------------------------------------------------------------------------------- the result

class CheckResult:
    """Outcome of one check: `.passed`, `.diagnosis` (a short code or None), `.message`; truthy iff passed."""

    __slots__ = ("exercise_id", "passed", "diagnosis", "message")

    def __init__(self, exercise_id, passed, diagnosis, message):
        self.exercise_id = exercise_id
        self.passed = bool(passed)
        self.diagnosis = None if passed else diagnosis
        self.message = message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        if self.passed:
            return f"✓ {self.exercise_id}: {self.message}"
        return f"✗ {self.exercise_id} [{self.diagnosis}]: {self.message}"

    __str__ = __repr__

    def _repr_html_(self):
        colour, mark = ("#009E73", "✓") if self.passed else ("#D55E00", "✗")
        code = "" if self.passed else f' <code style="color:{colour}">[{html.escape(self.diagnosis)}]</code>'
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:2px 0">'
                f'<span style="color:{colour};font-weight:bold">{mark} {html.escape(self.exercise_id)}</span>'
                f'{code}: {html.escape(self.message)}</div>')


# ---------------------------------------------------------------------------- an exercise and its mistakes

class Mistake:
    """One known mistake: a diagnosis code, the message that explains it, and a mutant answer making it.

    `mutant` has the student's signature. `match=False` marks a mistake that is found another way (a side
    effect on the inputs) and whose mutant only serves the tests.
    """

    def __init__(self, code, message, mutant, match=True):
        self.code, self.message, self.mutant, self.match = code, message, mutant, match

    def __repr__(self):
        return f"Mistake({self.code!r})"


class Case:
    """One test problem: the arguments to call the answer with, a label for messages, and facts about it."""

    def __init__(self, args, label, **info):
        self.args, self.label, self.info = tuple(args), label, info


class Exercise:
    """The checker of one exercise (see the module docstring for how it decides)."""

    def __init__(self, id, name, arg_names, reference, cases, mistakes, short=None, parts=None,
                 modified_code="modified_input", modified_hint="", rtol=RTOL, atol=ATOL, strict_float=True,
                 rules=(), step="the lecture"):
        self.id, self.name, self.arg_names = id, name, tuple(arg_names)
        self.step = step                      # the lecture step to recheck when the values are wrong
        self.reference, self.make_cases, self.mistakes = reference, cases, list(mistakes)
        self.short = dict(short or {})        # code → short phrase used when one part matches a mistake
        self.parts = dict(parts or {})        # key/index of the answer → (label, lecture step)
        self.modified_code, self.modified_hint = modified_code, modified_hint
        self.rtol, self.atol, self.strict_float = rtol, atol, strict_float
        self.rules = tuple(rules)
        self._cases = None

    @property
    def cases(self):
        if self._cases is None:
            self._cases = self.make_cases()
        return self._cases

    @property
    def codes(self):
        """The diagnosis codes this exercise recognises from its catalogue of mistakes, in order, once each."""
        return list(dict.fromkeys(m.code for m in self.mistakes))


# -------------------------------------------------------------------------------------- one call of the answer

class _Outcome:
    """What one call of the answer did: kind is 'returned', 'raised' or 'timeout'."""

    def __init__(self, kind, value=None, error=None, modified=None, background=False):
        self.kind, self.value, self.error = kind, value, error
        self.modified = modified          # path of the first input changed in place, or None
        self.background = background      # a timed-out answer still running in a thread
        self.problem = None               # first structural problem (when returned)
        self.right = False


# ------------------------------------------------------------------------------------------ the decision

class _Checker:
    def __init__(self, exercise, answer, timeout):
        self.ex, self.answer, self.timeout = exercise, answer, float(timeout)
        name = getattr(answer, "__name__", None)
        self.name = name if isinstance(name, str) and name.isidentifier() else exercise.name
        self._mutants = {}

    # messages -------------------------------------------------------------------------------------------
    def result(self, diagnosis, message, passed=False):
        return CheckResult(self.ex.id, passed, diagnosis, message)

    def describe(self, path):
        if not path:
            return f"{self.name}'s result"
        label = self.ex.parts.get(path[0], (None,))[0] or f"{self.name}'s result[{path[0]!r}]"
        return label + "".join(f"[{p!r}]" for p in path[1:])

    def arg_path(self, path):
        # a path found by _changed on the args tuple: "[0]['A0'][1, 2]" → "params['A0'][1, 2]"
        match = re.match(r"\[(\d+)\](.*)", path)
        if not match:
            return "an input"
        return self.ex.arg_names[int(match.group(1))] + match.group(2)

    # the decision ---------------------------------------------------------------------------------------
    def run(self):
        ex = self.ex
        if not callable(self.answer):
            return self.result("not_callable", f"expected the function {ex.name} itself, got "
                                               f"{_type_name(self.answer)}: pass its name without calling it, "
                                               f"coursekit.check(\"{ex.id}\", {ex.name})")
        outcomes, expected = [], []
        for case in ex.cases:
            reference = ex.reference(*copy.deepcopy(case.args))
            expected.append(reference)
            args = copy.deepcopy(case.args)
            snapshot = copy.deepcopy(args)
            kind, value = _call(self.answer, args, self.timeout)
            if kind.startswith("timeout"):
                return self.timed_out(case, background=kind.endswith("background"))
            if kind == "raised":
                outcomes.append(_Outcome("raised", error=value))
                continue
            outcome = _Outcome("returned", value=value, modified=_changed(snapshot, args))
            outcome.problem = _structure(value, reference, (), self.describe, ex.strict_float)
            outcome.right = outcome.problem is None and _close(value, reference, ex.rtol, ex.atol)
            outcomes.append(outcome)

        modified = next((o.modified for o in outcomes if o.kind == "returned" and o.modified), None)
        if modified is None and all(o.right for o in outcomes):
            return self.result(None, self.pass_message(), passed=True)
        if modified is not None and all(o.kind == "returned" for o in outcomes):
            return self.result(ex.modified_code,
                               f"{self.name} changed its input {self.arg_path(modified)} in place; "
                               + (ex.modified_hint or "compute new arrays instead (e = f - Y rather than "
                                                      "f -= Y) or work on a copy (.copy())"))
        mistake = self.matching_mistake(outcomes)
        if mistake is not None:
            return self.result(mistake.code, mistake.message)
        for rule in ex.rules:
            found = rule(self, outcomes)
            if found:
                return self.result(*found)
        raised = next((i for i, o in enumerate(outcomes) if o.kind == "raised"), None)
        if raised is not None:
            return self.raised(outcomes[raised].error, ex.cases[raised])
        return self.wrong(outcomes, expected)

    def timed_out(self, case, background):
        text = (f"{self.name} did not return within {self.timeout:g} s on {case.label} and was stopped: look "
                f"for a loop that never ends (a while loop whose condition never changes, or a counter that "
                f"is never increased)")
        if background:
            text += "; it is still running in the background, so restart the kernel before trying again"
        return self.result("timeout", text)

    def raised(self, error, case):
        if isinstance(error, NotImplementedError):
            return self.result("not_implemented", f"{self.name} still raises NotImplementedError: replace the "
                                                  f"`raise NotImplementedError()` line with your code")
        text = f"{self.name} raised {type(error).__name__}"
        detail = _first_line(error)
        text += f": {detail}" if detail else ""
        where = _student_frame(error)
        if where:
            text += f" (at {where[1]}: `{where[2]}`)" if where[2] else f" (at {where[1]})"
        return self.result("raises", f"{text}, on {case.label}")

    def pass_message(self):
        labels = [case.label for case in self.ex.cases]
        return f"right on all {len(labels)} test problems ({'; '.join(labels)})"

    # mutants ----------------------------------------------------------------------------------------------
    def mutant_outcomes(self, mistake):
        if id(mistake) not in self._mutants:
            results = []
            for case in self.ex.cases:
                try:
                    with warnings.catch_warnings(), np.errstate(all="ignore"):
                        warnings.simplefilter("ignore")
                        results.append(("returned", mistake.mutant(*copy.deepcopy(case.args))))
                except Exception as error:
                    results.append(("raised", error))
            self._mutants[id(mistake)] = results
        return self._mutants[id(mistake)]

    def matching_mistake(self, outcomes):
        """The first mistake whose mutant does what the answer does on every problem (and returns on one)."""
        for mistake in self.ex.mistakes:
            if not mistake.match:
                continue
            returned = 0
            for outcome, (kind, value) in zip(outcomes, self.mutant_outcomes(mistake)):
                if outcome.kind == "raised" and kind == "raised":
                    continue
                if outcome.kind == kind == "returned" and _close(outcome.value, value, self.ex.rtol, self.ex.atol):
                    returned += 1
                    continue
                break
            else:
                if returned:
                    return mistake
        return None

    # wrong values, part by part --------------------------------------------------------------------------
    def wrong(self, outcomes, expected):
        ex, cases = self.ex, self.ex.cases
        top = next(((i, o.problem) for i, o in enumerate(outcomes) if o.problem and not o.problem.path), None)
        if top is not None:
            index, problem = top
            text = problem.text
            if problem.kind == "returns_none":
                text = f"{self.name} returned None: did you forget the return statement?"
            return self.result(problem.kind, f"{text} (on {cases[index].label})")
        if not ex.parts:
            index = next(i for i, o in enumerate(outcomes) if not o.right)
            outcome = outcomes[index]
            if outcome.problem is not None:
                return self.result(outcome.problem.kind, f"{outcome.problem.text} (on {cases[index].label})")
            return self.result("wrong_values", f"{self.name}'s result is wrong: "
                               + self.mismatch(outcome.value, expected[index], cases[index])
                               + f"; recheck it against {ex.step}")
        # a dict or a tuple with the right keys: judge each part on the problems that have it
        right, groups = [], {}          # (kind, detail) → [labels], in order of first appearance
        examples = {}
        for key, (label, step) in ex.parts.items():
            where = [i for i, e in enumerate(expected) if _has(e, key)]
            if not where:
                continue
            values = [outcomes[i].value[key] for i in where]
            targets = [expected[i][key] for i in where]
            problems = [_structure(v, t, (key,), self.describe, ex.strict_float) for v, t in zip(values, targets)]
            if all(p is None for p in problems) and \
                    all(_close(v, t, ex.rtol, ex.atol) for v, t in zip(values, targets)):
                right.append(label)
                continue
            named = f"{label} ({step})" if step else label
            mistake = self.part_mistake(key, where, values)
            if mistake is not None:
                detail = ex.short.get(mistake.code, f"shows the mistake {mistake.code}")
                groups.setdefault((mistake.code, detail), []).append(named)
                continue
            bad = next((j for j, p in enumerate(problems) if p is not None), None)
            if bad is not None:
                detail = f"{problems[bad].detail} (on {cases[where[bad]].label})"
                groups.setdefault((problems[bad].kind, detail), []).append(named)
                continue
            bad = next(j for j, (v, t) in enumerate(zip(values, targets)) if not _close(v, t, ex.rtol, ex.atol))
            groups.setdefault(("wrong_values", ""), []).append(named)
            examples.setdefault("wrong_values", (label, values[bad], targets[bad], cases[where[bad]]))
        findings = []
        for (kind, detail), labels in groups.items():
            if kind == "wrong_values":
                label, value, target, case = examples[kind]
                verb = "is" if len(labels) == 1 else "are"
                findings.append(f"{_join(labels)} {verb} wrong in a way the checker does not recognise ("
                                + self.mismatch(value, target, case, label if len(labels) > 1 else "") + ")")
            else:
                findings.append(f"{labels[0]} {detail}" if len(labels) == 1 else f"{_join(labels)} each {detail}")
        message = "; ".join(findings)
        if right:
            message += f". Right: {_join(right)}"
        return self.result("+".join(dict.fromkeys(kind for kind, _ in groups)), message)

    def part_mistake(self, key, where, values):
        for mistake in self.ex.mistakes:
            if not mistake.match:
                continue
            results = self.mutant_outcomes(mistake)
            if all(results[i][0] == "returned" and _has(results[i][1], key)
                   and _close(v, results[i][1][key], self.ex.rtol, self.ex.atol) for i, v in zip(where, values)):
                return mistake
        return None

    def mismatch(self, value, target, case, label=""):
        """Where one entry disagrees and the student's value there; never the expected value."""
        index, mine = _first_mismatch(value, target, self.ex.rtol, self.ex.atol)
        yours = f", where yours is {mine:.6g}" if mine is not None else ""
        if index:
            return f"e.g. entry {label}{index} on {case.label}{yours}"
        return f"e.g. {label + ' ' if label else ''}on {case.label}{yours}"


def _join(labels):
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _has(value, key):
    if isinstance(value, dict):
        return key in value
    if isinstance(value, (tuple, list)):
        return isinstance(key, int) and 0 <= key < len(value)
    return False

