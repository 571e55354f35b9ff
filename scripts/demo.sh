#!/usr/bin/env bash
# `make demo`: starts the embedded Temporal server, a worker and the API (as `make up` does, on .data/),
# runs the sample cases end to end through the casebridge CLI as logged-in demo people (so through the
# API), prints what happened, and stops everything. The data stays in .data/ to explore afterwards with `make up` and the CLI or the web UI.
# Then the same for a UK force's deployment (CASEBRIDGE_HOME_COUNTRY=GB) on .data/uk-force/: one agency per deployment.
set -euo pipefail
cd "$(dirname "$0")/.."
base_dir=${CASEBRIDGE_DATA_DIR:-.data}

# demo DATA_DIR HOME_COUNTRY: one deployment's run.
demo() {
  local data_dir=$1 home=$2
  mkdir -p "$data_dir"
  local log=$data_dir/demo-up.log
  : >"$log"
  # The demo's simulated court grants warrants and its providers answer emergencies: a clean walk-through
  # (the sample tips that show a denial ask for it themselves).
  # The deployment's own policy values (provider log retention, the UK calendar, Rule 41(f) periods): the demo's example file.
  # A UK force's deployment has the NCA's referrals bureau as its referral unit (client/demo.ts DEMO_REFERRAL_UNIT).
  local referral=
  [ "$home" = GB ] && referral=nca-referrals
  env ${referral:+CASEBRIDGE_REFERRAL_UNIT=$referral} CASEBRIDGE_DATA_DIR="$data_dir" CASEBRIDGE_HOME_COUNTRY="$home" \
    CASEBRIDGE_SIM_WARRANT_DENIAL_RATE=0 CASEBRIDGE_SIM_EMERGENCY_REFUSAL_RATE=0 CASEBRIDGE_LOG_LEVEL=warn \
    CASEBRIDGE_POLICY_FILE=${CASEBRIDGE_POLICY_FILE:-scripts/demo-policy.json} \
    node dist/worker/up.js >"$log" 2>&1 &
  up_pid=$!
  for _ in $(seq 1 120); do
    grep -q 'CaseBridge is up' "$log" && break
    kill -0 "$up_pid" 2>/dev/null || { echo "demo: the server failed to start:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q 'CaseBridge is up' "$log" || { echo "demo: the server did not start in 60 s; see $log" >&2; exit 1; }
  grep 'CaseBridge is up' "$log"
  # The demo and the CLI commands it runs talk to the API just started, whatever CASEBRIDGE_API_URL said.
  CASEBRIDGE_API_URL=$(sed -n 's/.*CaseBridge is up: API at \([^ ]*\) .*/\1/p' "$log" | head -1)
  TEMPORAL_ADDRESS=$(sed -n 's/.*Temporal at \([^,]*\),.*/\1/p' "$log" | head -1)
  env ${referral:+CASEBRIDGE_REFERRAL_UNIT=$referral} CASEBRIDGE_DATA_DIR="$data_dir" CASEBRIDGE_HOME_COUNTRY="$home" \
    CASEBRIDGE_API_URL="$CASEBRIDGE_API_URL" TEMPORAL_ADDRESS="$TEMPORAL_ADDRESS" node dist/client/demo.js
  stop
}

up_pid=
stop() {
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then
    kill -INT "$up_pid" 2>/dev/null || true
    wait "$up_pid" 2>/dev/null || true
  fi
  up_pid=
}
trap stop EXIT

demo "$base_dir" "${CASEBRIDGE_HOME_COUNTRY:-US}"
if [ "${CASEBRIDGE_DEMO_UK:-1}" = 1 ]; then
  echo ""
  echo "== A UK force's deployment (CASEBRIDGE_HOME_COUNTRY=GB), on $base_dir/uk-force"
  demo "$base_dir/uk-force" GB
fi
