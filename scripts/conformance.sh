#!/usr/bin/env bash
# MCP conformance check for `agent-os serve`, repeatable in CI or by hand.
#   1. the official conformance suite against `serve --http` (Streamable HTTP);
#   2. the MCP Inspector CLI against `serve` over stdio (what editors use).
# Tests the already-built dist/ (run `npm run build` first): building here would race with other
# work in the tree and hide which build was checked.
set -euo pipefail

# Pinned: a new suite version may add or rename scenarios; bump deliberately.
CONFORMANCE='@modelcontextprotocol/conformance@0.1.13'
# Inspector 0.15.0: its CLI still runs on Node 20 (our engines floor).
INSPECTOR='@modelcontextprotocol/inspector@0.15.0'
# Scenario ids as `conformance list --server` spells them. The others test features agent-os
# does not have (prompts, sampling, images...) and are expected to fail.
SCENARIOS=(server-initialize ping tools-list tools-call-error dns-rebinding-protection)
NPX_TIMEOUT=300   # s per npx run; the first run downloads the package
READY_TIMEOUT=30  # s for the HTTP server to answer

cd "$(dirname "$0")/.."
ROOT_DIR=$PWD
CLI="$ROOT_DIR/dist/src/bin/agent-os.js"
[[ -f $CLI ]] || { echo "conformance: $CLI not found; run \`npm run build\` first." >&2; exit 2; }
# Not fatal (someone may be mid-edit), but a stale dist/ would test old code.
if [[ -n $(find src -name '*.ts' -newer "$CLI" -print -quit) ]]; then
  echo "conformance: warning: src/ has changes newer than dist/; run \`npm run build\` to test them." >&2
fi

export LANCEDB_LOG=error            # keep LanceDB's Rust logging out of the output
export npm_config_loglevel=error    # hide npm's "Unknown project config" warnings from .npmrc
export npm_config_update_notifier=false

TMP=$(mktemp -d "${TMPDIR:-/tmp}/agent-os-conformance.XXXXXX")
SERVER_PID=''
stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  # serve drains its background index on SIGTERM (up to 10 s); don't wait forever.
  for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=''
}
cleanup() { stop_server; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM   # runs the EXIT trap too

START=$SECONDS
ROWS=()   # "check|PASS/FAIL|detail" for the summary table
FAILED=0
record() {  # record <check> <ok:0|1> <detail> [log to show on failure]
  if [[ $2 == 0 ]]; then ROWS+=("$1|PASS|$3"); else
    ROWS+=("$1|FAIL|$3"); FAILED=1
    if [[ -n ${4:-} && -f ${4:-} ]]; then echo "---- $1: output (tail) ----"; tail -n 40 "$4"; echo "----"; fi
  fi
  return 0  # a failed check is tallied, not fatal: the remaining checks still run
}

# --- Temp project: two real standards, so search has something to find ------------------------
mkdir -p "$TMP/.agent-os/standards/development" "$TMP/.agent-os/standards/testing"
cp .agent-os/standards/development/error-handling.md "$TMP/.agent-os/standards/development/"
cp .agent-os/standards/testing/test-conventions.md "$TMP/.agent-os/standards/testing/"
# Index up front so serve's start-up index is a no-op and search answers from the first request.
if node "$CLI" --root "$TMP" index >"$TMP/index.log" 2>&1; then record index 0 "2 standards"
else record index 1 "agent-os index failed" "$TMP/index.log"; fi

# --- Conformance suite over Streamable HTTP ---------------------------------------------------
# Port 0: the OS picks a free port at bind time and serve prints the URL; picking a "free" port
# here first would race with anything else binding in between.
# serve --http requires a bearer token; the suite sends none, so it talks through a loopback
# forwarder that adds the header (scripts/auth-forwarder.mjs).
export AGENT_OS_HTTP_TOKEN
AGENT_OS_HTTP_TOKEN=$(node -e "process.stdout.write(require('node:crypto').randomBytes(24).toString('hex'))")
node "$CLI" --root "$TMP" serve --http 0 >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
URL=''
deadline=$((SECONDS + READY_TIMEOUT))
while ((SECONDS < deadline)); do
  kill -0 "$SERVER_PID" 2>/dev/null || break   # died: no point waiting
  URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/mcp' "$TMP/serve.log" | head -n1 || true)
  # Any HTTP status counts as "answering" (a bare GET is refused by design).
  if [[ -n $URL ]] && curl -s -o /dev/null --max-time 2 "$URL"; then break; fi
  URL=''; sleep 0.2
done

if [[ -z $URL ]]; then
  if kill -0 "$SERVER_PID" 2>/dev/null; then why="no answer within ${READY_TIMEOUT}s"; else why='exited before answering'; fi
  record "serve --http" 1 "$why" "$TMP/serve.log"
  for s in "${SCENARIOS[@]}"; do record "conformance $s" 1 "skipped: server not up"; done
else
  record "serve --http" 0 "$URL"
  SERVER_URL=$URL
  TARGET=$SERVER_URL node scripts/auth-forwarder.mjs >"$TMP/forwarder.log" 2>&1 &
  FORWARDER_PID=$!
  for _ in $(seq 50); do URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/mcp' "$TMP/forwarder.log" | head -n1 || true); [[ -n $URL ]] && break; sleep 0.1; done
  # Without the header the server refuses; through the forwarder it answers.
  unauth=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' --data '{}' "$SERVER_URL" || true)
  if [[ $unauth == 401 ]]; then record "serve --http without token" 0 "401"; else record "serve --http without token" 1 "got $unauth, want 401"; fi
  for s in "${SCENARIOS[@]}"; do
    log="$TMP/conformance-$s.log"
    # The suite exits non-zero on a failed check; also require its "0 failed" tally in case a
    # scenario name is mistyped and nothing runs.
    if timeout "$NPX_TIMEOUT" npx --yes "$CONFORMANCE" server --url "$URL" --scenario "$s" >"$log" 2>&1 \
       && grep -qE 'Passed: [1-9][0-9]*/[0-9]+, 0 failed' "$log"; then ok=0; else ok=1; fi
    tally=$(grep -oE 'Passed: [0-9]+/[0-9]+, [0-9]+ failed' "$log" | tail -n1 || true)
    record "conformance $s" "$ok" "${tally:-no result}" "$log"
  done
fi
# The Inspector runs its own stdio server on the same project: stop this one so they don't share it.
[[ -n ${FORWARDER_PID:-} ]] && kill "$FORWARDER_PID" 2>/dev/null || true
stop_server

# --- MCP Inspector CLI over stdio -------------------------------------------------------------
inspect() {  # inspect <log> <inspector args...>: the server command is fixed
  local log=$1; shift
  # -e: the Inspector gives the spawned server a minimal environment, not ours.
  timeout "$NPX_TIMEOUT" npx --yes "$INSPECTOR" --cli -e LANCEDB_LOG=error \
    node "$CLI" --root "$TMP" serve "$@" >"$log" 2>&1
}
log="$TMP/inspector-list.log"
if inspect "$log" --method tools/list && grep -q '"name": "search_standards"' "$log"; then
  record "inspector tools/list" 0 "lists search_standards"
else record "inspector tools/list" 1 "search_standards not listed" "$log"; fi

log="$TMP/inspector-call.log"
if inspect "$log" --method tools/call --tool-name search_standards --tool-arg 'query=how do we handle errors' \
   && grep -q '"file": "development/error-handling.md"' "$log" && ! grep -q '"isError": true' "$log"; then
  record "inspector tools/call" 0 "finds development/error-handling.md"
else record "inspector tools/call" 1 "expected result file not returned" "$log"; fi

# --- Summary -----------------------------------------------------------------------------------
echo
printf '%-40s %-6s %s\n' CHECK RESULT DETAIL
for row in "${ROWS[@]}"; do IFS='|' read -r c r d <<<"$row"; printf '%-40s %-6s %s\n' "$c" "$r" "$d"; done
echo "node $(node --version), $CONFORMANCE, $INSPECTOR; $((SECONDS - START)) s"
if ((FAILED)); then echo 'conformance: FAILED'; exit 1; fi
echo 'conformance: all checks passed'
