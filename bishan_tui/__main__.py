"""``python -m bishan_tui`` does what the ``bishan-tui`` command does."""

from __future__ import annotations


def run() -> int:
    """The ``bishan-tui`` command (``[project.scripts]``).

    The cyclic garbage collector is off from the first import: a one-shot lookup
    makes only short-lived, acyclic objects, yet its imports and its load trigger
    some 40 collections (~5 ms of a ~100 ms ``search``, measured).
    :func:`.cli.main` turns it back on before anything long-lived starts (the app,
    the web server).
    """
    import gc

    gc.disable()
    from .cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
