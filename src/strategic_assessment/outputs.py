"""The former name of ``staging``: importing it gives the ``staging`` module itself.

Kept so code written against the old name (``from .outputs import write_csv``,
a test wrapping ``outputs._rename``) goes on working on the one module.
"""

import sys

from . import staging
from .staging import *  # noqa: F403 - the names, for type checkers

sys.modules[__name__] = staging
