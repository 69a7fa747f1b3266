"""The rule families: one package each, holding its rules, their analysis, fixes, naming and docs.

A family imports the framework (`rules/`), never another family; the framework never imports a
family except through the registry, which discovers every rule module here.
"""
