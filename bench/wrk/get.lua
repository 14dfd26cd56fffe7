-- GET one of many paths in turn, with the bearer token.
--   wrk -s get.lua URL -- TOKEN PATH_PREFIX FIRST LAST [SUFFIX]
-- requests PATH_PREFIX .. n .. SUFFIX for n drawn uniformly from FIRST..LAST,
-- or PATH_PREFIX alone when FIRST is 0.
local token, prefix, first, last, suffix
function init(args)
  token, prefix = args[1], args[2]
  first, last = tonumber(args[3]), tonumber(args[4])
  suffix = args[5] or ""
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
end
function request()
  local path = prefix
  if first > 0 then path = prefix .. math.random(first, last) .. suffix end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
errors = 0  -- global: done() reads it from every thread
function response(status)
  if status ~= 200 then errors = errors + 1 end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done()
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("errors") end
  io.write(string.format("non_200 %d\n", total))
end
