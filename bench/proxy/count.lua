-- wrk script: counts requests sent and answered per thread (the socket-error line of wrk also counts idle
-- keep-alive closes, which are not lost requests) and prints one FLEETGATE line at the end.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    sent = 0
    answered = 0
    non2xx = 0
end

function request()
    sent = sent + 1
    return wrk.request()
end

function response(status, headers, body)
    answered = answered + 1
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    end
end

function done(summary, latency, requests)
    local s, a, n = 0, 0, 0
    for _, t in ipairs(threads) do
        s = s + t:get("sent")
        a = a + t:get("answered")
        n = n + t:get("non2xx")
    end
    local e = summary.errors
    io.write(string.format("FLEETGATE sent=%d answered=%d non2xx=%d connect=%d read=%d write=%d timeout=%d "
        .. "duration_us=%d p50_us=%d p99_us=%d\n", s, a, n, e.connect, e.read, e.write, e.timeout,
        summary.duration, latency:percentile(50), latency:percentile(99)))
end
