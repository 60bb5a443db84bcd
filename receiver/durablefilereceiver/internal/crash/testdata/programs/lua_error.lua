-- An uncaught Lua error: the interpreter prints "lua5.4: file:line: message" and a
-- "stack traceback:" of tab-indented frames, after an ordinary line.
print(os.date("!%Y-%m-%dT%H:%M:%SZ") .. " INFO loading plugin list")
io.stdout:flush()
local function load_plugin(name)
  local plugins = { auth = true }
  if not plugins[name] then
    error("unknown plugin: " .. name)
  end
end
load_plugin("metrics")
