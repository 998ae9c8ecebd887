#!/usr/bin/env bash
# Lighthouse (mobile, pinned in tools/lighthouse) over the sample site's home page, a section list, the seed
# article and the search page, served on 127.0.0.1; prints the four category scores per page. No network needed.
#   bash bench/lighthouse.sh [home list article search]   (or: make lighthouse; reports in bench/results/lighthouse/)
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTHOUSE=tools/lighthouse/node_modules/.bin/lighthouse
[ -x "$LIGHTHOUSE" ] || make --no-print-directory "$LIGHTHOUSE"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
PY=.venv/bin/python
work="$(mktemp -d)"
results=bench/results/lighthouse
mkdir -p "$results"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
$PY build.py build --output "$work/site" --base-url "http://127.0.0.1:$port/" >/dev/null 2>&1
$PY -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  $PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done

pages=(
  "home /"
  "list /daibiao-gongzuo/"
  "article /daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan/"
  "search /search/?q=%E4%BA%BA%E5%A4%A7%E4%BB%A3%E8%A1%A8"
)
printf '%-8s %-11s %-13s %-14s %-4s  %s\n' page performance accessibility best-practices seo url
for entry in "${pages[@]}"; do
  name="${entry%% *}"; path="${entry#* }"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  "$LIGHTHOUSE" "http://127.0.0.1:$port$path" --quiet --output=json --output-path="$results/$name.json" \
    --only-categories=performance,accessibility,best-practices,seo --form-factor=mobile \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    >/dev/null 2>"$work/$name.log" || { echo "lighthouse failed on $path:"; tail -5 "$work/$name.log"; exit 1; }
  $PY - "$results/$name.json" "$name" "$path" <<'PYEOF'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {k: round(report["categories"][k]["score"] * 100) for k in ("performance", "accessibility", "best-practices", "seo")}
print(f"{sys.argv[2]:<8} {scores['performance']:<11} {scores['accessibility']:<13} {scores['best-practices']:<14} {scores['seo']:<4}  {sys.argv[3]}")
failed = [f"{a['id']} ({a['score']})" for c in report["categories"].values() for ref in c["auditRefs"]
          if ref["weight"] > 0 for a in [report["audits"][ref["id"]]] if a["score"] is not None and a["score"] < 1]
if failed:
    print("         audits below 1: " + ", ".join(failed))
PYEOF
done
