-- Mixed load for bench/soak.sh: each request is, by weight, a local hit, a forwarded hit or the whole store ("all").
-- Usage: wrk ... -s bench/wrk/mixed.lua URL -- LOCAL_KEYS FWD_KEYS W_LOCAL W_FWD W_ALL [TAG]
--   LOCAL_KEYS / FWD_KEYS: files of words owned by / not owned by the instance at URL (one a line)
--   W_*: integer weights; the kind of each request is drawn at random with these weights
-- response() counts statuses and, per wall-clock second (os.time), responses and non-2xx, and which
-- X-IQ-Route-Version header was seen, so the soak can say what failed during a route reload window.
-- done() prints machine-readable lines, each starting with TAG (default MIX):
--   TAG RESULT requests=N rps=R p50_us=.. p99_us=.. p999_us=.. max_us=.. non2xx=N socket_errors=N
--       connect=N read=N write=N timeout=N sent_local=N sent_fwd=N sent_all=N
--   TAG STATUS code count            (one line per status code seen)
--   TAG SEC epoch responses non2xx   (one line per second)
--   TAG VER version count            (X-IQ-Route-Version values seen; "-" for none)
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_no", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local local_keys, fwd_keys = {}, {}
local w_local, w_fwd, w_all = 1, 1, 0
local li, fi = 0, 0
tag = "MIX"
sent_local, sent_fwd, sent_all = 0, 0, 0
statuses = {}
secs = {}
bad_secs = {}
versions = {}

local function read_keys(file)
  local t = {}
  for line in io.lines(file) do
    if #line > 0 then t[#t + 1] = line end
  end
  return t
end

function init(args)
  local_keys = read_keys(args[1])
  fwd_keys = read_keys(args[2])
  w_local = tonumber(args[3] or "1")
  w_fwd = tonumber(args[4] or "1")
  w_all = tonumber(args[5] or "0")
  tag = args[6] or "MIX"
  if #local_keys == 0 then w_local = 0 end
  if #fwd_keys == 0 then w_fwd = 0 end
  math.randomseed(os.time() + (thread_no or 0) * 7919)
  li = ((thread_no or 0) * 7919) % math.max(#local_keys, 1)
  fi = ((thread_no or 0) * 104729) % math.max(#fwd_keys, 1)
end

function request()
  local r = math.random() * (w_local + w_fwd + w_all)
  if r < w_local then
    li = li % #local_keys + 1
    sent_local = sent_local + 1
    return wrk.format("GET", "/state/keyvalue/word-count/" .. local_keys[li])
  elseif r < w_local + w_fwd then
    fi = fi % #fwd_keys + 1
    sent_fwd = sent_fwd + 1
    return wrk.format("GET", "/state/keyvalue/word-count/" .. fwd_keys[fi])
  else
    sent_all = sent_all + 1
    return wrk.format("GET", "/state/keyvalues/word-count/all")
  end
end

function response(status, headers, body)
  local s = os.time()
  statuses[status] = (statuses[status] or 0) + 1
  secs[s] = (secs[s] or 0) + 1
  if status < 200 or status > 299 then
    bad_secs[s] = (bad_secs[s] or 0) + 1
  end
  local v = headers["X-IQ-Route-Version"] or headers["x-iq-route-version"] or "-"
  versions[v] = (versions[v] or 0) + 1
end

local function add_into(dst, src)
  for k, v in pairs(src or {}) do dst[k] = (dst[k] or 0) + v end
end

function done(summary, latency, requests)
  local tag = "MIX"
  local e = summary.errors
  local st, sc, bs, vs = {}, {}, {}, {}
  local sl, sf, sa = 0, 0, 0
  for _, t in ipairs(threads) do
    add_into(st, t:get("statuses"))
    add_into(sc, t:get("secs"))
    add_into(bs, t:get("bad_secs"))
    add_into(vs, t:get("versions"))
    sl = sl + (t:get("sent_local") or 0)
    sf = sf + (t:get("sent_fwd") or 0)
    sa = sa + (t:get("sent_all") or 0)
    local tg = t:get("tag")
    if tg then tag = tg end
  end
  io.write(string.format("%s RESULT requests=%d rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d non2xx=%d " ..
    "socket_errors=%d connect=%d read=%d write=%d timeout=%d sent_local=%d sent_fwd=%d sent_all=%d\n",
    tag, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout, sl, sf, sa))
  for k, v in pairs(st) do io.write(string.format("%s STATUS %s %d\n", tag, tostring(k), v)) end
  for k, v in pairs(sc) do io.write(string.format("%s SEC %d %d %d\n", tag, k, v, bs[k] or 0)) end
  for k, v in pairs(vs) do io.write(string.format("%s VER %s %d\n", tag, tostring(k), v)) end
end
