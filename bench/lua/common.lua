-- Shared by every bench wrk script (bench/run prepends it): thread ids, reading the targets file,
-- and a machine-readable summary line for bench/run to parse.
local next_thread = 0
function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

function load_lines(file)
  local t = {}
  for line in io.lines(file) do
    if #line > 0 then t[#t + 1] = line end
  end
  assert(#t > 0, "no lines in " .. file)
  return t
end

-- args "-" means none
function arg_or_nil(v)
  if v == nil or v == "-" or v == "" then return nil end
  return v
end

-- SIZE bytes of pseudo-random content (seeded per thread) as a multipart/form-data body whose file
-- part is "content", as the Tarn API takes uploads: returns the body and its Content-Type
function multipart_body(size)
  math.randomseed(2000 + tid)
  local bytes = {}
  for i = 1, size do bytes[i] = string.char(math.random(0, 255)) end
  local boundary = "----tarnbench" .. tid .. "x" .. math.random(1, 1000000000)
  local body = "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="content"; filename="blob.bin"\r\n' ..
    "Content-Type: application/octet-stream\r\n\r\n" .. table.concat(bytes) .. "\r\n--" .. boundary .. "--\r\n"
  return body, "multipart/form-data; boundary=" .. boundary
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,' ..
    '"err_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean, e.connect, e.read,
    e.write, e.status, e.timeout))
end
