-- Uploads of new objects, one per target, in order (the list wraps around if the run outlasts it).
-- args: STYLE TARGETS_FILE AUTH [SIZE]
--   STYLE "multipart": POST with a multipart/form-data body (file part "content"), the Tarn API;
--   STYLE "put": PUT with the raw bytes as body (S3; the targets are presigned URLs).
--   SIZE bytes of pseudo-random content (default 4096).
local style, targets, headers, body
local n = 0
function init(args)
  style = args[1]
  targets = load_lines(args[2])
  local size = tonumber(args[4] or "4096")
  headers = {}
  local auth = arg_or_nil(args[3])
  if auth then headers["Authorization"] = auth end
  if style == "multipart" then
    body, headers["Content-Type"] = multipart_body(size)
  else
    math.randomseed(2000 + tid)
    local bytes = {}
    for i = 1, size do bytes[i] = string.char(math.random(0, 255)) end
    headers["Content-Type"] = "application/octet-stream"
    body = table.concat(bytes)
  end
end

function request()
  n = n % #targets + 1
  return wrk.format(style == "multipart" and "POST" or "PUT", targets[n], headers, body)
end
