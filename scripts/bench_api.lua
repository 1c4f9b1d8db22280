-- wrk script for `make bench-api` (scripts/bench_api.py): prints one line, "BENCH {json}",
-- with the request count, latency percentiles (microseconds) and errors. With an argument
-- (a file of lines "path<TAB>If-None-Match value or nothing") it rotates over those requests.
local requests_file = {}
local index = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      local path, etag = line:match("^([^\t]*)\t?(.*)$")
      table.insert(requests_file, { path = path, etag = etag })
    end
    -- Each thread starts elsewhere in the rotation.
    index = ((thread_number or 1) * 7919) % #requests_file
  end
end

function request()
  if #requests_file == 0 then
    return wrk.request()
  end
  index = index % #requests_file + 1
  local entry = requests_file[index]
  local headers = {}
  if entry.etag ~= "" then
    headers["If-None-Match"] = entry.etag
  end
  return wrk.format("GET", entry.path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
