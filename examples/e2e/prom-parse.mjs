// Parses Prometheus text exposition format with an independent parser (npm parse-prometheus-text-format), for the
// metrics integration test: stdin is a JSON array of scrapes (strings), stdout one JSON line, an array with the
// metric families of each scrape as the parser gives them ([{name, help, type, metrics: [...]}, ...]).
// Exits 1 with {"ok":false,"error":...} if a scrape does not parse.
// Usage: node prom-parse.mjs < scrapes.json
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

let input = '';
for await (const chunk of process.stdin) input += chunk;
try {
  const parsed = JSON.parse(input).map((text) => parsePrometheusTextFormat(text));
  console.log(JSON.stringify({ ok: true, scrapes: parsed }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e?.message ?? e) }));
  process.exit(1);
}
