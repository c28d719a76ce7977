"""Loaded last by the tests' fork server (tests/forked.py): matplotlib's figures and its font list.

A drawing process forked from a run forked from the server then starts with them loaded, as
``chartpack._warm_up`` would load them, instead of spending 0.1 s of CPU reading the font list again.
"""

from strategic_assessment import chartpack

chartpack._warm_up()
