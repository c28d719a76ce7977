"""The bounds every input is checked against, in one place.

Numbers are range-checked before they reach pandas or numpy (a count of
9223372036854775808 would overflow an integer column); YAML documents,
keys and values are bounded so a hostile file cannot exhaust memory or
flood a message; a factor's range is bounded so the risk matrix and the
workshop template stay small. Every check that names one of these limits
imports it from here.
"""

from __future__ import annotations

MAX_COUNT = 1_000_000_000
"""A crime count (annual, monthly, neighbourhood): a whole number from 0 to this."""

MAX_POPULATION = 1_000_000_000
"""A population base or a neighbourhood's population: more than 0, at most this."""

MAX_RATE_PER_1000 = 1_000_000.0
"""A rate per 1,000 residents (a comparator, the Most Similar Family average): 0 to this."""

MAX_PERCENT = 100.0
"""A percentage that is a share of something: 0 to this."""

MAX_FAMILY_SIZE = 1_000
"""The number of areas in a Most Similar Family group."""

MAX_FACTOR_VALUE = 100
"""A model factor's range lies within 0 to this (the risk matrix has one cell per value pair)."""

MAX_YAML_BYTES = 2_000_000
"""The largest YAML document read (settings or a model)."""

MAX_KEY_CHARACTERS = 100
"""The longest key in a YAML mapping."""

MAX_TEXT_CHARACTERS = 20_000
"""The longest text value in a YAML document or a workbook cell read as text (a long narrative paragraph)."""

MAX_NAME_CHARACTERS = 150
"""The longest name (partnership, crime type, theme, threat, rating).

With the words around it, a document title stays within Word's 255 characters.
"""

MAX_CORE_PROPERTY_CHARACTERS = 255
"""Word's limit for a document property (author, title): python-docx refuses longer values."""

MAX_SHOWN_CHARACTERS = 80
"""The most of a value a message ever quotes."""
