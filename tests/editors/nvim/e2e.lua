-- End-to-end run of c2py-lsp inside Neovim 0.7+ (headless), through the editor's own LSP client.
--
--   C2PY_LSP=build/.../c2py-lsp C2PY_E2E_WORK=<dir with lesson.c, lesson.py, ...> \
--   C2PY_E2E_OUT=<results.json> nvim --headless --clean -n -i NONE -c 'luafile e2e.lua'
--
-- It records what Neovim itself received and did (diagnostics in vim.diagnostic, the hover float's
-- lines, the code-action menu, the buffer after the fix) and writes it as JSON; test_neovim.py
-- asserts on it. Nothing here asserts, so one failing step never hides what the others saw.
-- Every wait has a timeout, and a watchdog ends Neovim if the whole run takes too long.

local server = assert(os.getenv('C2PY_LSP'), 'C2PY_LSP is not set')
local work = assert(os.getenv('C2PY_E2E_WORK'), 'C2PY_E2E_WORK is not set')
local out_path = assert(os.getenv('C2PY_E2E_OUT'), 'C2PY_E2E_OUT is not set')
local step_ms = tonumber(os.getenv('C2PY_E2E_STEP_MS') or '20000')
local total_ms = tonumber(os.getenv('C2PY_E2E_TOTAL_MS') or '90000')

local results = { nvim = vim.version(), errors = {}, cases = {}, published = {} }
local finished = false

local function finish()
  if finished then return end
  finished = true
  vim.fn.writefile({ vim.fn.json_encode(results) }, out_path)
  vim.cmd('qall!')
end

local function fail(message)
  table.insert(results.errors, message)
end

-- The watchdog: a libuv timer fires even while a vim.wait() is pending.
local watchdog = vim.loop.new_timer()
watchdog:start(total_ms, 0, vim.schedule_wrap(function()
  fail('watchdog: the run took longer than ' .. total_ms .. ' ms')
  finish()
end))

local function wait(what, condition)
  local ok = vim.wait(step_ms, condition, 20)
  if not ok then fail('timed out after ' .. step_ms .. ' ms waiting for ' .. what) end
  return ok
end

-- Every publishDiagnostics as the server sent it, then on to Neovim's own handler.
local published = results.published
local exit_info = {}
local client_id = vim.lsp.start_client({
  name = 'c2py',
  cmd = { server, '--stdio' },
  root_dir = work,
  init_options = { pythonVersion = '3.12' },
  settings = { c2py = { pythonVersion = '3.12' } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      table.insert(published, { uri = result.uri, version = result.version or vim.NIL, diagnostics = result.diagnostics })
      return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
    end,
  },
  on_exit = function(code, signal) exit_info.code = code; exit_info.signal = signal end,
})
if not client_id then
  fail('vim.lsp.start_client returned nil for ' .. server)
  finish()
  return
end

local function client() return vim.lsp.get_client_by_id(client_id) end

local function latest_publish(uri)
  for i = #published, 1, -1 do
    if published[i].uri == uri then return published[i] end
  end
end

local function codes_of(diagnostics)
  local codes = {}
  for _, d in ipairs(diagnostics or {}) do
    if d.source == 'c2py' and d.code then table.insert(codes, d.code) end
  end
  return codes
end

local function open(name)
  vim.cmd('edit ' .. vim.fn.fnameescape(work .. '/' .. name))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  return bufnr, vim.uri_from_bufnr(bufnr)
end

-- Put the cursor on the first match of a Lua pattern (plain text), at the match's start + offset.
local function cursor_at(bufnr, text, offset)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then
      vim.api.nvim_win_set_cursor(0, { i, col - 1 + (offset or 0) })
      return true
    end
  end
  fail('no line contains ' .. text)
  return false
end

-- vim.lsp.buf.hover(), the user's K, answered into the editor's hover float; returns its lines.
local function hover(case)
  local float_lines
  local received = false
  local original = vim.lsp.handlers['textDocument/hover']
  vim.lsp.handlers['textDocument/hover'] = function(err, result, ctx, config)
    received = true
    case.hover_error = err and err.message or vim.NIL
    local fbuf, fwin = original(err, result, ctx, config)
    if fbuf and vim.api.nvim_buf_is_valid(fbuf) then
      float_lines = vim.api.nvim_buf_get_lines(fbuf, 0, -1, false)
      if fwin and vim.api.nvim_win_is_valid(fwin) then vim.api.nvim_win_close(fwin, true) end
    end
  end
  vim.lsp.buf.hover()
  wait('the hover answer', function() return received end)
  vim.lsp.handlers['textDocument/hover'] = original
  return float_lines or {}
end

local function c_case(name, ident)
  local case = { file = name, ident = ident }
  results.cases[name] = case
  local bufnr, uri = open(name)
  case.filetype = vim.bo[bufnr].filetype
  wait('diagnostics for ' .. name, function()
    return #vim.diagnostic.get(bufnr) > 0 and latest_publish(uri) ~= nil
  end)
  case.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(case.diagnostics, { lnum = d.lnum, col = d.col, code = d.code or vim.NIL, source = d.source or vim.NIL,
                                     severity = d.severity, message = d.message })
  end

  if cursor_at(bufnr, 'malloc(') then case.hover_malloc = hover(case) end

  -- The code-action menu at the realloc line, as vim.lsp.buf.code_action() builds it; the choice
  -- is made through vim.ui.select, as a user would pick it.
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local version_before = vim.lsp.util.buf_versions[bufnr]
  if cursor_at(bufnr, ident .. ' = realloc(') then
    local offered
    local original_select = vim.ui.select
    vim.ui.select = function(items, opts, on_choice)
      offered = {}
      local chosen
      for i, item in ipairs(items) do
        local action = item[2]
        table.insert(offered, { title = opts.format_item(item), kind = action.kind or vim.NIL,
                                isPreferred = action.isPreferred or false, data = action.data or vim.NIL })
        if not chosen and action.kind == 'quickfix' and action.title:find('through a temporary', 1, true) then chosen = i end
      end
      case.chosen = chosen and offered[chosen].title or vim.NIL
      if chosen then on_choice(items[chosen], chosen) else on_choice(nil, nil) end
    end
    vim.lsp.buf.code_action()
    wait('the code-action menu', function() return offered ~= nil end)
    vim.ui.select = original_select
    case.code_actions = offered or {}
    if case.chosen ~= vim.NIL and case.chosen ~= nil then
      wait('the fix to change the buffer', function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end)
    end
  end
  case.lines_after_fix = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

  -- After the edit Neovim sends didChange; the server re-analyzes and publishes for that version.
  local version_after = vim.lsp.util.buf_versions[bufnr]
  case.version_before, case.version_after = version_before, version_after
  if version_after and version_after ~= version_before then
    wait('diagnostics for the edited version', function()
      local p = latest_publish(uri)
      return p and p.version ~= vim.NIL and p.version >= version_after
    end)
    local p = latest_publish(uri)
    case.codes_after_fix = p and codes_of(p.diagnostics) or {}
    case.version_published_after_fix = p and p.version or vim.NIL
  end
end

local function python_case(name)
  local case = { file = name }
  results.cases[name] = case
  local bufnr, uri = open(name)
  case.filetype = vim.bo[bufnr].filetype
  wait('the server to analyze ' .. name, function() return latest_publish(uri) ~= nil end)
  if cursor_at(bufnr, 'arr.append(1)', 4) then case.hover_append = hover(case) end

  -- Neovim 0.7 draws no inlay hints; ask for them as a newer client would.
  local lines = vim.api.nvim_buf_line_count(bufnr)
  local reply = client().request_sync('textDocument/inlayHint', {
    textDocument = { uri = uri },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = lines, character = 0 } },
  }, step_ms, bufnr)
  case.inlay_hints = {}
  if reply and reply.result then
    for _, hint in ipairs(reply.result) do
      local label = hint.label
      if type(label) == 'table' then
        local parts = {}
        for _, part in ipairs(label) do table.insert(parts, part.value) end
        label = table.concat(parts)
      end
      table.insert(case.inlay_hints, { line = hint.position.line, label = label })
    end
  else
    fail('textDocument/inlayHint: ' .. vim.inspect(reply and reply.err or 'no reply'))
  end

  -- The runtime model through its custom request, right after `arr.append(2)`.
  local append2 = nil
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if line:find('arr.append(2)', 1, true) then append2 = i - 1 end
  end
  if append2 then
    local snap = client().request_sync('c2py/heapSnapshot', {
      textDocument = { uri = uri }, position = { line = append2, character = 0 },
    }, step_ms, bufnr)
    if snap and snap.result then
      case.heap = { line = snap.result.line, complete = snap.result.complete, names = {}, types = {} }
      for _, object in ipairs(snap.result.objects or {}) do
        for _, n in ipairs(object.names or {}) do
          case.heap.names[n] = object.type
        end
      end
    else
      fail('c2py/heapSnapshot: ' .. vim.inspect(snap and snap.err or 'no reply'))
    end
  end
end

local ok, err = xpcall(function()
  vim.cmd('filetype on')
  wait('the server to initialize', function()
    local c = client()
    return c ~= nil and c.initialized == true
  end)
  results.server_capabilities = client() and client().server_capabilities or vim.NIL
  for _, spec in ipairs(vim.split(os.getenv('C2PY_E2E_C_CASES') or 'lesson.c:arr', ',', { plain = true })) do
    local name, ident = spec:match('^(.-):(.*)$')
    c_case(name, ident)
  end
  python_case('lesson.py')
  vim.lsp.stop_client(client_id)
  wait('the server to exit after shutdown', function() return exit_info.code ~= nil end)
  results.exit = exit_info
end, debug.traceback)
if not ok then fail('error: ' .. tostring(err)) end
finish()
