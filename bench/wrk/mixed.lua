-- A mixed load: one request in ten logs a call (POST /activities) on a random
-- customer, the others read a random customer's profile. Each logged call's
-- notes carry a unique tag, so the script that runs wrk can count them in the
-- database afterwards and compare with the writes acknowledged here (201).
--   wrk -s mixed.lua URL -- TOKEN CUSTOMERS RUN_TAG
local token, customers, tag
local counter = 0
local pending = {}
function init(args)
  token, customers, tag = args[1], tonumber(args[2]), args[3]
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
  id = tostring({}):sub(8)
end
function request()
  counter = counter + 1
  local headers = { ["Authorization"] = "Bearer " .. token }
  local customer = math.random(1, customers)
  if counter % 10 == 0 then
    headers["Content-Type"] = "application/json"
    local body = string.format(
      '{"customer_id":%d,"kind":"call","occurred_at":"2026-06-30T10:00:00Z","notes":"%s-%s-%d"}',
      customer, tag, id, counter)
    return wrk.format("POST", "/api/v1/activities", headers, body)
  end
  return wrk.format("GET", "/api/v1/customers/" .. customer, headers)
end
created, reads, errors = 0, 0, 0
function response(status)
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    reads = reads + 1
  else
    errors = errors + 1
  end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done()
  local c, r, e = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); r = r + t:get("reads"); e = e + t:get("errors")
  end
  io.write(string.format("created %d\nreads %d\nerrors %d\n", c, r, e))
end
