"""Models (STD101-STD102): dicts whose keys are known, and the "convert to a Pydantic model"
refactoring.

- `std101_*`, `std102_*`: the rules;
- `dict_shapes`: which keys a dict has and how it is used (the analysis);
- `model_fix`: the fixes and offers both rules share;
- `conversion`: the libcst rewrite to a generated model; `model_names`: the model's name.
"""
