-- Prints, as JSON, the file type a real Neovim gives each file named in $STANDARDS_LSP_FILES
-- (one path a line), and the file types of the standards_lsp client configuration.
-- Run with this repository's editors/nvim first on 'runtimepath' (as a user's init.lua has it).
local detected = {}
for _, path in ipairs(vim.split(vim.env.STANDARDS_LSP_FILES, "\n", { trimempty = true })) do
  vim.cmd.edit(vim.fn.fnameescape(path))
  detected[path] = vim.bo.filetype
end
local result = { detected = detected, client_filetypes = vim.lsp.config.standards_lsp.filetypes }
io.stdout:write(vim.json.encode(result) .. "\n")
