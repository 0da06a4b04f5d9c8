-- Fleetgate dynamic upstreams (dev.fleetgate.agent.nginx). The agent POSTs the peers of every upstream to
-- /peers on the loopback admin server; they live in lua_shared_dict "fleetgate" (which survives reloads):
--   u:<upstream>  JSON {"serviceId","lbMethod","peers":[{"host","port","weight","backup","up","health",
--                 "maxFails","failTimeout"}]}, exactly as the agent encoded it
--   v:<upstream>  a number that changes with u:<upstream> (from the counter "gen")
--   f:<host:port> passive failures seen by the balancers (for /check)
-- Each worker decodes an upstream again only when its v: changed. balancer_by_lua picks a peer per try:
-- smooth weighted round robin, least connections or client-address hash, over peers that are up, not yet
-- tried by this request and not failed passively (max_fails/fail_timeout, per worker), backups last.
local balancer = require "ngx.balancer"
local cjson = require "cjson.safe"

local ngx = ngx
local dict = ngx.shared.fleetgate
local now = ngx.now
local crc32 = ngx.crc32_short
local math_min = math.min

local _M = {}
local unavailable
local cache = {}     -- upstream name -> {v, method, primary, backup, count}
local failures = {}  -- peer key -> {count, first}
local failing = 0    -- entries in failures
local conns = {}     -- peer key -> requests in flight (least_conn)
local lc_start = 0
local MAX_TRIES = 3

function _M.init(opts)
    unavailable = opts.unavailable
end

local function build(raw, v)
    local data = raw and cjson.decode(raw)
    if type(data) ~= "table" then
        return nil
    end
    local up = {v = v, method = data.lbMethod or "round_robin", primary = {}, backup = {}}
    for _, p in ipairs(data.peers or {}) do
        if p.up ~= false then
            local peer = {host = p.host, port = p.port, weight = p.weight or 1, key = p.host .. ":" .. p.port,
                          maxFails = p.maxFails or 1, failTimeout = p.failTimeout or 10, current = 0}
            local list = p.backup and up.backup or up.primary
            list[#list + 1] = peer
        end
    end
    up.count = #up.primary + #up.backup
    return up
end

local function upstream(name)
    local v = dict:get("v:" .. name)
    local c = cache[name]
    if c and c.v == v then
        return c
    end
    if not v then
        cache[name] = nil
        return nil
    end
    c = build(dict:get("u:" .. name), v)
    cache[name] = c
    return c
end

local function usable(peer, t)
    if failing == 0 or peer.maxFails == 0 then
        return true
    end
    local f = failures[peer.key]
    if not f then
        return true
    end
    if t - f.first > peer.failTimeout then
        failures[peer.key] = nil
        failing = failing - 1
        return true
    end
    return f.count < peer.maxFails
end

local function failed(peer)
    local t = now()
    local f = failures[peer.key]
    if not f or t - f.first > peer.failTimeout then
        if not f then
            failing = failing + 1
        end
        f = {count = 0, first = t}
        failures[peer.key] = f
    end
    f.count = f.count + 1
    dict:incr("f:" .. peer.key, 1, 0)
end

-- peers of list not tried by this request (and, when strict, not failed passively)
local function candidates(list, tried, strict, t)
    if not tried and (not strict or failing == 0) then
        return list
    end
    local out = {}
    for i = 1, #list do
        local p = list[i]
        if not (tried and tried[p.key]) and (not strict or usable(p, t)) then
            out[#out + 1] = p
        end
    end
    return out
end

local function round_robin(c)
    local best, total = nil, 0
    for i = 1, #c do
        local p = c[i]
        p.current = p.current + p.weight
        total = total + p.weight
        if not best or p.current > best.current then
            best = p
        end
    end
    best.current = best.current - total
    return best
end

local function least_conn(c)
    local n = #c
    lc_start = lc_start % n + 1
    local best, best_conns
    for j = 0, n - 1 do
        local p = c[(lc_start + j - 1) % n + 1]
        local k = conns[p.key] or 0
        if not best or k * best.weight < best_conns * p.weight then
            best, best_conns = p, k
        end
    end
    return best
end

local function ip_hash(c)
    local total = 0
    for i = 1, #c do
        total = total + c[i].weight
    end
    local h = crc32(ngx.var.remote_addr or "") % total
    for i = 1, #c do
        h = h - c[i].weight
        if h < 0 then
            return c[i]
        end
    end
    return c[#c]
end

local pickers = {round_robin = round_robin, least_conn = least_conn, ip_hash = ip_hash}

local function release(ctx)
    local key = ctx.fleetgate_conn
    if key then
        conns[key] = (conns[key] or 1) - 1
        ctx.fleetgate_conn = nil
    end
end

function _M.balance(name)
    local ctx = ngx.ctx
    local tried = ctx.fleetgate_tried
    if tried then
        local state = balancer.get_last_failure()
        if state == "failed" and ctx.fleetgate_peer then
            failed(ctx.fleetgate_peer)
        end
        release(ctx)
    end
    local c = upstream(name)
    if not c or c.count == 0 then
        local ok, err = balancer.set_current_peer(unavailable)
        if not ok then
            ngx.log(ngx.ERR, "fleetgate: ", err)
        end
        return
    end
    local t = now()
    local list = candidates(c.primary, tried, true, t)
    if #list == 0 then list = candidates(c.backup, tried, true, t) end
    if #list == 0 then list = candidates(c.primary, tried, false, t) end
    if #list == 0 then list = candidates(c.backup, tried, false, t) end
    if #list == 0 then list = #c.primary > 0 and c.primary or c.backup end
    local peer = (pickers[c.method] or round_robin)(list)
    if not tried then
        tried = {}
        ctx.fleetgate_tried = tried
        -- a peer that just closed a kept-alive connection or left: try another one (or the same once more)
        local more = math_min(c.count, MAX_TRIES) - 1
        balancer.set_more_tries(more > 0 and more or 1)
    end
    tried[peer.key] = true
    ctx.fleetgate_peer = peer
    if c.method == "least_conn" then
        conns[peer.key] = (conns[peer.key] or 0) + 1
        ctx.fleetgate_conn = peer.key
    end
    local ok, err = balancer.set_current_peer(peer.host, peer.port)
    if not ok then
        ngx.log(ngx.ERR, "fleetgate: cannot use peer ", peer.key, ": ", err)
    end
end

-- log phase of least_conn locations
function _M.done()
    release(ngx.ctx)
end

local function reply(status, body)
    ngx.status = status
    ngx.header.content_type = "application/json"
    ngx.say(cjson.encode(body))
    return ngx.exit(status)
end

-- POST /peers {"upstreams": {"<name>": "<JSON of the upstream>"}, "prune": true|false}
function _M.update()
    if ngx.req.get_method() ~= "POST" then
        return reply(405, {error = "POST only"})
    end
    ngx.req.read_body()
    local body = ngx.req.get_body_data()
    local data = body and cjson.decode(body)
    if type(data) ~= "table" or type(data.upstreams) ~= "table" then
        return reply(400, {error = "expected {\"upstreams\": {name: json}}"})
    end
    local changed, removed = 0, 0
    for name, raw in pairs(data.upstreams) do
        if type(raw) ~= "string" or not cjson.decode(raw) then
            return reply(400, {error = "upstream " .. tostring(name) .. ": not a JSON string"})
        end
        if dict:get("u:" .. name) ~= raw then
            local ok, err = dict:set("u:" .. name, raw)
            if not ok then
                return reply(500, {error = "shared dict: " .. err})
            end
            dict:set("v:" .. name, dict:incr("gen", 1, 0))
            changed = changed + 1
        end
    end
    if data.prune then
        for _, key in ipairs(dict:get_keys(0)) do
            if key:sub(1, 2) == "u:" and data.upstreams[key:sub(3)] == nil then
                dict:delete(key)
                dict:delete("v:" .. key:sub(3))
                removed = removed + 1
            end
        end
    end
    return reply(200, {changed = changed, removed = removed})
end

-- a JSON array of already encoded items (Debian's lua-cjson encodes an empty table as {})
local function array(items)
    return "[" .. table.concat(items, ",") .. "]"
end

-- GET /check: per upstream, per peer: up/down, health state, passive failures
function _M.check()
    local names = {}
    for _, key in ipairs(dict:get_keys(0)) do
        if key:sub(1, 2) == "u:" then
            names[#names + 1] = key:sub(3)
        end
    end
    table.sort(names)
    local out = {}
    for _, name in ipairs(names) do
        local data = cjson.decode(dict:get("u:" .. name) or "")
        if type(data) == "table" then
            local peers, up, down = {}, 0, 0
            for _, p in ipairs(data.peers or {}) do
                local address = p.host .. ":" .. p.port
                local ok = p.up ~= false
                peers[#peers + 1] = cjson.encode({address = address, target = p.target, weight = p.weight,
                    backup = p.backup or false, up = ok, health = p.health,
                    passiveFailures = dict:get("f:" .. address) or 0})
                if ok then up = up + 1 else down = down + 1 end
            end
            local head = cjson.encode({name = name, serviceId = data.serviceId, lbMethod = data.lbMethod,
                up = up, down = down})
            out[#out + 1] = head:sub(1, -2) .. ',"peers":' .. array(peers) .. "}"
        end
    end
    ngx.header.content_type = "application/json"
    ngx.say('{"upstreams":' .. array(out) .. "}")
end

return _M
