-- Random reads of existing objects.
-- args: METHOD PREFIX PATHS_FILE AUTH [HEADER]
--   the request target is PREFIX .. urlencode(random path); AUTH is an Authorization header value or "-";
--   HEADER an extra "Name: value" header, e.g. "If-None-Match: *" (a stat without a body: wrk cannot
--   read answers to HEAD, whose Content-Length announces a body that never comes).
local method, prefix, paths, headers
function init(args)
  method = args[1]
  prefix = args[2]
  paths = load_lines(args[3])
  headers = {}
  local auth = arg_or_nil(args[4])
  if auth then headers["Authorization"] = auth end
  local extra = arg_or_nil(args[5])
  if extra then
    local name, value = extra:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  math.randomseed(1000 + tid)
end

function request()
  local p = paths[math.random(#paths)]
  return wrk.format(method, prefix .. urlencode(p), headers)
end
