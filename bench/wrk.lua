-- wrk script: one request shape, a cap on requests, status counts, a JSON summary.
-- wrk -s bench/wrk.lua URL -- METHOD MAX_REQUESTS BODY_FILE "Header: value" ...
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local method, body_file = args[1] or "GET", args[3] or ""
  limit = tonumber(args[2] or "0")
  local body = nil
  if body_file ~= "" and body_file ~= "-" then
    local f = assert(io.open(body_file, "rb"))
    body = f:read("*a")
    f:close()
  end
  local headers = {}
  for i = 4, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  req = wrk.format(method, nil, headers, body)
  statuses = {}
  count = 0
end

function request()
  return req
end

function response(status, headers, body)
  statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
  count = count + 1
  if limit > 0 and count >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, '
      .. '"mean_us": %.1f, "max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status,
    e.timeout, table.concat(parts, ", ")))
end
