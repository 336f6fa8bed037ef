-- The benchmark's wrk script (bench/run.py): counts the responses that are not 2xx
-- (a redirect to the sign-in page is an error here), rotates over BENCH_PATHS
-- (comma-separated) when given, and stops each thread after BENCH_LIMIT responses
-- when given (the memory run); prints p50/p95/p99 in microseconds.
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^,]+") do
  table.insert(paths, path)
end
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  received = 0
  non2xx = 0
end

if #paths > 0 then
  function request()
    sent = sent + 1
    return wrk.format(nil, paths[(sent % #paths) + 1])
  end
end

function response(status, headers, body)
  received = received + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if limit > 0 and received >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non2xx")
  end
  io.write(string.format("NON2XX %d\n", total))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("P%d_US %d\n", p, latency:percentile(p)))
  end
end
