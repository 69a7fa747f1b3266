"""Constants (STD201-STD203): magic numbers, hard-coded URLs and repeated literals, and the
"extract to module constant" refactoring with its naming and rename support.

- `literals`: the one walk over a unit's literals and their context, and the exemptions;
- `std201_*`, `std202_*`, `std203_*`: the rules;
- `extracting`: the fixes and offers the rules share; `extract`: the libcst rewrite;
- `naming`: constant names from the value's role; `scope_names`: names bound per scope;
- `rename`: renaming a module constant (the server's rename uses it).
"""
