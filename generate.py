"""Run the Strategic Assessment generator without installing it: ``python generate.py --help``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from strategic_assessment.cli import main

if __name__ == "__main__":
    main()
