"""coursekit.check names the mistake: every catalogued mistake is recognised, right answers pass, and
nothing a student hands in (errors, None, wrong shapes, NaN, endless loops) breaks the check."""
import re
import signal
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pytest

import coursekit
from coursekit import exercises
from coursekit.exercises import EXERCISES, check
from coursekit.exercises.decide import decide
from coursekit.exercises.running import run


def judge(exercise_id, answer, timeout=5.0):
    """The check's verdict without watching for delegation (the catalogue's mutants live in coursekit)."""
    exercise = EXERCISES[exercise_id]
    return decide(exercise, exercise.cases, run(answer, exercise.cases, timeout))

IDS = list(EXERCISES)
LECTURE_IDS = ["00-total-cost", "00-gradient-descent", "01-gradient", "02-chain-rule", "03-sigmoid-jacobian",
               "04-least-squares", "05-matrix-gradient", "06-adjoints", "07-deep-backward", "08-backward", "09-train"]

MISTAKES = [(exercise_id, index, mistake) for exercise_id in IDS
            for index, mistake in enumerate(EXERCISES[exercise_id].mistakes)]


def test_the_catalogue_has_every_exercise_of_the_course():
    assert set(LECTURE_IDS) <= set(EXERCISES)
    for exercise_id in LECTURE_IDS:
        assert len(EXERCISES[exercise_id].codes) >= 4, exercise_id


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_reference_answer_passes_and_is_named_as_the_courses_own(exercise_id):
    reference = EXERCISES[exercise_id].reference
    result = judge(exercise_id, reference)
    assert result.passed and bool(result) and result.diagnosis is None, repr(result)
    assert repr(result).startswith(f"✓ {exercise_id}: right")
    assert "✓" in result._repr_html_() and exercise_id in result._repr_html_()
    if EXERCISES[exercise_id].pencil:                     # a pencil answer is a number, not a function
        return
    handed_in = check(exercise_id, reference)             # the course's own answer handed in as the student's
    assert handed_in.diagnosis == "delegates_to_reference" and "course's own check" in handed_in.message


@pytest.mark.parametrize("exercise_id, index, mistake", MISTAKES,
                         ids=[f"{e}-{m.code}-{i}" for e, i, m in MISTAKES])
def test_each_catalogued_mistake_gets_its_own_diagnosis(exercise_id, index, mistake):
    result = judge(exercise_id, mistake.mutant)
    assert not result.passed and not bool(result)
    assert result.diagnosis == mistake.code, repr(result)
    if mistake.match:
        assert result.message == mistake.message
    assert repr(result) == f"✗ {exercise_id} [{mistake.code}]: {result.message}"
    assert "✗" in result._repr_html_()


LECTURE_STEP = re.compile(r"\(5\.\d+\)|5\.\d+\)|Backward Path|Definition 5\.5|Total Cost|\(Cost\)|"
                          r"Problem Formulation|§5\.6")


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_message_cites_the_lecture(exercise_id):
    for mistake in EXERCISES[exercise_id].mistakes:
        if mistake.match:
            assert LECTURE_STEP.search(mistake.message), (mistake.code, mistake.message)


# ---------------------------------------------------------------- 08: mistakes written the way a student would

def _backward(params, trace, Y, *, out_prime=True, hidden_prime=True, prime_of_f=False, sign=1, transpose=False,
              unsummed=False, factor=1.0, plain_A=False, mean=False):
    f0, f1, f2 = trace["f0"], trace["f1"], trace["f2"]

    def sigma_prime(f):
        if prime_of_f:
            s = 1 / (1 + np.exp(-f))
            return s * (1 - s)
        return f * (1 - f)

    delta2 = sign * (f2 - Y) * (sigma_prime(f2) if out_prime else 1)
    A1 = params["A1"] if plain_A else params["A1"].T
    delta1 = (A1 @ delta2) * (sigma_prime(f1) if hidden_prime else 1)
    grads = {"A0": f0 @ delta1.T if transpose else delta1 @ f0.T,
             "b0": delta1 if unsummed else np.sum(delta1, axis=1, keepdims=True),
             "A1": f1 @ delta2.T if transpose else delta2 @ f1.T,
             "b1": delta2 if unsummed else np.sum(delta2, axis=1, keepdims=True)}
    R = Y.shape[1]
    return {key: factor * value / (R if mean else 1) for key, value in grads.items()}


STUDENT_08 = [
    ("missing_sigma_prime", dict(out_prime=False), "σ'(Z2)"),
    ("missing_sigma_prime", dict(hidden_prime=False), "σ'(Z1)"),
    ("sigma_prime_of_f", dict(prime_of_f=True), "f instead of Z"),
    ("sign_error", dict(sign=-1), "sign"),
    ("transposed_weight_gradient", dict(transpose=True), "transposed"),
    ("bias_not_summed", dict(unsummed=True), "not summed"),
    ("wrong_constant_factor", dict(factor=0.5), "½"),
    ("wrong_constant_factor", dict(factor=2.0), "twice"),
    ("A_not_transposed", dict(plain_A=True), "A1ᵀ"),
    ("mean_instead_of_sum", dict(mean=True), "divided by R"),
]


@pytest.mark.parametrize("code, flags, phrase", STUDENT_08, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(STUDENT_08)])
def test_08_recognises_mistakes_written_independently_of_the_catalogue(code, flags, phrase):
    def my_backward(params, trace, Y):
        return _backward(params, trace, Y, **flags)

    result = check("08-backward", my_backward)
    assert result.diagnosis == code, repr(result)
    assert phrase in result.message and ("Backward Path" in result.message or "Total Cost" in result.message)


def test_08_missing_sigma_prime_message_names_the_factor_and_the_lecture_step():
    result = check("08-backward", lambda params, trace, Y: _backward(params, trace, Y, out_prime=False))
    assert result.message.startswith("∂E/∂b1 lacks the σ'(Z2) factor: ∂f2/∂Z2 is diag(σ'(Z2)), Backward Path (1)")


def test_08_the_right_student_answer_passes():
    assert check("08-backward", lambda params, trace, Y: _backward(params, trace, Y))


def test_08_two_mistakes_at_once_are_reported_part_by_part():
    def my_backward(params, trace, Y):
        grads = _backward(params, trace, Y)
        grads["A1"] = grads["A1"].T                      # transposed ∂E/∂A1 …
        grads["b0"] = grads["b0"].ravel()                # … and a 1-D ∂E/∂b0
        return grads

    result = check("08-backward", my_backward)
    assert result.diagnosis == "wrong_shape+transposed_weight_gradient", repr(result)
    assert "∂E/∂A1 (Backward Path (3)) is transposed" in result.message
    assert "∂E/∂b0 (Backward Path (2)) has shape" in result.message and "the numbers themselves are right" in \
        result.message
    assert result.message.endswith("Right: ∂E/∂A0 and ∂E/∂b1")


def test_08_an_unknown_mistake_names_the_wrong_parameters_and_one_position_only():
    def my_backward(params, trace, Y):
        grads = _backward(params, trace, Y)
        grads["A0"] = grads["A0"] + 0.01
        return grads

    result = check("08-backward", my_backward)
    assert result.diagnosis == "wrong_values"
    assert re.search(r"∂E/∂A0 \(Backward Path \(4\)\) is wrong .*e\.g\. entry \[\d, \d\] on the", result.message)
    assert result.message.endswith("Right: ∂E/∂b0, ∂E/∂A1 and ∂E/∂b1")


def test_a_wrong_answer_never_shows_the_expected_values():
    case = EXERCISES["05-matrix-gradient"].cases[0]
    expected = (case.args[0] @ case.args[1] - case.args[2]) @ case.args[1].T
    result = check("05-matrix-gradient", lambda A, x, y: np.zeros((A.shape[0], A.shape[1])))
    for value in expected.ravel():
        for text in (f"{value:.6g}", f"{value:.4f}", f"{value:.3f}"):
            assert text not in result.message
    assert result.message.count("entry") == 1 and "yours is 0" in result.message


def test_07_an_answer_wired_for_two_layers_is_told_so():
    def backward_deep(params, trace, Y):
        return _backward(params, trace, Y)

    result = check("07-deep-backward", backward_deep)
    assert result.diagnosis == "only_works_for_K2", repr(result)
    assert "right for K = 2 layers" in result.message and "(5.115)–(5.118)" in result.message


def test_01_an_answer_that_leaves_x_modified_is_told_so():
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros((1, x.size))
        for i in range(x.size):
            x[i] += h
            plus = f(x)
            x[i] -= 2 * h
            grad[0, i] = (plus - f(x)) / (2 * h)
        return grad

    result = check("01-gradient", numerical_gradient)
    assert result.diagnosis == "x_modified" and "changed its input x[0] in place" in result.message


def test_01_perturbing_x_and_putting_it_back_is_not_a_modification():
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros((1, x.size))
        for i in range(x.size):
            x[i] += h
            plus = f(x)
            x[i] -= 2 * h
            minus = f(x)
            x[i] += h                                     # back, up to round-off (−1.2 → −1.1999999999999997)
            grad[0, i] = (plus - minus) / (2 * h)
        return grad

    assert check("01-gradient", numerical_gradient), repr(check("01-gradient", numerical_gradient))


def test_09_training_in_place_and_ascent_are_recognised():
    def train(params, X, Y, eta, steps):
        history = [coursekit.total_cost(params, X, Y)]
        for _ in range(steps):
            grads = coursekit.backward(params, coursekit.forward(params, X), Y)
            for key in params:
                params[key] -= eta * grads[key]
            history.append(coursekit.total_cost(params, X, Y))
        return params, np.array(history)

    assert check("09-train", train).diagnosis == "params_modified"

    def train_up(params, X, Y, eta, steps):
        theta = {key: value.copy() for key, value in params.items()}
        history = [coursekit.total_cost(theta, X, Y)]
        for _ in range(steps):
            grads = coursekit.backward(theta, coursekit.forward(theta, X), Y)
            theta = {key: theta[key] + eta * grads[key] for key in theta}
            history.append(coursekit.total_cost(theta, X, Y))
        return theta, history

    assert check("09-train", train_up).diagnosis == "gradient_ascent"


# ---------------------------------------------------------------------------- whatever a student hands in

def test_an_answer_that_raises_shows_the_type_message_and_the_students_line():
    def my_backward(params, trace, Y):
        delta2 = trace["f2"] - Y
        return {"A0": delta2 @ trace["f0"]}               # shapes do not match

    result = check("08-backward", my_backward)
    assert result.diagnosis == "raises"
    assert "my_backward raised ValueError: matmul" in result.message
    assert 'test_exercises.py: `return {"A0": delta2 @ trace["f0"]}' in result.message
    assert "on the 2-3-1 network with R = 4" in result.message


def test_the_untouched_stub_is_recognised():
    def my_backward(params, trace, Y):
        # YOUR CODE HERE
        raise NotImplementedError()

    result = check("08-backward", my_backward)
    assert result.diagnosis == "not_implemented" and "NotImplementedError" in result.message


@pytest.mark.parametrize("exercise_id, answer, diagnosis, phrase", [
    ("08-backward", lambda params, trace, Y: None, "returns_none", "returned None: did you forget the return"),
    ("04-least-squares", lambda Phi, y, theta: None, "returns_none", "returned None"),
    ("08-backward", lambda params, trace, Y: [1, 2], "wrong_type", "is a list; it must be a dict"),
    ("08-backward", lambda params, trace, Y: {"A0": 0}, "wrong_keys", "lacks the keys 'b0', 'A1', 'b1'"),
    ("05-matrix-gradient", lambda A, x, y: np.zeros((7, 7)), "wrong_shape", "has shape (7, 7); it must have shape"),
    ("03-sigmoid-jacobian", lambda z: "diag", "wrong_type", "is a str"),
    ("00-total-cost", lambda F, Y: np.array([[0.5 * np.sum((F - Y) ** 2)]]), "not_a_number", "plain number"),
    ("05-matrix-gradient", lambda A, x, y: np.full(A.shape, np.nan), "nan", "contains NaN (at [0, 0])"),
    ("00-total-cost", lambda F, Y: float("inf"), "nan", "is inf"),
    ("09-train", lambda params, X, Y, eta, steps: (params,), "wrong_type", "return a tuple of 2"),
    ("08-backward", {"A0": 1}, "not_callable", "pass its name without calling it"),
])
def test_wrong_kinds_of_answers_get_plain_messages(exercise_id, answer, diagnosis, phrase):
    result = check(exercise_id, answer)
    assert result.diagnosis == diagnosis and phrase in result.message, repr(result)


def test_an_endless_loop_is_stopped_after_the_time_limit():
    def my_backward(params, trace, Y):
        i = 0
        while i < 10:
            pass                                         # i never grows

    started = time.perf_counter()
    result = check("08-backward", my_backward, timeout=0.5)
    assert time.perf_counter() - started < 3
    assert result.diagnosis == "timeout"
    assert "did not return within 0.5 s" in result.message and "loop that never ends" in result.message


def test_an_endless_loop_that_catches_exceptions_is_still_stopped():
    def my_backward(params, trace, Y):
        while True:
            try:
                sum(range(1000))
            except Exception:                             # the time-out is not an Exception
                pass

    assert check("08-backward", my_backward, timeout=0.3).diagnosis == "timeout"


def test_the_time_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("COURSEKIT_CHECK_TIMEOUT", "0.2")
    started = time.perf_counter()
    assert check("00-total-cost", lambda F, Y: time.sleep(30)).diagnosis == "timeout"
    assert time.perf_counter() - started < 2


def test_off_the_main_thread_the_time_limit_still_holds():
    def my_backward(params, trace, Y):
        while True:
            time.sleep(0.01)

    box = {}
    worker = threading.Thread(target=lambda: box.setdefault("result", check("08-backward", my_backward, timeout=0.3)))
    worker.start()
    worker.join(10)
    assert not worker.is_alive() and box["result"].diagnosis == "timeout"


@pytest.mark.parametrize("mode", ["fork", "alarm", "thread", "none"])
def test_every_way_of_running_reaches_the_same_verdicts(mode):
    exercise = EXERCISES["08-backward"]
    for answer, code in [(lambda params, trace, Y: _backward(params, trace, Y), None),
                         (lambda params, trace, Y: _backward(params, trace, Y, sign=-1), "sign_error"),
                         (lambda params, trace, Y: None, "returns_none")]:
        outcomes = run(answer, exercise.cases, 5.0, mode=mode)
        assert decide(exercise, exercise.cases, outcomes).diagnosis == code
    if mode == "none":
        assert "no time limit" in outcomes[0].note


def test_without_signals_or_threads_the_check_runs_without_a_limit_and_says_so(monkeypatch):
    # Pyodide (JupyterLite) has neither fork, nor signal.setitimer, nor threads that start
    from coursekit.exercises import running

    monkeypatch.setattr(running, "can_fork", lambda: False)
    monkeypatch.delattr(signal, "setitimer")
    monkeypatch.setattr(threading.Thread, "start", lambda self: (_ for _ in ()).throw(RuntimeError("no threads")))
    result = check("08-backward", lambda params, trace, Y: _backward(params, trace, Y))
    assert result.passed and "no time limit on this platform" in result.message
    assert check("08-backward", lambda params, trace, Y: _backward(params, trace, Y, sign=-1)).diagnosis == "sign_error"


def test_an_answer_that_ends_its_process_costs_only_the_check():
    import os

    result = check("00-total-cost", lambda F, Y: os._exit(3))
    assert result.diagnosis == "crashed" and "ended during this call" in result.message
    assert check("00-total-cost", lambda F, Y: float(0.5 * np.sum((F - Y) ** 2)))


def test_an_endless_loop_that_catches_base_exception_is_still_stopped():
    def my_backward(params, trace, Y):
        while True:
            try:
                time.sleep(0.01)
            except BaseException:                         # even the time limit's own exception
                pass

    started = time.perf_counter()
    assert check("08-backward", my_backward, timeout=0.3).diagnosis == "timeout"
    assert time.perf_counter() - started < 3


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM")
def test_an_alarm_set_by_someone_else_is_restored():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *args: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 50.0)
        exercise = EXERCISES["08-backward"]
        outcomes = run(lambda params, trace, Y: _backward(params, trace, Y), exercise.cases, 5.0, mode="alarm")
        assert decide(exercise, exercise.cases, outcomes)
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 40 < remaining <= 50 and not fired
        assert signal.getsignal(signal.SIGALRM) is not None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_answers_printing_and_warnings_stay_hidden(capsys):
    def total_cost_squared(F, Y):
        print("debugging output")
        warnings.warn("a warning from the answer")
        np.log(np.zeros(1))                               # a numpy RuntimeWarning
        return float(0.5 * np.sum((F - Y) ** 2))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert check("00-total-cost", total_cost_squared)
    assert not caught
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_the_answer_gets_copies_of_the_inputs():
    seen = []

    def my_backward(params, trace, Y):
        seen.append(trace)
        return _backward(params, trace, Y)

    check("08-backward", my_backward)
    case_traces = [case.args[1] for case in EXERCISES["08-backward"].cases]
    assert all(trace is not original for trace in seen for original in case_traces)


def test_an_unknown_id_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown exercise id '08-backprop'; valid ids: 00-total-cost, "):
        check("08-backprop", lambda *args: None)


def test_a_bug_in_the_checker_is_not_blamed_on_the_student(monkeypatch):
    deciding = sys.modules["coursekit.exercises.decide"]

    monkeypatch.setattr(deciding, "_decide", lambda ev: 1 / 0)
    result = check("08-backward", EXERCISES["08-backward"].reference)
    assert result.diagnosis == "checker_error" and "tell your instructor" in result.message


def test_the_result_renders_deterministically_and_escapes_html():
    first = check("08-backward", lambda params, trace, Y: _backward(params, trace, Y, sign=-1))
    second = check("08-backward", lambda params, trace, Y: _backward(params, trace, Y, sign=-1))
    assert exercises.CheckResult.from_json(first.to_json()) == first
    assert repr(first) == repr(second) and first._repr_html_() == second._repr_html_()
    assert str(first) == repr(first)
    html = exercises.CheckResult("x", False, "a<b", "f < g & h")._repr_html_()
    assert "a&lt;b" in html and "f &lt; g &amp; h" in html


def test_check_is_lazy_so_import_coursekit_loads_no_checks_or_graders():
    # (how long `import coursekit` takes is measured by bench/bench.py, not here)
    code = ("import sys; import coursekit; "
            "heavy = [m for m in ('coursekit.exercises', 'coursekit.release', 'coursekit.grading', 'nbgrader', "
            "'nbclient', 'matplotlib', 'ipywidgets') if m in sys.modules]; print(heavy); "
            "from coursekit import check; assert check is coursekit.exercises.check")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]", output
    assert coursekit.check is check


@pytest.mark.parametrize("timeout", [-1, 0, float("nan"), float("inf")])
def test_a_bad_time_limit_is_the_callers_error_not_the_students(timeout):
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        coursekit.check("00-total-cost", lambda F, Y: 0.0, timeout=timeout)
