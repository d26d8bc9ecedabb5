"""gunicorn, run from within ``ragw serve``: a pre-forking production server whose
workers each build the application, sharing the session secret the master chose."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


class Service(BaseApplication):  # type: ignore[misc]
    """The web application behind gunicorn, configured here rather than from the
    command line or a file (``ragw serve``'s options are the only ones)."""

    def __init__(self, build: Callable[[], Any], options: dict[str, Any]) -> None:
        self.build = build
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        return self.build()


def announce(server: Any) -> None:
    """Once the sockets are bound: the address people open, on stdout."""
    for listener in server.LISTENERS:
        host, port = listener.sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"listening on http://{shown}:{port}", flush=True)


def run(build: Callable[[], Any], *, host: str, port: int, workers: int) -> None:
    """Serve until Ctrl-C (SIGINT) or SIGTERM; both stop the workers and return."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    options = {
        "bind": [bind],
        "workers": workers,
        "worker_class": "sync",
        "timeout": 120,
        "graceful_timeout": 10,
        "loglevel": "warning",
        "accesslog": None,
        "errorlog": "-",
        "when_ready": announce,
        "proc_name": "ragw-serve",
        # the default, said here: X-Forwarded-Proto is trusted from a proxy on this host only
        "forwarded_allow_ips": "127.0.0.1,::1",
    }
    try:
        Service(build, options).run()
    except SystemExit as stopped:
        if stopped.code not in (0, None):
            raise
    sys.stdout.flush()
