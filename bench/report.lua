-- wrk hook: one line of figures per run.
done = function(summary, latency, requests)
  io.write(string.format("requests/s=%.1f p50=%.1fms p95=%.1fms p99=%.1fms errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
