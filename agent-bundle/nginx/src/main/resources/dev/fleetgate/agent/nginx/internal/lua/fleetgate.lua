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
local rv             -- r:v last seen by this worker: it changes with the routes, the reload drain flag, the peers of
                     -- any upstream and the firewall blocks, and every request reads it once (see routes())

-- Marks a change for every worker: bumps r:v, the one key each request reads. (A document stored by an older
-- fleetgate.lua has no r:dv: it is pinned to the current r:v so that the bump does not compile it again.)
local function bump()
    if not dict:get("r:dv") and dict:get("r:v") then
        dict:set("r:dv", dict:get("r:v"))
    end
    dict:set("r:v", dict:incr("gen", 1, 0))
end

-- Reads a file written by the agent (0600) into the shared dict when the dict does not hold it yet: at the
-- first start of a master (init_by_lua runs in the master before it forks workers, so nothing is served
-- before the routes are there); after a reload (SIGHUP) the shared dict already holds the live state.
local function restore(path, apply)
    if not path then
        return
    end
    local f = io.open(path, "rb")
    if not f then
        return
    end
    local raw = f:read("*a")
    f:close()
    local ok, err = apply(raw)
    if not ok then
        ngx.log(ngx.ERR, "fleetgate: not restoring ", path, ": ", err)
    end
end

function _M.init(opts)
    unavailable = opts.unavailable
    _M.firewall_init(opts)
    if not dict:get("r:doc") then -- (not r:v: a reload drain sets it even without a document)
        restore(opts.routes, _M.set_routes)
    end
    if not dict:get("p:restored") then
        restore(opts.peers, function(raw)
            local data = cjson.decode(raw)
            if type(data) ~= "table" or type(data.upstreams) ~= "table" then
                return nil, "not a peers document"
            end
            for name, json in pairs(data.upstreams) do
                if type(name) == "string" and type(json) == "string" and not dict:get("u:" .. name) then
                    dict:set("u:" .. name, json)
                    dict:set("v:" .. name, dict:incr("gen", 1, 0))
                end
            end
            dict:set("p:restored", true)
            bump()
            return true
        end)
    end
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

-- "v:<name>" per upstream name, made once per worker (no string built per request)
local vkeys = setmetatable({}, {__index = function(t, name)
    local key = "v:" .. name
    t[name] = key
    return key
end})

-- The upstream's peers as this worker last built them. A peers push bumps r:v too, so an entry checked at the r:v
-- this request already read (routes()) is current without a shared-dict read: the balancer reads none.
local function upstream(name)
    local c = cache[name]
    if c and rv and c.rv == rv then
        return c
    end
    local v = dict:get(vkeys[name])
    if c and c.v == v then
        c.rv = rv
        return c
    end
    if not v then
        cache[name] = nil
        return nil
    end
    c = build(dict:get("u:" .. name), v)
    c.rv = rv
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
    name = name or ctx.fg_upstream
    local timeouts = ctx.fg_timeouts
    if timeouts then
        balancer.set_timeouts(timeouts[1], timeouts[2], timeouts[3])
    end
    local tried = ctx.fleetgate_tried
    if tried then
        if type(tried) == "string" then
            -- a retry: the first try kept only its peer's key (no table per request)
            tried = {[tried] = true}
            ctx.fleetgate_tried = tried
        end
        local state = balancer.get_last_failure()
        if state == "failed" and ctx.fleetgate_peer then
            failed(ctx.fleetgate_peer)
        end
        release(ctx)
    end
    local c = upstream(name)
    if not c or c.count == 0 then
        ctx.fg_unavailable = true -- pages: this 503 is nginx's (no healthy target), not the upstream's
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
        ctx.fleetgate_tried = peer.key
        -- a peer that just closed a kept-alive connection or left: try another one (or the same once more)
        local more = math_min(c.count, MAX_TRIES) - 1
        balancer.set_more_tries(more > 0 and more or 1)
    else
        tried[peer.key] = true
    end
    ctx.fleetgate_peer = peer
    if c.method == "least_conn" and ctx.fg_lc then
        conns[peer.key] = (conns[peer.key] or 0) + 1
        ctx.fleetgate_conn = peer.key
    end
    local ok, err = balancer.set_current_peer(peer.host, peer.port)
    if not ok then
        ngx.log(ngx.ERR, "fleetgate: cannot use peer ", peer.key, ": ", err)
    end
end

-- log phase: releases a least_conn slot
function _M.done()
    local ctx = ngx.ctx
    if ctx.fleetgate_conn then
        release(ctx)
    end
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
    if changed > 0 or removed > 0 then
        bump()
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

-- ---------------------------------------------------------------------------------------------------------
-- Routing by Host in Lua. The agent POSTs ONE document to /routes on the admin socket:
--   {"version": <revision>, "listeners": {"<addr:port>": {"names": {"<name or *.suffix>": <site index>}}},
--    "sites": [{"service", "locations": [{"path", "exact", "upstream" | "acme"}], "rules": [["allow"|"deny",
--               "<cidr|all>"]], "maxBody", "timeouts": [connect, send, read], "requestHeaders": {name: value},
--               "responseHeaders": {name: value}, "websockets", "keepalive", "errorPages": {"<status>":
--               {"type", "body"}}, "problems": {"<status>": json},
--               "maintenance": {"rules", "retryAfter"}, "redirect": {"port", "forwarded"?}, "certificate": "<id>"}],
--    "certificates": {"<id>": {"cert": PEM, "key": PEM, "ocsp"?: base64 DER, "ocspNextUpdate"?: epoch s}}}
-- It is decoded and compiled (every field checked) before it replaces the live one: r:doc = the JSON,
-- r:v = a counter. A worker compiles it again only when r:v changed (one shared-dict read per request).
-- ---------------------------------------------------------------------------------------------------------
local bit = require "bit"
local band = bit.band
local str_byte = string.byte
local str_find = string.find
local str_sub = string.sub
local HEADER = "^[!#$%%&'*+.^_`|~0-9A-Za-z-]+$"
local VARS = {host = "fg_h_host", ["x-real-ip"] = "fg_h_real_ip", ["x-forwarded-for"] = "fg_h_xff",
              ["x-forwarded-proto"] = "fg_h_proto", ["x-forwarded-host"] = "fg_h_xfh",
              connection = "fg_connection", upgrade = "fg_upgrade"}

local rdv           -- version of the document compiled by this worker (r:dv)
local routes_c      -- compiled routes of this worker
local draining      -- reload drain (r:drain, see "Reload drain" at the end): answers close their connection
local fw_scopes     -- firewall blocks (fw:scopes): {["*"] = global blocks, [service] = blocks of it}, nil = none
local certs_c = {}  -- certificate id -> {cert, key} parsed (cdata), for version rv_certs
local rv_certs

-- an IPv4 / IPv6 address (text) -> its bytes, or nil
local function ip_bytes(text)
    if str_find(text, ":", 1, true) then
        local head, tail = text:match("^([0-9a-fA-F:]*)::([0-9a-fA-F:]*)$")
        local groups = {}
        local function add(part)
            if part == "" then return true end
            for g in (part .. ":"):gmatch("([^:]*):") do
                if not g:match("^[0-9a-fA-F][0-9a-fA-F]?[0-9a-fA-F]?[0-9a-fA-F]?$") then return false end
                groups[#groups + 1] = tonumber(g, 16)
            end
            return true
        end
        if head then
            if not add(head) then return nil end
            local left = #groups
            local rest = {}
            local saved = groups
            groups = rest
            if not add(tail) then return nil end
            groups = saved
            if left + #rest > 7 then return nil end
            for _ = 1, 8 - left - #rest do groups[#groups + 1] = 0 end
            for i = 1, #rest do groups[#groups + 1] = rest[i] end
        else
            if not add(text) or #groups ~= 8 then return nil end
        end
        local out = {}
        for i = 1, 8 do
            out[#out + 1] = string.char(math.floor(groups[i] / 256), groups[i] % 256)
        end
        return table.concat(out)
    end
    local a, b, c, d = text:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
    a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
    if not (a and a < 256 and b < 256 and c < 256 and d < 256) then
        return nil
    end
    return string.char(a, b, c, d)
end

-- {"allow"|"deny", "<cidr>|all"} -> {allow, len, prefix, nbytes, mask, last}
local function compile_rule(r)
    if type(r) ~= "table" or (r[1] ~= "allow" and r[1] ~= "deny") or type(r[2]) ~= "string" then
        return nil, "a rule must be [\"allow\"|\"deny\", source]"
    end
    local rule = {allow = r[1] == "allow"}
    if r[2] == "all" then
        rule.all = true
        return rule
    end
    local addr, bits = r[2]:match("^([^/]+)/(%d+)$")
    addr = addr or r[2]
    local bytes = ip_bytes(addr)
    if not bytes then
        return nil, "not an IP address: " .. r[2]
    end
    bits = tonumber(bits) or #bytes * 8
    if bits > #bytes * 8 then
        return nil, "prefix too long: " .. r[2]
    end
    rule.len = #bytes
    rule.nbytes = math.floor(bits / 8)
    rule.prefix = str_sub(bytes, 1, rule.nbytes)
    local rem = bits % 8
    if rem > 0 then
        rule.mask = 256 - 2 ^ (8 - rem)
        rule.last = band(str_byte(bytes, rule.nbytes + 1), rule.mask)
    end
    return rule
end

-- an IPv4-mapped IPv6 address (::ffff:a.b.c.d, a client of a dual-stack listener) is matched by IPv4 rules as
-- a.b.c.d, as nginx's allow/deny do (and by IPv6 rules as itself)
local MAPPED = string.rep("\0", 10) .. "\255\255"

local function matches(r, addr)
    return #addr == r.len and str_sub(addr, 1, r.nbytes) == r.prefix
            and (not r.mask or band(str_byte(addr, r.nbytes + 1), r.mask) == r.last)
end

local function allowed(rules)
    local addr = ngx.var.binary_remote_addr
    local v4 = #addr == 16 and str_sub(addr, 1, 12) == MAPPED and str_sub(addr, 13)
    for i = 1, #rules do
        local r = rules[i]
        if r.all or matches(r, addr) or (v4 and r.len == 4 and matches(r, v4)) then
            return r.allow
        end
    end
    return true
end

local function text(v)
    return type(v) == "string" and not str_find(v, "[%z\1-\31\127]")
end

-- ---------------------------------------------------------------------------------------------------------
-- Pages module (bundles/pages): which answers a site's pages replace, the request id in pages, the page of an
-- unknown host. Routing-document fields:
--   sites[i].upstreamStatuses: [status]  the statuses whose page also replaces an UPSTREAM's own answer; the
--       others replace only answers nginx made itself (no healthy target, refused connection, timeout, access
--       rules, maintenance, no location). Absent: every page replaces whoever answered (before the pages module).
--   fallback: {"type", "body", "problem"}  the 404 page (and its problem+json) of a Host no site serves.
-- A page's "__FLEETGATE_REQUEST_ID__" is replaced by $request_id when it is served.
-- ---------------------------------------------------------------------------------------------------------
local REQUEST_ID = "__FLEETGATE_REQUEST_ID__"

local function compile_site_pages(s, f, site)
    local u = s.upstreamStatuses
    if u == nil then return true end
    if type(u) ~= "table" then return nil, f .. ".upstreamStatuses is not an array" end
    site.upstream_pages = {}
    for k, status in ipairs(u) do
        if type(status) ~= "number" or status < 400 or status > 599 then
            return nil, f .. ".upstreamStatuses[" .. (k - 1) .. "] must be a status 400..599"
        end
        site.upstream_pages[status] = true
    end
    return true
end

local function compile_fallback(fb)
    if fb == nil then return nil end
    if type(fb) ~= "table" or not text(fb.type) or type(fb.body) ~= "string"
            or (fb.problem ~= nil and type(fb.problem) ~= "string") then
        return nil, "fallback must be {type, body, problem}"
    end
    return {type = fb.type, body = fb.body, problem = fb.problem}
end

local function with_request_id(body)
    if str_find(body, REQUEST_ID, 1, true) then
        return (body:gsub(REQUEST_ID, ngx.var.request_id or ""))
    end
    return body
end

-- whether nginx made this answer itself: the no-healthy-target socket, or no upstream header was received
-- (refused/failed connection, timeout, an answer of the access phase); the last try is the one answered
local function from_nginx(ctx)
    if ctx.fg_unavailable then return true end
    local t = ngx.var.upstream_header_time
    if not t or t == "" then return true end
    return t:match("([^,%s]+)%s*$") == "-"
end

local function replaces(ctx, site, status)
    local only = site.upstream_pages
    return only == nil or only[status] == true or from_nginx(ctx)
end

-- a Host no site serves: the fleet-wide 404 page (problem+json for JSON clients), else plain text
local function unknown_host()
    local fb = routes_c and routes_c.fallback
    local accept = fb and fb.problem and ngx.var.http_accept
    local json = accept and str_find(accept, "json", 1, true)
    local body = fb and with_request_id(json and fb.problem or fb.body) or "404 unknown host\n"
    ngx.status = 404
    ngx.header.content_type = fb and (json and "application/problem+json" or fb.type) or "text/plain"
    ngx.header.content_length = #body
    ngx.print(body)
    return ngx.exit(404)
end

local function compile_site(s, i, certificates)
    local f = "sites[" .. (i - 1) .. "]"
    if type(s) ~= "table" then return nil, f .. " is not an object" end
    local site = {service = s.service, websockets = s.websockets == true, maxBody = s.maxBody or 0,
                  keepalive = s.keepalive ~= false}
    if s.service ~= nil and not text(s.service) then return nil, f .. ".service is not a text" end
    if type(site.maxBody) ~= "number" or site.maxBody < 0 then return nil, f .. ".maxBody must be >= 0" end
    local t = s.timeouts or {5, 60, 60}
    if type(t) ~= "table" or #t ~= 3 then return nil, f .. ".timeouts must be [connect, send, read]" end
    for k = 1, 3 do
        if type(t[k]) ~= "number" or t[k] < 1 then return nil, f .. ".timeouts must be at least 1 s" end
    end
    -- seconds: ngx.balancer.set_timeouts multiplies by 1000 itself; the defaults are nginx.conf's proxy_*_timeout
    -- (5 s, 60 s, 60 s), so that most requests make no set_timeouts call
    if t[1] ~= 5 or t[2] ~= 60 or t[3] ~= 60 then
        site.timeouts = {t[1], t[2], t[3]}
    end
    site.locations = {}
    if type(s.locations) ~= "table" then return nil, f .. ".locations is not an array" end
    for k, l in ipairs(s.locations) do
        local lf = f .. ".locations[" .. (k - 1) .. "]"
        if type(l) ~= "table" or not text(l.path) or str_sub(l.path, 1, 1) ~= "/" then
            return nil, lf .. ".path must start with /"
        end
        if (l.upstream == nil) == (l.acme ~= true) then return nil, lf .. " needs exactly one of upstream and acme" end
        if l.upstream ~= nil and not text(l.upstream) then return nil, lf .. ".upstream is not a text" end
        site.locations[k] = {path = l.path, exact = l.exact == true, upstream = l.upstream, acme = l.acme == true,
                             leastConn = l.leastConn == true}
        if l.leastConn == true then site.leastConn = true end
    end
    site.root_only = #site.locations == 1 and not site.locations[1].exact and site.locations[1].path == "/"
    if s.rules ~= nil then
        if type(s.rules) ~= "table" then return nil, f .. ".rules is not an array" end
        local rules = {}
        for k, r in ipairs(s.rules) do
            local rule, err = compile_rule(r)
            if not rule then return nil, f .. ".rules[" .. (k - 1) .. "]: " .. err end
            rules[k] = rule
        end
        if #rules > 0 then site.rules = rules end
    end
    local function headers(name)
        local h = s[name]
        if h == nil then return {} end
        if type(h) ~= "table" then return nil, f .. "." .. name .. " is not an object" end
        local out = {}
        for k, v in pairs(h) do
            if type(k) ~= "string" or not k:match(HEADER) then return nil, f .. "." .. name .. ": bad name " .. tostring(k) end
            if not text(v) then return nil, f .. "." .. name .. "." .. k .. " is not a header value" end
            out[#out + 1] = {k, v}
        end
        table.sort(out, function(a, b) return a[1] < b[1] end)
        return out
    end
    local req, err = headers("requestHeaders")
    if not req then return nil, err end
    site.vars, site.set = {}, {}
    for _, h in ipairs(req) do
        local var = VARS[h[1]:lower()]
        if var then site.vars[#site.vars + 1] = {var, h[2]} else site.set[#site.set + 1] = h end
    end
    if #site.vars == 0 then site.vars = nil end
    if #site.set == 0 then site.set = nil end
    local resp
    resp, err = headers("responseHeaders")
    if not resp then return nil, err end
    if #resp > 0 then site.responseHeaders = resp end
    if s.errorPages ~= nil then
        if type(s.errorPages) ~= "table" then return nil, f .. ".errorPages is not an object" end
        site.pages = {}
        for status, page in pairs(s.errorPages) do
            local code = tonumber(status)
            if not code or code < 400 or code > 599 or type(page) ~= "table" or not text(page.type)
                    or type(page.body) ~= "string" then
                return nil, f .. ".errorPages." .. tostring(status) .. " must be {type, body} for a status 400..599"
            end
            site.pages[code] = page
        end
        if next(site.pages) == nil then site.pages = nil end
    end
    if s.problems ~= nil then
        -- problem+json bodies of the pages, for clients that accept JSON (pages module)
        if type(s.problems) ~= "table" then return nil, f .. ".problems is not an object" end
        site.problems = {}
        for status, body in pairs(s.problems) do
            local code = tonumber(status)
            if not code or code < 400 or code > 599 or type(body) ~= "string" then
                return nil, f .. ".problems." .. tostring(status) .. " must be a text for a status 400..599"
            end
            site.problems[code] = body
        end
    end
    if s.maintenance ~= nil then
        -- the pages module's maintenance: 503 (the site's 503 page) and Retry-After for clients the rules deny
        local m = s.maintenance
        if type(m) ~= "table" or type(m.rules) ~= "table" or (m.retryAfter ~= nil and not text(m.retryAfter)) then
            return nil, f .. ".maintenance must be {rules, retryAfter}"
        end
        local rules = {}
        for k, r in ipairs(m.rules) do
            local rule, err = compile_rule(r)
            if not rule then return nil, f .. ".maintenance.rules[" .. (k - 1) .. "]: " .. err end
            rules[k] = rule
        end
        site.maint = {rules = rules, retry = m.retryAfter}
    end
    local pages_ok, pages_err = compile_site_pages(s, f, site)
    if not pages_ok then return nil, pages_err end
    local wake_ok, wake_err = _M.scaling_compile(s, f, site)
    if not wake_ok then return nil, wake_err end
    site.filtered = site.responseHeaders ~= nil or site.pages ~= nil or site.leastConn == true or site.maint ~= nil
            or site.wake ~= nil
    if s.redirect ~= nil then
        if type(s.redirect) ~= "table" or type(s.redirect.port) ~= "number"
                or (s.redirect.forwarded ~= nil and type(s.redirect.forwarded) ~= "boolean") then
            return nil, f .. ".redirect must be {port, forwarded}"
        end
        site.redirect = s.redirect.port == 443 and "" or (":" .. s.redirect.port)
        -- served when a trusted proxy ($fg_trusted_peer, nginx.conf) forwarded an https request
        site.forwarded = s.redirect.forwarded == true
    end
    if s.certificate ~= nil then
        if type(s.certificate) ~= "string" or type(certificates[s.certificate]) ~= "table" then
            return nil, f .. ".certificate names no certificate of the document"
        end
        site.certificate = s.certificate
    end
    return site
end

-- the document (decoded) -> compiled routes, or nil and the reason
local function compile(doc)
    if type(doc) ~= "table" then return nil, "not a JSON object" end
    if type(doc.version) ~= "number" and type(doc.version) ~= "string" then return nil, "version is missing" end
    if type(doc.sites) ~= "table" or type(doc.listeners) ~= "table" then
        return nil, "sites and listeners are required"
    end
    local certificates = doc.certificates or {}
    if type(certificates) ~= "table" then return nil, "certificates is not an object" end
    for id, c in pairs(certificates) do
        if type(c) ~= "table" or type(c.cert) ~= "string" or type(c.key) ~= "string" then
            return nil, "certificates." .. tostring(id) .. " must be {cert, key}"
        end
        if (c.ocsp ~= nil and type(c.ocsp) ~= "string")
                or (c.ocspNextUpdate ~= nil and type(c.ocspNextUpdate) ~= "number") then
            return nil, "certificates." .. tostring(id) .. ".ocsp must be base64 text, ocspNextUpdate a number"
        end
    end
    local sites = {}
    for i, s in ipairs(doc.sites) do
        local site, err = compile_site(s, i, certificates)
        if not site then return nil, err end
        sites[i] = site
    end
    local listeners = {}
    for key, l in pairs(doc.listeners) do
        if type(key) ~= "string" or type(l) ~= "table" or type(l.names) ~= "table" then
            return nil, "listeners." .. tostring(key) .. " must be {names}"
        end
        local exact, wild = {}, {}
        for name, index in pairs(l.names) do
            local site = type(index) == "number" and sites[index + 1]
            if type(name) ~= "string" or not site then
                return nil, "listeners." .. key .. ".names." .. tostring(name) .. " names no site"
            end
            if str_sub(name, 1, 2) == "*." then wild[str_sub(name, 2)] = site else exact[name] = site end
        end
        listeners[key] = {exact = exact, wild = next(wild) and wild}
    end
    local fallback, fallback_err = compile_fallback(doc.fallback)
    if fallback_err then return nil, fallback_err end
    return {version = doc.version, listeners = listeners, certificates = certificates, fallback = fallback}
end

-- validates and stores a routes document (the JSON text); used by POST /routes and at start
function _M.set_routes(raw)
    if type(raw) ~= "string" then return nil, "empty body" end
    local ok, doc = pcall(cjson.decode, raw)
    if not ok or doc == nil then return nil, "not JSON" end
    local compiled, err = compile(doc)
    if not compiled then return nil, err end
    local ssl_ok, ssl = pcall(require, "ngx.ssl")
    for id, c in pairs(compiled.certificates) do
        if not ssl_ok then return nil, "TLS certificates need ngx.ssl" end
        if not ssl.parse_pem_cert(c.cert) then return nil, "certificates." .. id .. ".cert is not a PEM certificate" end
        if not ssl.parse_pem_priv_key(c.key) then return nil, "certificates." .. id .. ".key is not a PEM private key" end
    end
    local set_ok, set_err = dict:set("r:doc", raw)
    if not set_ok then return nil, "shared dict: " .. set_err end
    local v = dict:incr("gen", 1, 0)
    dict:set("r:dv", v)
    dict:set("r:v", v)
    dict:set("r:version", tostring(doc.version))
    return true
end

-- any service: the scopes of a firewall document stored by an older fleetgate.lua (no fw:scopes)
local FW_ALL = setmetatable({}, {__index = function() return true end})

local function firewall_scopes()
    local raw = dict:get("fw:scopes")
    if raw == nil then
        local keys = dict:get("fw:keys")
        return keys and keys ~= "" and FW_ALL or nil
    end
    local out
    for scope in raw:gmatch("[^\n]+") do
        out = out or {}
        out[scope] = true
    end
    return out
end

local function routes()
    local v = dict:get("r:v")
    if v ~= rv then
        rv = v
        draining = dict:get("r:drain") == true
        fw_scopes = firewall_scopes()
        local dv = v and (dict:get("r:dv") or v)
        if dv == rdv then
            return routes_c -- only the drain flag changed
        end
        rdv = dv
        routes_c = nil
        local raw = v and dict:get("r:doc")
        if raw then
            local ok, doc = pcall(cjson.decode, raw)
            local compiled, err = ok and compile(doc)
            if not compiled then
                ngx.log(ngx.ERR, "fleetgate: cannot compile the routes: ", err)
            end
            routes_c = compiled or nil
        end
    end
    return routes_c
end

local function site_in(r, listener, host)
    local l = r and r.listeners[listener]
    if not l or not host then return nil end
    local site = l.exact[host]
    if site or not l.wild then return site end
    local from = 1
    while true do
        local dot = str_find(host, ".", from, true)
        if not dot then return nil end
        site = l.wild[str_sub(host, dot)]
        if site then return site end
        from = dot + 1
    end
end

local function site_of(listener, host)
    return site_in(routes(), listener, host)
end

local function answer(status, body)
    ngx.status = status
    ngx.header.content_type = "text/plain"
    ngx.print(body)
    return ngx.exit(status)
end

-- the file name an ACME location serves: the rest of the URI (prefix ending in /) or the last path segment
local function acme_file(loc, uri)
    if str_sub(loc.path, -1) == "/" then
        return str_sub(uri, #loc.path + 1)
    end
    return loc.path:match("([^/]*)$")
end

-- the request headers and variables of a routed request, and the upstream for the balancer; returns ngx.ctx
local function forward(site, loc, var)
    local vars = site.vars
    if vars then
        for i = 1, #vars do
            var[vars[i][1]] = vars[i][2]
        end
    end
    local set = site.set
    if set then
        for i = 1, #set do
            ngx.req.set_header(set[i][1], set[i][2])
        end
    end
    if site.websockets then
        local upgrade = var.http_upgrade
        if upgrade then
            var.fg_upgrade = upgrade
            var.fg_connection = "upgrade"
        end
    elseif not site.keepalive then
        var.fg_connection = "close"
    end
    local ctx = ngx.ctx
    ctx.fg_upstream = loc.upstream
    ctx.fg_timeouts = site.timeouts
    return ctx
end

-- the location of a request to a site, or nil
local function location_of(site, var)
    local locations = site.locations
    if site.root_only then
        return locations[1] -- one prefix location "/": every URI (the common case, no $uri read)
    end
    local uri = var.uri
    for i = 1, #locations do
        local l = locations[i]
        if (l.exact and uri == l.path) or (not l.exact and str_find(uri, l.path, 1, true) == 1) then
            return l
        end
    end
    return nil
end

-- access phase of every proxied request; filtered: in the location with the header and body filters
function _M.route(listener, filtered)
    local r = routes()
    if draining and not filtered then
        return ngx.exec("@fleetgate_drain") -- a reload comes: this answer closes its connection (keepalive_timeout 0)
    end
    local var = ngx.var
    local host = var.host
    local site = site_in(r, listener, host)
    if not site then
        return unknown_host()
    end
    if site.filtered and not filtered then
        return ngx.exec("@fleetgate_filtered")
    end
    if site.service then
        var.fleetgate_service = site.service
    end
    local blocked = fw_scopes and (fw_scopes["*"] or fw_scopes[site.service or "*"]) and _M.firewall_status(site.service)
    if blocked then
        if blocked == 1 then
            return _M.firewall_challenge()
        end
        return ngx.exit(blocked)
    end
    if site.rules and not allowed(site.rules) then
        return ngx.exit(403)
    end
    local loc = location_of(site, var)
    if loc and loc.acme then
        local file = acme_file(loc, var.uri)
        if file == "" or str_find(file, "/", 1, true) or str_find(file, "..", 1, true) then
            return ngx.exit(404)
        end
        return ngx.exec("/.fleetgate-acme/" .. file)
    end
    if site.redirect and not (site.forwarded and var.http_x_forwarded_proto == "https"
            and var.fg_trusted_peer == "1") then
        return ngx.redirect("https://" .. host .. site.redirect .. var.request_uri, 301)
    end
    local maint = site.maint
    if maint and not allowed(maint.rules) then
        local ctx = ngx.ctx
        ctx.fg_site = site
        ctx.fg_retry = maint.retry or false
        return ngx.exit(503)
    end
    if not loc then
        return ngx.exit(404)
    end
    if site.maxBody > 0 then
        local length = tonumber(var.http_content_length)
        if length then
            if length > site.maxBody then
                return ngx.exit(413)
            end
        elseif var.http_transfer_encoding then
            -- a chunked body: read it (nginx buffers request bodies before proxying anyway), then measure it
            ngx.req.read_body()
            local data = ngx.req.get_body_data()
            local size = data and #data
            if not size then
                local file = ngx.req.get_body_file()
                local f = file and io.open(file, "rb")
                if f then
                    size = f:seek("end")
                    f:close()
                end
            end
            if size and size > site.maxBody then
                return ngx.exit(413)
            end
        end
    end
    if site.wake then
        local status = _M.scaling_hold(site, loc.upstream)
        if status then
            local ctx = ngx.ctx
            ctx.fg_site = site
            ctx.fg_retry = site.wake.retry
            return ngx.exit(status)
        end
    end
    local ctx = forward(site, loc, var)
    if filtered then
        ctx.fg_site = site
        ctx.fg_lc = loc.leastConn -- only then does the log phase run to release the slot
    end
end

-- header filter: response headers, error pages the site replaces
function _M.headers()
    local ctx = ngx.ctx
    local site = ctx.fg_site
    if not site then return end
    local h = site.responseHeaders
    if h then
        local header = ngx.header
        for i = 1, #h do
            header[h[i][1]] = h[i][2]
        end
    end
    if ctx.fg_retry then
        ngx.header["Retry-After"] = ctx.fg_retry
    end
    local page = site.pages and site.pages[ngx.status]
    if page and not replaces(ctx, site, ngx.status) then
        page = nil
    end
    if page and site.problems then
        local problem = site.problems[ngx.status]
        local accept = problem and ngx.var.http_accept
        if accept and str_find(accept, "json", 1, true) then
            page = {type = "application/problem+json", body = problem}
        end
    end
    if page then
        local body = with_request_id(page.body)
        ngx.header.content_type = page.type
        ngx.header.content_length = #body
        ngx.header.content_encoding = nil
        ngx.header.transfer_encoding = nil
        ctx.fg_page = body
    end
end

-- body filter: the page replaces the body
function _M.body()
    local ctx = ngx.ctx
    local page = ctx.fg_page
    if not page then return end
    if ctx.fg_page_sent then
        ngx.arg[1] = ""
    else
        ngx.arg[1] = page
        ctx.fg_page_sent = true
    end
end

-- OCSP stapling. The core fetches, verifies and refreshes the responses (never the handshake: a cold cache costs
-- nothing) and sends them in the document; a worker checks one again with ngx.ocsp.validate_ocsp_response (the
-- issuer's signature, the status of this certificate, thisUpdate/nextUpdate) at most every OCSP_RECHECK seconds and
-- staples it only when it passes. A "revoked" response, whose signature validate_ocsp_response checked before it
-- looked at the status, is stapled too until its nextUpdate (the client must learn it); anything else is not stapled.
local OCSP_RECHECK = 60
local ocsp_lib

local function staple(id, c)
    local t = now()
    if not c.ocsp_checked or t - c.ocsp_checked >= OCSP_RECHECK then
        c.ocsp_checked = t
        ocsp_lib = ocsp_lib or require "ngx.ocsp"
        local ok, err = ocsp_lib.validate_ocsp_response(c.ocsp_der, c.chain_der)
        if not ok and err and str_find(err, 'certificate status "revoked"', 1, true)
                and c.ocsp_next_update and t < c.ocsp_next_update then
            ok = true
        end
        if not ok and err ~= c.ocsp_err then
            ngx.log(ngx.WARN, "fleetgate: certificate ", id, ": OCSP response not stapled: ", err)
        end
        c.ocsp_ok, c.ocsp_err = ok, err
    end
    if c.ocsp_ok then
        local ok, err = ocsp_lib.set_ocsp_status_resp(c.ocsp_der)
        if not ok then
            ngx.log(ngx.ERR, "fleetgate: certificate ", id, ": cannot staple the OCSP response: ", err)
        end
    end
end

-- ssl_certificate_by_lua: the certificate of the site that serves the SNI name on this listener
function _M.certificate(listener)
    local ssl = require "ngx.ssl"
    local name = ssl.server_name()
    local site = name and site_of(listener, name:lower())
    local id = site and site.certificate
    if not id then
        return ngx.exit(ngx.ERROR) -- unknown name: no handshake (as ssl_reject_handshake)
    end
    if rv_certs ~= rdv then
        certs_c = {}
        rv_certs = rdv
    end
    local c = certs_c[id]
    if not c then
        local pem = routes_c.certificates[id]
        c = {cert = ssl.parse_pem_cert(pem.cert), key = ssl.parse_pem_priv_key(pem.key)}
        if pem.ocsp then
            c.ocsp_der = ngx.decode_base64(pem.ocsp)
            c.chain_der = ssl.cert_pem_to_der(pem.cert)
            c.ocsp_next_update = pem.ocspNextUpdate
        end
        certs_c[id] = c
    end
    ssl.clear_certs()
    local ok, err = ssl.set_cert(c.cert)
    if ok then
        ok, err = ssl.set_priv_key(c.key)
    end
    if not ok then
        ngx.log(ngx.ERR, "fleetgate: certificate ", id, ": ", err)
        return ngx.exit(ngx.ERROR)
    end
    if c.ocsp_der and c.chain_der then
        staple(id, c)
    end
end

-- POST /routes: the whole routing document; 400 with the reason when it is refused (the old one keeps serving)
function _M.update_routes()
    if ngx.req.get_method() ~= "POST" then
        return reply(405, {error = "POST only"})
    end
    ngx.req.read_body()
    local body = ngx.req.get_body_data()
    local ok, err = _M.set_routes(body)
    if not ok then
        return reply(400, {error = err})
    end
    return reply(200, {version = dict:get("r:version")})
end

-- ---- firewall (module 6) -------------------------------------------------------------------------------
-- Client addresses the core blocked, looked up in the access phase without a reload: shared-dict keys
-- "fw:<ip>" (every service) and "fw:<ip>|<service id>" hold 403 or 429 and expire with the block; "fw:keys" lists
-- the keys of the last document so that the next one removes what it no longer holds. The agent writes the
-- document (0600) to firewall-blocks.json beside routes.json and POSTs it to /firewall; a new master restores it
-- from that file when the dict does not hold it yet (first start, not a reload).
local function fw_load(raw)
    local ok, doc = pcall(cjson.decode, raw)
    if not ok or type(doc) ~= "table" or type(doc.blocks) ~= "table" then
        return nil, "expected {\"blocks\": [{ip, serviceId?, status, expiresAt}]}"
    end
    local t = ngx.time()
    local keys, scopes = {}, {}
    for i, b in ipairs(doc.blocks) do
        if type(b) ~= "table" or type(b.ip) ~= "string" or type(b.expiresAt) ~= "number"
                or (b.serviceId ~= nil and type(b.serviceId) ~= "string") then
            return nil, "blocks[" .. (i - 1) .. "] must be {ip, serviceId?, status, expiresAt}"
        end
        local ttl = b.expiresAt - t
        if ttl > 0 then
            local key = "fw:" .. b.ip .. (b.serviceId and ("|" .. b.serviceId) or "")
            local status = (b.status == 429 or b.status == 1) and b.status or 403
            local set_ok, err = dict:set(key, status, ttl)
            if not set_ok then
                return nil, "shared dict: " .. err
            end
            keys[key] = true
            scopes[b.serviceId or "*"] = true
        end
    end
    local old = dict:get("fw:keys")
    if old then
        for key in old:gmatch("[^\n]+") do
            if not keys[key] then
                dict:delete(key)
            end
        end
    end
    local list = {}
    for key in pairs(keys) do
        list[#list + 1] = key
    end
    dict:set("fw:keys", table.concat(list, "\n"))
    list = {}
    for scope in pairs(scopes) do
        list[#list + 1] = scope
    end
    -- which services a block can apply to (an expired block stays listed until the next document: only checked
    -- for nothing); workers read it again when r:v changes, so that a request of an unblocked service reads no key
    dict:set("fw:scopes", table.concat(list, "\n"))
    dict:set("fw:loaded", true)
    bump()
    return true
end

function _M.firewall_init(opts)
    local f = io.open("/dev/urandom", "rb")
    if f then
        dict:add("fw:secret", ngx.encode_base64(f:read(32))) -- once per master: kept over reloads
        f:close()
    end
    if opts.routes and not dict:get("fw:loaded") then
        restore((opts.routes:gsub("routes%.json$", "firewall-blocks.json")), fw_load)
    end
end

-- GET /firewall: requests refused per service and status, {"blocked": [[service, status, count]...]}
local function fw_counts()
    local out = {}
    for i = 1, dict:get("fwn:n") or 0 do
        local key = dict:get("fwn:i:" .. i)
        local n = key and dict:get("fwn:" .. key)
        if n then
            local service, status = key:match("^(.*)|(%d+)$")
            out[#out + 1] = {service, tonumber(status), n}
        end
    end
    return reply(200, {blocked = out})
end

-- POST /firewall: the whole list of blocks; 400 with the reason when it is refused (the old one stays)
function _M.update_firewall()
    if ngx.req.get_method() == "GET" then
        return fw_counts()
    end
    if ngx.req.get_method() ~= "POST" then
        return reply(405, {error = "POST or GET only"})
    end
    ngx.req.read_body()
    local ok, err = fw_load(ngx.req.get_body_data() or "")
    if not ok then
        return reply(400, {error = err})
    end
    return reply(200, {ok = true})
end

local function fw_client()
    local ip = ngx.var.remote_addr
    if str_find(ip, "::ffff:", 1, true) == 1 and str_find(ip, ".", 8, true) then
        ip = ip:sub(8) -- an IPv4-mapped address (dual-stack listener): blocks hold the IPv4 form
    end
    return ip
end

-- Challenge (action "challenge", dict value 1): instead of 403/429 the client gets a small page whose script sets
-- a cookie and reloads. The cookie is "<expiry>.<HMAC-SHA1(secret, ip|expiry)>" (base64url): bound to the client
-- address and valid for FW_PASS seconds; the secret is random per nginx master ("fw:secret", made in init_by_lua,
-- kept over reloads). Browsers run the script and pass; clients without JavaScript (curl, most scanners) never
-- get the cookie. The token is in the page reversed, so that it is not a Set-Cookie a bare HTTP client replays.
local FW_CHALLENGE = 1
local FW_PASS = 3600

local function fw_token(ip, expires)
    local mac = ngx.encode_base64(ngx.hmac_sha1(dict:get("fw:secret") or "", ip .. "|" .. expires))
    return expires .. "." .. mac:gsub("[+/=]", {["+"] = "-", ["/"] = "_", ["="] = ""})
end

local function fw_passed(ip)
    local c = ngx.var.cookie_fleetgate_fw
    if not c then
        return false
    end
    local expires = tonumber(c:match("^(%d+)%."))
    return expires ~= nil and expires >= ngx.time() and expires <= ngx.time() + FW_PASS and c == fw_token(ip, expires)
end

function _M.firewall_challenge()
    local token = fw_token(fw_client(), ngx.time() + FW_PASS):reverse()
    ngx.status = 403
    ngx.header.content_type = "text/html; charset=utf-8"
    ngx.header["Cache-Control"] = "no-store"
    ngx.say('<!doctype html><html><head><meta charset="utf-8"><title>Checking your browser</title></head>',
        '<body><p>Checking your browser…</p><noscript>This site needs JavaScript to let you in.</noscript>',
        '<script>document.cookie="fleetgate_fw="+"', token,
        '".split("").reverse().join("")+"; path=/; max-age=', FW_PASS, '; SameSite=Lax";',
        'location.reload();</script></body></html>')
    return ngx.exit(403)
end

-- the status a blocked client gets (403, 429, or 1: the challenge page), or nil
function _M.firewall_status(service)
    local ip = fw_client()
    local status = dict:get("fw:" .. ip)
    if not status and service then
        status = dict:get("fw:" .. ip .. "|" .. service)
    end
    if status == FW_CHALLENGE and fw_passed(ip) then
        return nil
    end
    if status then
        -- counted per service and status (a challenge page as the 403 it is); a new pair is listed once ("fwn:i:<n>") for GET /firewall
        local key = (service or "-") .. "|" .. (status == FW_CHALLENGE and 403 or status)
        if dict:incr("fwn:" .. key, 1, 0) == 1 then
            dict:set("fwn:i:" .. dict:incr("fwn:n", 1, 0), key)
        end
    end
    return status
end

-- ---------------------------------------------------------------------------------------------------------
-- Scale to zero (scaling module, bundles/scaling). Routing-document field:
--   sites[i].wake: {"queue", "wait", "retry"}  the service may run no replica: while its upstream has no peer a
--       request is HELD in the access phase (ngx.sleep, no worker blocked) until a peer appears, at most "wait"
--       seconds, and at most "queue" requests of the service at once on this agent (shared counter "sz:q:<service>";
--       beyond it 503 with Retry-After at once). Past "wait" the request gets 503 with Retry-After "retry": the site's
--       503 page is the starting page (the header and body filters serve it: such a site is "filtered").
-- A held request sets "sz:w:<service>" (the wake flag); the agent polls GET /wakes on the admin socket (every
-- 100 ms, only while some site has "wake"), which answers and clears the flags, and starts a replica at once.
-- ---------------------------------------------------------------------------------------------------------
local WAKE_POLL = 0.05

function _M.scaling_compile(s, f, site)
    local w = s.wake
    if w == nil then return true end
    if type(w) ~= "table" or type(w.queue) ~= "number" or w.queue < 1 or type(w.wait) ~= "number" or w.wait <= 0
            or not text(w.retry) or not text(s.service) then
        return nil, f .. ".wake must be {queue, wait, retry} on a site with a service"
    end
    site.wake = {queue = w.queue, wait = w.wait, retry = w.retry, key = "sz:q:" .. s.service,
                 flag = "sz:w:" .. s.service}
    return true
end

local function ready(name)
    routes() -- r:v again: a held request waits for a peers push (upstream() trusts its cache while r:v is unchanged)
    local c = upstream(name)
    return c ~= nil and c.count > 0
end

-- access phase of a site with "wake": nil when a peer is there (route on), else the status to answer
function _M.scaling_hold(site, name)
    if ready(name) then
        return nil
    end
    local w = site.wake
    local held = dict:incr(w.key, 1, 0)
    if not held or held > w.queue then
        if held then dict:incr(w.key, -1) end
        return 503
    end
    dict:set(w.flag, true, 60)
    local deadline = now() + w.wait
    local ok = false
    repeat
        ngx.sleep(WAKE_POLL)
        ok = ready(name)
        if not ok and not dict:get(w.flag) then
            dict:set(w.flag, true, 60) -- consumed by the agent but still nothing: ask again
        end
    until ok or now() >= deadline
    dict:incr(w.key, -1)
    if ok then
        return nil
    end
    return 503
end

-- GET /wakes: the services a held request woke since the last call, {"wakes": [service]}; clears their flags
function _M.wakes()
    local r = routes()
    local out, seen = {}, {}
    if r then
        for _, l in pairs(r.listeners) do
            for _, group in ipairs({l.exact, l.wild or {}}) do
                for _, site in pairs(group) do
                    local w = site.wake
                    if w and not seen[w.flag] then
                        seen[w.flag] = true
                        if dict:get(w.flag) then
                            dict:delete(w.flag)
                            out[#out + 1] = site.service
                        end
                    end
                end
            end
        end
    end
    for i = 1, #out do
        out[i] = cjson.encode(out[i])
    end
    ngx.header.content_type = "application/json"
    ngx.say('{"wakes":[' .. table.concat(out, ",") .. ']}')
    return ngx.exit(200)
end

-- ---- reload drain (module 1) ---------------------------------------------------------------------------
-- On SIGHUP nginx's old workers close every kept-alive connection they hold idle (ngx_close_idle_connections
-- sets c->close and calls the keep-alive read handler, which closes without reading): a request a client sent on
-- one of them at that moment is lost (reset). Before a reload the agent sets "r:drain" (POST /drain {"on": true})
-- and bumps r:v, so that each worker sees it with the read of r:v it makes per request anyway: while it is set,
-- route() sends every request to @fleetgate_drain (keepalive_timeout 0): its answer says "Connection: close" and
-- the connection closes after it, so the clients open new connections, which the still-running old workers accept
-- and serve. When the kept-alive connections have cycled the agent reloads (the old workers then hold only
-- connections with a request in progress, whose answers close them, or new ones still waiting for their first
-- request, which nginx does not count as idle and serves), and clears the flag once the new workers answer.
function _M.drain()
    if ngx.req.get_method() ~= "POST" then
        return reply(405, {error = "POST only"})
    end
    ngx.req.read_body()
    local data = cjson.decode(ngx.req.get_body_data() or "")
    if type(data) ~= "table" or type(data.on) ~= "boolean" then
        return reply(400, {error = "expected {\"on\": true|false}"})
    end
    dict:set("r:drain", data.on)
    bump()
    return reply(200, {on = data.on})
end

return _M
