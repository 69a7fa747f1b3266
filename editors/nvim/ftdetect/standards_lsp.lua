-- File types for the project files standards-lsp checks that Neovim 0.11 leaves undetected or
-- calls plain text, so that the client (lsp/standards_lsp.lua) attaches to them as well.
-- Neovim sources this file by itself once this folder is on 'runtimepath'.
vim.filetype.add({
  filename = {
    ["poetry.lock"] = "toml",
    [".flake8"] = "dosini",
    [".python-version"] = "python_version",
  },
  pattern = {
    ["requirements.*%.txt"] = "requirements",
  },
})
