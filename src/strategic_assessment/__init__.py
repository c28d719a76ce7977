"""Strategic Assessment generator for Community Safety Partnerships.

Reads crime tables and workshop scoring workbooks, rates each threat with a
scoring model held as YAML data, and writes the partnership's outputs.
"""

__version__ = "0.1.0"
