"""csdesk benchmarks: `./run bench` or `python -m bench`; each prints `name: value unit`."""
