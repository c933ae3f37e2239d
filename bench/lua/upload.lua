-- Uploads of new 4 KiB objects, each to a fresh path.
-- args: STYLE PREFIX TAG AUTH SIZE
--   STYLE "multipart": POST PREFIX .. path with a multipart/form-data body (file part "content");
--   STYLE "put": PUT PREFIX .. path with the raw bytes as body (S3).
local style, prefix, tag, headers, body
local n = 0
function init(args)
  style = args[1]
  prefix = args[2]
  tag = args[3]
  local size = tonumber(args[5] or "4096")
  headers = {}
  local auth = arg_or_nil(args[4])
  if auth then headers["Authorization"] = auth end
  math.randomseed(2000 + tid)
  local bytes = {}
  for i = 1, size do bytes[i] = string.char(math.random(0, 255)) end
  local data = table.concat(bytes)
  if style == "multipart" then
    local boundary = "----tarnbench" .. tid .. "x" .. math.random(1, 1000000000)
    headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
    body = "--" .. boundary .. "\r\n" ..
      'Content-Disposition: form-data; name="content"; filename="blob.bin"\r\n' ..
      "Content-Type: application/octet-stream\r\n\r\n" .. data .. "\r\n--" .. boundary .. "--\r\n"
  else
    headers["Content-Type"] = "application/octet-stream"
    body = data
  end
end

function request()
  n = n + 1
  local path = "w/" .. tag .. "/t" .. tid .. "/o" .. n .. ".bin"
  return wrk.format(style == "multipart" and "POST" or "PUT", prefix .. urlencode(path), headers, body)
end
