"""Speed and load benchmarks for the advisor: `make bench` (`python -m bench`) and `make load`."""
