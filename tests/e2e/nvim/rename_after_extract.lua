-- Rename after extract, as a user does it: the cursor on the STD201 finding, the
-- "Extract ... to module constant" quick fix applied through vim.lsp.buf.code_action (which
-- runs the action's standardsLsp.renameAt command, handled by editors/nvim's config), the
-- rename prompt answered with a new name (vim.ui.input stands in for the typing), the buffer
-- written. Records what it saw in a JSON file; the pytest side asserts.
-- Run as: nvim --headless --clean -u rename_after_extract.lua, with the STANDARDS_E2E_* variables.

vim.g.loaded_python3_provider = 0

local env = {
  repo = os.getenv("STANDARDS_E2E_REPO"),
  file = os.getenv("STANDARDS_E2E_FILE"),
  code = os.getenv("STANDARDS_E2E_CODE"),
  title_prefix = os.getenv("STANDARDS_E2E_TITLE_PREFIX"),
  new_name = os.getenv("STANDARDS_E2E_NEW_NAME"),
  result = os.getenv("STANDARDS_E2E_RESULT"),
}
local WAIT_MS = 30000 -- hang guard only
local POLL_MS = 20
local CLIENT = "standards_lsp"

local result = {
  attached = false,
  diagnostic_seen = false,
  chosen_title = vim.NIL,
  prompt_default = vim.NIL, -- what the rename prompt offered: the extracted constant's name
  renamed = false,
  remaining_codes = {},
  error = vim.NIL,
}

local function write_result()
  local handle = assert(io.open(env.result, "w"))
  handle:write(vim.json.encode(result))
  handle:close()
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

local function run()
  vim.opt.runtimepath:prepend(env.repo .. "/editors/nvim")
  vim.cmd("filetype on")
  vim.lsp.enable(CLIENT)
  -- The user's typing at the rename prompt.
  vim.ui.input = function(opts, on_confirm)
    result.prompt_default = opts.default or vim.NIL
    on_confirm(env.new_name)
  end
  vim.cmd.edit(vim.fn.fnameescape(env.file))
  local bufnr = vim.api.nvim_get_current_buf()

  result.attached = vim.wait(WAIT_MS, function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = CLIENT }) > 0
  end, POLL_MS)
  assert(result.attached, "the standards_lsp client did not attach")

  local diagnostic
  result.diagnostic_seen = vim.wait(WAIT_MS, function()
    diagnostic = vim.tbl_filter(function(d)
      return d.code == env.code
    end, vim.diagnostic.get(bufnr))[1]
    return diagnostic ~= nil
  end, POLL_MS)
  assert(result.diagnostic_seen, "no " .. env.code .. " diagnostic")

  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
  vim.lsp.buf.code_action({
    context = { only = { "quickfix" }, diagnostics = { diagnostic.user_data.lsp } },
    filter = function(action)
      local wanted = vim.startswith(action.title, env.title_prefix)
      if wanted then
        result.chosen_title = action.title
      end
      return wanted
    end,
    apply = true,
  })
  -- Renamed: the definition has the new name, and the proposed one is gone everywhere.
  result.renamed = vim.wait(WAIT_MS, function()
    local text = "\n" .. buffer_text(bufnr)
    local proposed = result.prompt_default
    return text:find("\n" .. env.new_name .. " = ", 1, true) ~= nil
      and type(proposed) == "string"
      and text:find(proposed, 1, true) == nil
  end, POLL_MS)
  assert(result.renamed, "not renamed; the buffer is:\n" .. buffer_text(bufnr))
  vim.cmd("silent write")
  vim.wait(WAIT_MS, function()
    return #vim.tbl_filter(function(d)
      return d.code == env.code
    end, vim.diagnostic.get(bufnr)) == 0
  end, POLL_MS)
  result.remaining_codes = vim.tbl_map(function(d)
    return d.code
  end, vim.diagnostic.get(bufnr))
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  result.error = tostring(err)
end
write_result()
vim.cmd("qall!")
