"""Suppressions (STD901-STD902): `# noqa:` comments that silence nothing, and ones that give no
reason where the tier asks for one. Not in the design map's catalogue, whose codes stop at
STD601: the 9xx block is the tool's own, about how the standard is applied rather than the code."""
