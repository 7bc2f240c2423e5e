-- wrk script for hj212-load.sh's READERS: each request is a trend query of a random simulated
-- station, as a dashboard's chart asks for it: the last hour by minute, or the last day by hour.
-- Arguments (after wrk's `--`): the number of stations, then the API token.
local stations = 1000
local token = ""
-- The parameters of each kind of simulated station (SyntheticStations: by (index - 1) % 4).
local parameters = {
  {"PM2.5", "PM10", "NO2", "O3"},          -- ambient air
  {"COD", "NH3-N", "TP", "Q-water"},       -- discharge outlet
  {"Dust", "SO2", "NOx", "Q-gas"},         -- stack
  {"DO", "CODMn", "NH3-N", "TP"},          -- surface water
}
local shapes = {"from=now-1h&step=1m", "from=now-1d&step=1h"}

function init(args)
  stations = tonumber(args[1]) or stations
  token = args[2] or ""
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  local index = math.random(stations)
  local own = parameters[(index - 1) % 4 + 1]
  local path = string.format("/api/v1/query?station=sim-%04d&parameter=%s&kind=realtime&%s",
    index, own[math.random(#own)], shapes[math.random(#shapes)])
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("readers: HTTP " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end
