"""``bishan-tui serve``: the app in a web browser, through textual-serve.

Each browser tab runs its own ``bishan-tui`` process; textual-serve talks to it
through pipes with ``TEXTUAL_DRIVER`` set (so the app must not insist on a
terminal).  There is no authentication: anyone who can reach the port can use the
app, so the default is loopback and any other address is warned about.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MISSING = "bishan-tui serve needs the web extra (textual-serve): pip install 'bishan-tui[web]'"


def is_loopback(host: str) -> bool:
    import ipaddress  # here: the CLI's parser imports this module on every start

    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def exposure_warning(host: str, port: int) -> str:
    """Empty for loopback; else one plain paragraph on what binding there means."""
    if is_loopback(host):
        return ""
    return (
        f"warning: serving on {host}:{port}, not on loopback. There is no authentication: "
        "anyone who can reach this address and port can use the app. Browsers on other "
        f"machines need --public-url http://THIS-MACHINE:{port} to find the app's websocket."
    )


def app_command(data: str | None) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, this
    package, the same dataset (an absolute path: the server may be started elsewhere)."""
    import shlex

    argv = [sys.executable, "-m", "bishan_tui"]
    if data is not None:
        argv += ["--data", str(Path(data).expanduser().resolve())]
    return shlex.join(argv)


def public_url_for(host: str, port: int, given: str | None) -> str | None:
    if given:
        return given.rstrip("/")
    if ":" in host and not host.startswith("["):
        return f"http://[{host}]:{port}"  # an IPv6 literal needs brackets in a URL
    return None  # textual-serve's own: http://HOST:PORT


def run_server(host: str, port: int, data: str | None, public_url: str | None) -> None:
    """Serve until Ctrl+C.  ImportError when textual-serve is missing; OSError when
    the address cannot be bound."""
    from textual_serve.server import Server

    server = Server(
        app_command(data),
        host=host,
        port=port,
        title="bishan-tui",
        public_url=public_url_for(host, port, public_url),
    )
    server.serve()
