# Run the benchmark and render its tables and plots into docs/results/.
# --8<-- [start:code]
make bench        # full run, about 20 to 25 minutes on 2 cores
make bench-quick  # tiny blocks, two rounds: proves the harness works, numbers not comparable
# --8<-- [end:code]
