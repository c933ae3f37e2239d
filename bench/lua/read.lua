-- Random reads of existing objects.
-- args: METHOD TARGETS_FILE AUTH [HEADER]
--   TARGETS_FILE holds one request target per line (path and query, already encoded: plain paths for
--   nginx, presigned URLs for S3Proxy, API URLs for Tarn); each request picks one at random.
--   AUTH is an Authorization header value or "-"; HEADER an extra "Name: value" header, e.g.
--   "If-None-Match: *" (a stat without a body: wrk cannot read answers to HEAD, whose
--   Content-Length announces a body that never comes).
local method, targets, headers
function init(args)
  method = args[1]
  targets = load_lines(args[2])
  headers = {}
  local auth = arg_or_nil(args[3])
  if auth then headers["Authorization"] = auth end
  local extra = arg_or_nil(args[4])
  if extra then
    local name, value = extra:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  math.randomseed(1000 + tid)
end

function request()
  return wrk.format(method, targets[math.random(#targets)], headers)
end
