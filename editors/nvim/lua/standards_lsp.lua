-- Helpers for the standards-lsp client: fix-all (for a keymap or on save) and keymaps.
local M = {}

M.client_name = "standards_lsp"
M.fix_all_kind = "source.fixAll.standards"

-- Long enough for a large file's fixes; only a guard so a hung server cannot freeze a save.
local REQUEST_TIMEOUT_MS = 3000

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = M.client_name })[1]
end

--- Apply the server's safe fixes (`source.fixAll.standards`) to `bufnr`, synchronously, so it
--- can run in BufWritePre and the written file already has them.
function M.fix_all(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = client_for(bufnr)
  if not client then
    return
  end
  local last_line = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ["end"] = { line = last_line, character = 0 } },
    context = { only = { M.fix_all_kind }, diagnostics = {}, triggerKind = 1 },
  }
  local response = client:request_sync("textDocument/codeAction", params, REQUEST_TIMEOUT_MS, bufnr)
  for _, action in ipairs((response and response.result) or {}) do
    -- Servers may send more than `only` asked for; apply the fix-all action alone.
    if action.kind == M.fix_all_kind then
      M.apply(client, action, bufnr)
    end
  end
end

--- Apply one code action, resolving it first when it came without its edit.
function M.apply(client, action, bufnr)
  if not action.edit and client:supports_method("codeAction/resolve") then
    local resolved = client:request_sync("codeAction/resolve", action, REQUEST_TIMEOUT_MS, bufnr)
    action = (resolved and resolved.result) or action
  end
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
end

--- Buffer-local keymaps and (when `opts.fix_all_on_save`) fix-all before each write, for every
--- buffer the standards-lsp client attaches to.
function M.setup(opts)
  opts = opts or {}
  vim.api.nvim_create_autocmd("LspAttach", {
    group = vim.api.nvim_create_augroup("standards_lsp", { clear = true }),
    callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      if not client or client.name ~= M.client_name then
        return
      end
      local buf = args.buf
      vim.keymap.set({ "n", "x" }, "<leader>ca", vim.lsp.buf.code_action,
        { buffer = buf, desc = "Code actions (standards-lsp quick fixes)" })
      vim.keymap.set("n", "<leader>cf", function() M.fix_all(buf) end,
        { buffer = buf, desc = "standards-lsp: fix all in file" })
      if opts.fix_all_on_save then
        vim.api.nvim_create_autocmd("BufWritePre", {
          group = vim.api.nvim_create_augroup("standards_lsp_fix_all_" .. buf, { clear = true }),
          buffer = buf,
          callback = function() M.fix_all(buf) end,
        })
      end
    end,
  })
end

return M
