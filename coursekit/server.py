"""The Jupyter server's half of a view that follows the hand: kernel websockets that send each message at once.

A view's answer to a slider move leaves the kernel as three small messages, status "busy", the frame, status
"idle", within a millisecond or two. Tornado keeps Nagle's algorithm on for a websocket (its HTTP layer turns
TCP_NODELAY off again after the upgrade), so the frame waits until the browser acknowledges "busy", and Linux
delays that acknowledgement by 40 ms. Measured here with strace in JupyterLab and Chromium: the server wrote the
frame 2 ms after "busy", Chromium could read it 41 ms later; every frame of every view was painted 40 ms late.
With TCP_NODELAY on the kernel's websockets the frame goes out when it is written.

    jupyter lab --ServerApp.kernel_websocket_connection_class=coursekit.server.QuickConnection

`make lab` (the course's and the student copy's) and the browser tests start JupyterLab and Notebook 7 so.
"""
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

OPTION = "--ServerApp.kernel_websocket_connection_class=coursekit.server.QuickConnection"


class QuickConnection(ZMQChannelsWebsocketConnection):
    """The standard kernel websocket connection, with TCP_NODELAY on its socket."""

    def connect(self):
        # called from the websocket handler's open(): the upgrade is done, the stream is the websocket's
        self.websocket_handler.set_nodelay(True)
        return super().connect()
