"""A two-module project: callers in another module, results used as dicts."""
