-- Uploads of one object per target until every target has been answered 201 (the table scenario's
-- "stage N objects"). Each answer names its path (the uploadObject answer's "path"); once every target
-- has been sent, whatever is still unanswered is sent once more (wrk may drop a request it generated),
-- and again each time 2 s pass without a new answer (at most 10 passes), while the connections ask for
-- /_health until the last answer comes. At that moment the script prints
-- `BENCH_STAGED <count> <seconds from the first request>` and ends wrk (its own stop does not end a
-- run early); a failed upload prints `BENCH_STAGE_ERROR <status> <body>` and ends it with status 1.
-- args: TARGETS_FILE AUTH SIZE (the targets' paths need no URL encoding)
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *tp);
]]
local function now()
  local t = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, t)  -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local targets, headers, body, health, started
local index, done = {}, {}
local cursor, rescan, remaining, passes, progress = 0, 0, 0, 1, 0
function init(args)
  targets = load_lines(args[1])
  for i, t in ipairs(targets) do index[t:match("[?&]path=([^&]*)")] = i end
  remaining = #targets
  headers = {}
  local auth = arg_or_nil(args[2])
  if auth then headers["Authorization"] = auth end
  body, headers["Content-Type"] = multipart_body(tonumber(args[3] or "16"))
  health = wrk.format("GET", "/_health")
end

function request()
  started = started or now()
  if cursor < #targets then
    cursor = cursor + 1
    return wrk.format("POST", targets[cursor], headers, body)
  end
  if rescan >= #targets and passes < 10 and now() - progress > 2 then
    passes, rescan = passes + 1, 0  -- nothing answered for 2 s: what is unanswered was dropped
  end
  while rescan < #targets do
    rescan = rescan + 1
    if not done[rescan] then
      return wrk.format("POST", targets[rescan], headers, body)
    end
  end
  return health
end

function response(status, headers, answer)
  if status == 201 then
    local i = index[answer:match('"path"%s*:%s*"([^"]*)"') or ""]
    if i and not done[i] then
      done[i] = true
      remaining = remaining - 1
      progress = now()
      if remaining == 0 then
        io.write(string.format("BENCH_STAGED %d %.6f\n", #targets, now() - started))
        io.flush()
        os.exit(0)
      end
    end
  elseif status >= 300 then
    io.write(string.format("BENCH_STAGE_ERROR %d %s\n", status, answer:sub(1, 300)))
    io.flush()
    os.exit(1)
  end
end
