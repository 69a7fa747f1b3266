-- standards-lsp for Neovim 0.11+: put this file's folder on 'runtimepath' (or copy it to
-- ~/.config/nvim/lsp/standards_lsp.lua), then `vim.lsp.enable("standards_lsp")`.
-- Override anything with vim.lsp.config("standards_lsp", { ... }), e.g. the settings below.

local root_markers = { "standards.toml", "pyproject.toml", ".git" }
local executable = "standards-lsp"

--- The project's own server (`<dir>/.venv/bin/standards-lsp`) in `root` or a folder above
--- `start`, so the editor runs the version the project pins; nil when there is none.
local function venv_server(root, start)
  local candidates = {}
  if root then
    table.insert(candidates, vim.fs.joinpath(root, ".venv", "bin", executable))
  end
  if start and start ~= "" then
    for _, venv in ipairs(vim.fs.find(".venv", { upward = true, path = start, type = "directory" })) do
      table.insert(candidates, vim.fs.joinpath(venv, "bin", executable))
    end
  end
  for _, candidate in ipairs(candidates) do
    if vim.fn.executable(candidate) == 1 then
      return candidate
    end
  end
  return nil
end

---@type vim.lsp.Config
return {
  -- A function rather than a list so the command can depend on the project being opened.
  -- Neovim 0.11.2+ passes the resolved config (with root_dir); earlier 0.11 releases do not,
  -- so fall back to the current buffer, which is the one that triggered the start.
  cmd = function(dispatchers, config)
    local buffer_dir = vim.fs.dirname(vim.api.nvim_buf_get_name(0))
    local root = (config and config.root_dir) or vim.fs.root(0, root_markers)
    local server = venv_server(root, buffer_dir) or executable
    return vim.lsp.rpc.start({ server, "serve" }, dispatchers, { cwd = root })
  end,
  -- Every file the server checks (tests/unit/test_editor_coverage.py keeps this complete);
  -- ftdetect/standards_lsp.lua names the ones Neovim does not detect by itself.
  filetypes = {
    "python", "toml", "requirements", "dockerfile", "yaml", "sh", "bash", "make",
    "json", "dosini", "cfg", "python_version",
  },
  root_markers = root_markers,
  -- The server reads the `standardsLsp` section (workspace/configuration and
  -- workspace/didChangeConfiguration); before_init sends the same table as initializationOptions.
  settings = {
    standardsLsp = {
      tier = vim.NIL, -- "production" | "internal" | "prototype" to override standards.toml
      select = {},
      ignore = {},
      workspaceDiagnostics = false,
    },
  },
  before_init = function(params, config)
    -- renameAfterExtract: this config has the standardsLsp.renameAt command (below).
    params.initializationOptions =
      vim.tbl_extend("force", (config.settings or {}).standardsLsp or {}, { renameAfterExtract = true })
  end,
  -- Run after "Extract to module constant": the new constant straight into rename mode.
  commands = {
    ["standardsLsp.renameAt"] = function(command, ctx)
      local uri, position = unpack(command.arguments or {})
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      if type(uri) ~= "string" or type(position) ~= "table" or not client then
        return
      end
      local bufnr = vim.uri_to_bufnr(uri)
      if vim.api.nvim_get_current_buf() ~= bufnr then
        vim.cmd.buffer(bufnr)
      end
      local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1] or ""
      local column = vim.str_byteindex(line, client.offset_encoding, position.character, false)
      vim.api.nvim_win_set_cursor(0, { position.line + 1, column })
      vim.lsp.buf.rename(nil, { name = client.name, bufnr = bufnr })
    end,
  },
}
