"""The results pipeline: which snippet makes which result (jobs), running them (results), and
the executed example notebooks (notebooks). `python -m pvt.pipeline.results --help`."""
