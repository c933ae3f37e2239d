-- Branch creation: POST URL with {"name": fresh name, "source": SOURCE}.
-- args: URL TAG SOURCE AUTH
local url, tag, source, headers
local n = 0
function init(args)
  url = args[1]
  tag = args[2]
  source = args[3]
  headers = {["Content-Type"] = "application/json"}
  local auth = arg_or_nil(args[4])
  if auth then headers["Authorization"] = auth end
end

function request()
  n = n + 1
  local body = string.format('{"name":"b%s-%d-%d","source":"%s"}', tag, tid, n, source)
  return wrk.format("POST", url, headers, body)
end
