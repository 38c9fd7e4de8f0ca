"""`python -m pvt.bench [options]`: run the benchmark (see runner.py)."""

import sys

from pvt.bench.runner import main

sys.exit(main())
