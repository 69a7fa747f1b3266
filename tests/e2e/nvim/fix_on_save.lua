-- The README's setup, `require("standards_lsp").setup({ fix_all_on_save = true })`, applies the
-- server's safe fixes (source.fixAll.standards) when the file is written. Records what it saw
-- in a JSON file; the pytest side asserts.
-- Run as: nvim --headless --clean -u fix_on_save.lua, with the STANDARDS_E2E_* variables set.

vim.g.loaded_python3_provider = 0 -- otherwise each start probes for pynvim for 1-2 s

local env = {
  repo = os.getenv("STANDARDS_E2E_REPO"),
  file = os.getenv("STANDARDS_E2E_FILE"),
  code = os.getenv("STANDARDS_E2E_CODE"),
  result = os.getenv("STANDARDS_E2E_RESULT"),
}
-- Hang guard only: each wait returns as soon as its condition holds.
local WAIT_MS = 30000
local POLL_MS = 20
local CLIENT = "standards_lsp"

local result = { attached = false, diagnostic_seen = false, written = false, remaining_codes = {}, error = vim.NIL }

local function has_code(bufnr)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == env.code then
      return true
    end
  end
  return false
end

local function run()
  vim.opt.runtimepath:prepend(env.repo .. "/editors/nvim")
  vim.cmd("filetype on") -- with -u, filetype detection is not on yet and no client would attach
  vim.lsp.enable(CLIENT)
  require("standards_lsp").setup({ fix_all_on_save = true })
  vim.cmd.edit(vim.fn.fnameescape(env.file))
  local bufnr = vim.api.nvim_get_current_buf()

  result.attached = vim.wait(WAIT_MS, function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = CLIENT }) > 0
  end, POLL_MS)
  assert(result.attached, "the standards_lsp client did not attach")
  result.diagnostic_seen = vim.wait(WAIT_MS, function()
    return has_code(bufnr)
  end, POLL_MS)
  assert(result.diagnostic_seen, "no " .. env.code .. " diagnostic")

  vim.cmd("silent write")
  result.written = true
  vim.wait(WAIT_MS, function()
    return not has_code(bufnr)
  end, POLL_MS)
  result.remaining_codes = vim.tbl_map(function(d)
    return d.code
  end, vim.diagnostic.get(bufnr))
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  result.error = tostring(err)
end
local handle = assert(io.open(env.result, "w"))
handle:write(vim.json.encode(result))
handle:close()
vim.cmd("qall!")
