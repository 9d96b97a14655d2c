#!/usr/bin/env bash
# Renders docs/grafana/orchat.json from a real benchmark run, without Grafana (not installable on these machines):
# scrape.mjs scrapes the admin /prometheus of the jar the benchmark starts, every 2 s, for the whole run;
# render.mjs evaluates each panel's PromQL over those scrapes and draws the panels (same titles, grid, units and
# legends) as HTML+SVG; Debian's chromium takes the screenshot. docs/operations.md, "Dashboard screenshot".
# Usage: bench/dashboard/run.sh [bench/run.sh arguments, e.g. quick]   (SKIP_BUILD=1 reuses target/orchat.jar)
# Output: target/dashboard/{scrapes.jsonl,orchat.html,orchat.png}; copy the PNG to docs/ to publish it.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/dashboard
mkdir -p "$out"
rm -f "$out/scrapes.jsonl"
node bench/dashboard/scrape.mjs --repo . --dashboard docs/grafana/orchat.json --out "$out/scrapes.jsonl" --interval 2 &
scraper=$!
trap 'kill "$scraper" 2>/dev/null || true' EXIT
started=$(date -u +%Y-%m-%dT%H:%MZ)
bench/run.sh "$@"
kill -TERM "$scraper"
wait "$scraper" || true
trap - EXIT
# The service that ran the turn scenarios (1, 2, 4, 5, 6): the benchmark labels it java17.
node bench/dashboard/render.mjs --dashboard docs/grafana/orchat.json --scrapes "$out/scrapes.jsonl" \
  --out "$out/orchat.html" --label "${DASHBOARD_LABEL:-java17}" \
  --note "Not Grafana: bench/dashboard/render.mjs evaluating this dashboard's own queries, during bench/run.sh $* ($started)."
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --disable-quic \
  --disable-component-update --disable-sync --hide-scrollbars --window-size=1400,1230 \
  --screenshot="$PWD/$out/orchat.png" "file://$PWD/$out/orchat.html" 2>/dev/null
ls -l "$out/orchat.png"
