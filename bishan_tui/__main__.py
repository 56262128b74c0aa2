"""``python -m bishan_tui`` does what the ``bishan-tui`` command does."""

from .cli import main

raise SystemExit(main())
