"""The former name of ``terminal``: importing it gives the ``terminal`` module itself.

Kept so code written against the old name goes on working on the one module.
"""

import sys

from . import terminal
from .terminal import *  # noqa: F403 - the names, for type checkers

sys.modules[__name__] = terminal
