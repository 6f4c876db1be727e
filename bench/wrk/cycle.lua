-- Cycles through keys read from a file, one request per key in turn; each wrk thread starts at a different offset.
-- Usage: wrk ... -s bench/wrk/cycle.lua URL -- PATH_PREFIX KEY_FILE [PATH_SUFFIX]
--   request path = PATH_PREFIX .. key .. PATH_SUFFIX
-- done() prints one machine-readable line:
--   RESULT requests=N rps=R p50_us=.. p99_us=.. p999_us=.. max_us=.. non2xx=N socket_errors=N
local keys, prefix, suffix, i = {}, "", "", 0
local thread_no = 0

function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

function init(args)
  prefix = args[1] or "/"
  suffix = args[3] or ""
  for line in io.lines(args[2]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  i = ((thread_no or 0) * 7919) % #keys
end

function request()
  i = i % #keys + 1
  return wrk.format("GET", prefix .. keys[i] .. suffix)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
