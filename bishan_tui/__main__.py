"""``python -m bishan_tui`` does what the ``bishan-tui`` command does."""

from __future__ import annotations

import gc
import os
import sys


def run() -> int:
    """Run one command of the command line; its exit status.

    The cyclic garbage collector is off from the first import: a one-shot lookup
    makes only short-lived, acyclic objects, yet its imports and its load trigger
    some 40 collections (~5 ms of a ~100 ms ``search``, measured).
    :func:`.cli.main` turns it back on before anything long-lived starts (the app,
    the web server).
    """
    gc.disable()
    from .cli import main

    return main()


def command() -> None:
    """The ``bishan-tui`` command (``[project.scripts]``): :func:`run`, then exit.

    After a one-shot command (the collector still off: no app or server ran) the
    process ends at once, once what it wrote is flushed: the interpreter's teardown
    (every module torn down, a last full collection) took ~10 ms of a ~90 ms
    ``search``, measured, and there is nothing in it a one-shot command needs (no
    thread, no atexit handler, every file closed).  A flush that fails falls back to
    the normal exit, which reports it as Python always does.
    """
    code = run()
    if not gc.isenabled():
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    command()
