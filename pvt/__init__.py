"""This site's own code: the results pipeline (pipeline/), the results store and provenance, the
tables and plots (render), every generated zh/en string (strings), the benchmark (bench/) and
the site tools (site/). Installed with `pip install -e .`; see README.md, Layout."""
