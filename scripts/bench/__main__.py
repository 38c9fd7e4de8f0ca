"""`python scripts/bench [options]`: run the benchmark (see runner.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.runner import main

sys.exit(main())
