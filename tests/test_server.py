"""coursekit.server: the kernel websockets of `make lab` and the browser tests send each message at once."""
import pathlib

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from traitlets.utils.importstring import import_item

from coursekit import server

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_connection_turns_nagle_off_before_it_connects(monkeypatch):
    calls = []

    class Handler:
        def set_nodelay(self, value):
            calls.append(("nodelay", value))

    monkeypatch.setattr(server.QuickConnection, "websocket_handler", Handler(), raising=False)
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", lambda self: calls.append("connect") or "future")
    connection = server.QuickConnection.__new__(server.QuickConnection)
    assert connection.connect() == "future"           # what the standard connection returns is passed on
    assert calls == [("nodelay", True), "connect"]


def test_the_option_names_that_connection_and_every_lab_command_passes_it():
    name, value = server.OPTION.lstrip("-").split("=")
    assert name == "ServerApp.kernel_websocket_connection_class"
    assert import_item(value) is server.QuickConnection
    assert issubclass(server.QuickConnection, ZMQChannelsWebsocketConnection)
    for makefile in ("Makefile", "student/Makefile"):
        lab = (ROOT / makefile).read_text().split("\nlab:")[1].split("\n\n")[0]
        assert server.OPTION.lstrip("-") in lab.replace("\\\n\t\t", " "), makefile
    assert "QUICK_SOCKETS" in (ROOT / "tests" / "jupyter_pages.py").read_text()
