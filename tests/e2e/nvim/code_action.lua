-- Drives Neovim's built-in LSP client through quick fixes, as a user would: open the file, wait
-- for the diagnostic, list the code actions on it, pick the quickfix whose title starts with the
-- given prefix, resolve it when it has no edit, apply it, and wait for the diagnostic to go;
-- again while diagnostics with that code remain (STD101's example has two findings: the
-- parameter and the return), then write the file. It records what it saw in a JSON file; the
-- pytest side asserts.
-- Run as: nvim --headless --clean -u code_action.lua, with the STANDARDS_E2E_* variables set.

vim.g.loaded_python3_provider = 0 -- otherwise each start probes for pynvim for 1-2 s

local env = {
  repo = os.getenv("STANDARDS_E2E_REPO"),
  file = os.getenv("STANDARDS_E2E_FILE"),
  code = os.getenv("STANDARDS_E2E_CODE"),
  title_prefix = os.getenv("STANDARDS_E2E_TITLE_PREFIX"),
  result = os.getenv("STANDARDS_E2E_RESULT"),
}
-- Hang guard only: each wait returns as soon as its condition holds.
local WAIT_MS = 30000
local POLL_MS = 20
local MAX_FIXES = 5 -- a guard against a fix that keeps producing findings of its own code
local CLIENT = "standards_lsp"

local result = {
  attached = false,
  diagnostic_seen = false,
  action_titles = {},
  chosen_titles = {},
  resolved = false,
  applied = false,
  remaining_codes = {},
  error = vim.NIL,
}

local function write_result()
  local handle = assert(io.open(env.result, "w"))
  handle:write(vim.json.encode(result))
  handle:close()
end

local function diagnostics_with_code(bufnr)
  return vim.tbl_filter(function(d)
    return d.code == env.code
  end, vim.diagnostic.get(bufnr))
end

local function codes(bufnr)
  return vim.tbl_map(function(d)
    return d.code
  end, vim.diagnostic.get(bufnr))
end

local function pick_action(actions)
  for _, action in ipairs(actions) do
    if not vim.tbl_contains(result.action_titles, action.title) then
      table.insert(result.action_titles, action.title)
    end
  end
  for _, action in ipairs(actions) do
    if action.kind == "quickfix" and vim.startswith(action.title, env.title_prefix) then
      return action
    end
  end
  return nil
end

local function request(client, method, params, bufnr)
  local response, err = client:request_sync(method, params, WAIT_MS, bufnr)
  assert(response, method .. " failed: " .. tostring(err))
  assert(not response.err, method .. " error: " .. vim.inspect(response.err))
  return response.result
end

--- Lists the actions on `diagnostic` (exactly as the server sent it: range in the negotiated
--- encoding, data kept), resolves the chosen one when it has no edit, and applies it.
local function apply_quick_fix(client, bufnr, diagnostic)
  local actions = request(client, "textDocument/codeAction", {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = diagnostic.range,
    context = { diagnostics = { diagnostic }, only = { "quickfix" }, triggerKind = 1 },
  }, bufnr) or {}
  local action = pick_action(actions)
  assert(action, "no quickfix titled '" .. env.title_prefix .. "...'")
  table.insert(result.chosen_titles, action.title)
  if not action.edit then
    action = request(client, "codeAction/resolve", action, bufnr)
    result.resolved = true
  end
  assert(action.edit, "the action has no edit, even after codeAction/resolve")
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  if action.command then
    client:exec_cmd(action.command, { bufnr = bufnr })
  end
  result.applied = true
end

local function run()
  -- The client configuration under test is the project's own editors/nvim/lsp/standards_lsp.lua,
  -- unchanged: it finds the server under test in the project's .venv.
  vim.opt.runtimepath:prepend(env.repo .. "/editors/nvim")
  vim.cmd("filetype on") -- with -u, filetype detection is not on yet and no client would attach
  vim.lsp.enable(CLIENT)
  -- An extraction's command opens the rename prompt (rename_after_extract.lua types a name):
  -- here the user presses Escape, keeping the proposed name.
  vim.ui.input = function(_, on_confirm)
    on_confirm(nil)
  end
  vim.cmd.edit(vim.fn.fnameescape(env.file))
  local bufnr = vim.api.nvim_get_current_buf()

  result.attached = vim.wait(WAIT_MS, function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = CLIENT }) > 0
  end, POLL_MS)
  assert(result.attached, "the standards_lsp client did not attach")
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = CLIENT })[1]

  result.diagnostic_seen = vim.wait(WAIT_MS, function()
    return #diagnostics_with_code(bufnr) > 0
  end, POLL_MS)
  assert(result.diagnostic_seen, "no " .. env.code .. " diagnostic; saw " .. vim.inspect(codes(bufnr)))

  for _ = 1, MAX_FIXES do
    local remaining = diagnostics_with_code(bufnr)
    if #remaining == 0 then
      break
    end
    apply_quick_fix(client, bufnr, remaining[1].user_data.lsp)
    vim.wait(WAIT_MS, function()
      return #diagnostics_with_code(bufnr) < #remaining
    end, POLL_MS)
  end
  vim.cmd("silent write")
  result.remaining_codes = codes(bufnr)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  result.error = tostring(err)
end
write_result()
vim.cmd("qall!")
