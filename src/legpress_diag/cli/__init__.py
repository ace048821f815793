"""The command line: argument parsing and wiring only; the work happens in the core."""
