"""``main``: parse the command line, run one command, map every failure to an exit
status and one line on stderr."""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence

from ..loader import DatasetError
from .article import cmd_article
from .commands import (
    cmd_cache,
    cmd_completion,
    cmd_export,
    cmd_glossary,
    cmd_search,
    cmd_show,
    cmd_validate,
    load,
)
from .output import (
    EXIT_ERROR,
    EXIT_OK,
    OutputError,
    flush,
    print_error,
    protect_output,
    silence_stdout,
)
from .parser import build_parser
from .start import cmd_app, cmd_serve


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    if argv is None and "_ARGCOMPLETE" in os.environ:
        from ..completion import autocomplete

        autocomplete(parser)  # answers the shell's Tab and exits
    args, extra = parser.parse_known_args(argv)
    if args.command == "search":
        # `search kangjia -kind:figure`: a -word is a query word, not an option
        unknown = [word for word in extra if word.startswith("--")]
        if unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.query = [*args.query, *extra]
        if not args.query:
            parser.error("search: a QUERY is required")
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    protect_output()
    if args.data is None:
        args.data = os.environ.get("BISHAN_DATA") or None
    if args.verbose:
        from .. import cachedir

        cachedir.set_note_sink(print_error)
    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "serve":
            gc.enable()  # long-lived: the collector on (bishan_tui.__main__.run turns it off)
            return cmd_serve(args)
        if args.command == "completion":
            return cmd_completion(args)
        if args.command == "cache":
            return cmd_cache(args)
        if args.command is None:
            gc.enable()  # long-lived: the collector on (bishan_tui.__main__.run turns it off)
            return cmd_app(args)
        dataset = load(args.data)
        handler = {
            "search": cmd_search,
            "show": cmd_show,
            "export": cmd_export,
            "glossary": cmd_glossary,
            "article": cmd_article,
        }[args.command]
        code = handler(args, dataset)
        flush()  # a full disk shows here, not as Python's "Exception ignored" at exit
        return code
    except DatasetError as error:
        for problem in error.problems:
            print_error(problem)
        return EXIT_ERROR
    except OutputError as error:
        print_error(f"bishan-tui: {error}")
        silence_stdout()
        return EXIT_ERROR
    except BrokenPipeError:
        # `bishan-tui export ... | head`: the reader left; that is not an error.
        silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
