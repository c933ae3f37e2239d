-- A mix of uploads, stats and listings on one connection pool, in a fixed cycle of four requests:
-- upload, stat, listing, stat (a quarter uploads, half stats, a quarter listings).
-- args: STAT_TARGETS LIST_TARGETS UPLOAD_TARGETS AUTH
--   STAT_TARGETS and LIST_TARGETS: request targets picked at random (statObject, listObjects);
--   UPLOAD_TARGETS: uploadObject targets to fresh paths, in order (4 KiB multipart bodies);
--   AUTH: the Authorization header value.
local stats, lists, uploads, headers, upload_headers, body
local n, u = 0, 0
function init(args)
  stats = load_lines(args[1])
  lists = load_lines(args[2])
  uploads = load_lines(args[3])
  headers = {Authorization = args[4]}
  math.randomseed(3000 + tid)
  local bytes = {}
  for i = 1, 4096 do bytes[i] = string.char(math.random(0, 255)) end
  local boundary = "----tarnbenchmixed" .. tid
  upload_headers = {Authorization = args[4], ["Content-Type"] = "multipart/form-data; boundary=" .. boundary}
  body = "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="content"; filename="blob.bin"\r\n' ..
    "Content-Type: application/octet-stream\r\n\r\n" .. table.concat(bytes) .. "\r\n--" .. boundary .. "--\r\n"
end

function request()
  n = n + 1
  local slot = n % 4
  if slot == 1 then
    u = u % #uploads + 1
    return wrk.format("POST", uploads[u], upload_headers, body)
  elseif slot == 3 then
    return wrk.format("GET", lists[math.random(#lists)], headers)
  end
  return wrk.format("GET", stats[math.random(#stats)], headers)
end
