-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script of figure 6: GET /api/v1/changes?since=S&limit=L with S drawn at random from
-- $CAUNOI_BENCH_SINCE_MIN…$CAUNOI_BENCH_SINCE_MAX, each request with the next token of
-- $CAUNOI_BENCH_TOKENS (one a line: the district users).
local tokens = {}
for line in io.lines(os.getenv("CAUNOI_BENCH_TOKENS")) do
  tokens[#tokens + 1] = line
end
local since_min = tonumber(os.getenv("CAUNOI_BENCH_SINCE_MIN") or "0")
local since_max = tonumber(os.getenv("CAUNOI_BENCH_SINCE_MAX") or "0")
local limit = os.getenv("CAUNOI_BENCH_LIMIT") or "50"
local n = 0

function init(args)
  math.randomseed(6 + (tonumber(args[1]) or 0))
end

function request()
  local since = since_min
  n = n + 1
  if since_max > since_min then
    since = math.random(since_min, since_max)
  end
  return wrk.format("GET", "/api/v1/changes?since=" .. since .. "&limit=" .. limit,
                    { ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] })
end

dofile(os.getenv("CAUNOI_BENCH_WRK_REPORT"))
