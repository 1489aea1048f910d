"""doctor() tells a working environment from a broken one."""
import importlib

import coursekit

doctor_module = importlib.import_module("coursekit.doctor")


def test_doctor_reports_a_working_environment():
    report = coursekit.doctor()
    text = repr(report)
    assert report.ok and bool(report), text
    for name in ("python", "numpy", "matplotlib", "ipywidgets", "jupyterlab_widgets", "Jupyter kernel",
                 "gradient check"):
        assert name in text
    assert "FINE" in text and "your own code" in text


def test_doctor_names_a_missing_package_and_the_fix(monkeypatch):
    real = doctor_module._installed
    monkeypatch.setattr(doctor_module, "_installed", lambda p: None if p == "ipywidgets" else real(p))
    report = coursekit.doctor()
    assert not report.ok
    assert "BROKEN" in repr(report) and "ipywidgets is missing" in repr(report) and "make lab" in repr(report)


def test_doctor_catches_a_damaged_installation(monkeypatch):
    monkeypatch.setattr(coursekit, "gradcheck", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    report = coursekit.doctor()
    assert not report.ok and "RuntimeError: boom" in repr(report) and "damaged" in repr(report)
