"""The project's shape (STD303, STD401-STD406, STD501-STD503, STD601): its configuration files,
package manager, Python version, dev tools, `standards.toml` and file names.

`shell` parses the shell commands STD402 reads; `standards_toml` is the editing help for
`standards.toml` (completion, hover, conversion) that the server offers.
"""
