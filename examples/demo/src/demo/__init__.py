"""A small service that breaks the standard in the ways the rules catch."""
