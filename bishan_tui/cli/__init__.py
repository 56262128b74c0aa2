"""The ``bishan-tui`` command: the app, and one-shot lookups for scripts and SSH.

Start-up is the cost of a lookup, so these modules import only the standard
library and the pure core at the top.  Rich is imported only to draw a table;
Textual only when the app is opened (``start``); argcomplete only when a shell
asks for completions.

    parser    the command line: commands, options, help
    main      run one command; every failure an exit status and one stderr line
    commands  search, show, export, validate, glossary, cache, completion
    article   article, show --context, validate --coverage
    render    records as a table, plain lines, JSON, CSV, Markdown; ``show``'s rows
    output    stdout that may be closed, full or not UTF-8; stderr; exit statuses
    start     the app and the web server
"""

from .main import main
from .parser import build_parser

__all__ = ["build_parser", "main"]
