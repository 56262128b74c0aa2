"""Commands that start something long-lived: the app, the web server."""

from __future__ import annotations

import argparse
import os
import sys

from .commands import load
from .output import EXIT_ERROR, EXIT_OK, is_utf8, print_error


def cmd_app(args: argparse.Namespace) -> int:
    dataset = load(args.data)
    # textual-serve (`bishan-tui serve`) runs the app through pipes with TEXTUAL_DRIVER set
    if not os.environ.get("TEXTUAL_DRIVER") and (
        sys.stdin is None or sys.stdout is None or not (sys.stdin.isatty() and sys.stdout.isatty())
    ):
        print_error(
            "bishan-tui: the app needs a terminal. For scripts use "
            "'bishan-tui search QUERY', 'show ID' or 'export --format json'."
        )
        return EXIT_ERROR
    # Textual writes the screen through stderr; with a non-UTF-8 encoding every Chinese
    # character would be drawn as an escape (\u74a7) and lines would overflow.
    encoding = getattr(sys.__stderr__, "encoding", None)
    if not is_utf8(encoding):
        print_error(
            f"bishan-tui: the app needs a UTF-8 terminal; this one uses {encoding}. "
            "Set a UTF-8 locale (e.g. export LANG=C.UTF-8, or LC_ALL=en_US.UTF-8) with a "
            "terminal set to UTF-8; if the terminal already is, PYTHONIOENCODING=utf-8 "
            "bishan-tui. 'bishan-tui search' and 'show' work here as they are."
        )
        return EXIT_ERROR
    from ..app import create_app
    from ..settings import load_settings

    loaded = load_settings()
    if loaded.warning:
        print_error(loaded.warning)
    settings = loaded.settings
    lang = args.lang or settings.lang or "both"
    theme = args.theme or settings.theme
    app = create_app(dataset=dataset, lang=lang, theme=theme, settings=settings, remember=True)
    if args.theme and args.theme not in app.available_themes:
        names = ", ".join(sorted(app.available_themes))
        print_error(f"bishan-tui: no theme is called {args.theme!r}; choose from {names}")
        return EXIT_ERROR
    if loaded.warning:
        app.call_later(app.notify, loaded.warning, severity="warning", markup=False)
    if theme and theme not in app.available_themes:
        print_error(f"bishan-tui: the remembered theme {theme!r} is not there; using bishan")
    app.remember(lang=lang, theme=app.theme)
    from ..shutdown import ExitGuard

    app.guard_exit(ExitGuard(sys.stdin.fileno(), sys.stdout.fileno()))
    if args.verbose:  # the screen is the app's: notes made meanwhile wait for its end
        from .. import cachedir

        held: list[str] = []
        cachedir.set_note_sink(held.append)
        try:
            app.run()
        finally:
            cachedir.set_note_sink(print_error)
            for line in held:
                print_error(line)
    else:
        app.run()
    # 128 + N when a signal (SIGTERM, SIGHUP, SIGINT) ended it, as a shell reports it.
    return app.return_code or EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serve import MISSING, exposure_warning, run_server

    if args.data is not None:
        load(args.data)  # a bad file is said here, once, not in every browser tab
    if not 0 < args.port < 65536:
        print_error(f"bishan-tui serve: port {args.port} is not between 1 and 65535")
        return EXIT_ERROR
    warning = exposure_warning(args.host, args.port)
    if warning:
        print_error(warning)
    try:
        run_server(args.host, args.port, args.data, args.public_url)
    except ImportError:
        print_error(MISSING)
        return EXIT_ERROR
    except OSError as error:
        print_error(f"bishan-tui serve: cannot listen on {args.host}:{args.port}: {error.strerror}")
        return EXIT_ERROR
    return EXIT_OK
