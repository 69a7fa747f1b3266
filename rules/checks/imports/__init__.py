"""Imports (STD301-STD302): FastAPI used directly, and LLM vendor SDKs imported instead of the
llm package. `imported_packages` is the per-unit summary both rules share."""
