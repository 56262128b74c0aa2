"""bishan-tui: the facts of an article on Bishan as a science-and-technology city."""

__version__ = "0.1.0"
