"""The benchmark: `python -m pvt.bench` (see runner.py for the method, --help for options).

configs  what is timed: tasks and configurations, shared by runner and report
timing   the timing core (first call, calibration, timed blocks), framework-free
workers  one configuration in one long-lived process
runner   the driver: rounds, paired turns, provenance, writing the results
verdict  the rule that turns per-round ratios into sentences (used by the site build)
report   tables and plots from docs/results/machines/*/bench.json
"""
