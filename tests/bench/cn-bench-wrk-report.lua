-- SPDX-License-Identifier: GPL-3.0-or-later
-- Shared by the wrk scripts of build-aux/bench: prints the result as one JSON line.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_s": %.1f, "p50_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "non_2xx": %d, "socket_errors": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end
