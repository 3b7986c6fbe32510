# Shared by the benchmarks: a fresh PostgreSQL database, the server started on it (built if missing), cleanup on
# exit, small HTTP helpers, test accounts with account-owner keys, and wrk runs. Source it after setting ROOT,
# JAR, STARTUP_TIMEOUT, PGHOST/PGPORT/PGUSER, SERVER_ENV (an array of extra VAR=value for the server), JAVA_OPTS
# (the server's JVM options, default below) and JAVA (the server's java, default below).
# shellcheck shell=bash

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v python3 >/dev/null || die "python3 is required"
command -v psql >/dev/null || die "psql is required"
PGBENCH="$(command -v pgbench || true)"
[[ -n "$PGBENCH" ]] || PGBENCH="$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n 1 || true)"
[[ -x "$PGBENCH" ]] || die "pgbench not found"

# The server's JVM options by default: the image's own (the Dockerfile's JAVA_TOOL_OPTIONS: collector, huge pages),
# read from it so that the benchmarks measure what production runs, with the heap the README's memory figures are for.
if [[ -z "${JAVA_OPTS:-}" ]]; then
    IMAGE_JAVA_OPTS="$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\(.*\)"$/\1/p' "$ROOT/Dockerfile" 2>/dev/null || true)"
    [[ -n "$IMAGE_JAVA_OPTS" ]] || die "no JAVA_TOOL_OPTIONS in $ROOT/Dockerfile (run from a checkout, or set JAVA_OPTS)"
    JAVA_OPTS="-Xmx256m $IMAGE_JAVA_OPTS"
fi
export JAVA_OPTS

# The server's Java: JAVA (a java command), else the image's release (the Dockerfile's runtime stage,
# eclipse-temurin:<release>...): the java on PATH if it is that release, or a JDK of it under /usr/lib/jvm.
java_property() { "$2" -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$1 = //p"; }   # name java
java_version() { java_property java.runtime.version "$1"; }
# resolve_java command: its absolute path (the server starts in $WORK, where a relative one would not be found).
resolve_java() {
    local java
    java="$(command -v "$1" || true)"
    [[ -n "$java" && -x "$java" ]] || die "not a java command: $1"
    readlink -f "$java"
}
image_java() {
    local release java jcmd
    release="$(sed -n 's/^FROM eclipse-temurin:\([0-9]*\)[._-].*jre.*/\1/p' "$ROOT/Dockerfile" 2>/dev/null \
        | tail -n 1 || true)"
    [[ -n "$release" ]] || die "no eclipse-temurin runtime in $ROOT/Dockerfile (run from a checkout, or set JAVA)"
    java="$(command -v java || true)"
    if [[ -z "$java" || "$(java_property java.specification.version "$java")" != "$release" ]]; then
        java=""
        for jcmd in /usr/lib/jvm/*-"$release"-*/bin/jcmd; do   # a JDK: JFR=1 needs its jcmd and jfr
            if [[ -x "$jcmd" ]]; then java="$(dirname "$jcmd")/java"; break; fi
        done
        [[ -n "$java" ]] || die "the image runs Java $release: no JDK of it under /usr/lib/jvm; set JAVA to its java"
    fi
    resolve_java "$java"
}
if [[ -z "${JAVA:-}" ]]; then JAVA="$(image_java)" || exit 1; else JAVA="$(resolve_java "$JAVA")" || exit 1; fi
# Its JDK's jcmd and jfr: another release's may not attach to the server or read its recordings.
JAVA_BIN="$(dirname "$JAVA")"
JCMD="$JAVA_BIN/jcmd"; [[ -x "$JCMD" ]] || JCMD=jcmd
JFR_TOOL="$JAVA_BIN/jfr"; [[ -x "$JFR_TOOL" ]] || JFR_TOOL=jfr
if (( ${JFR:-0} )) && [[ "$JCMD" == jcmd ]]; then
    log "warning: $JAVA has no jcmd beside it (a JRE?): JFR uses the jcmd and jfr on PATH"
fi
export JFR_TOOL

# ---------------------------------------------------------------- cleanup
WORK="$(mktemp -d "/tmp/bench-${BENCH_NAME:-run}.XXXXXX")"
DB="bench_$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
DB_CREATED=0
SERVER_PID=""
CHILD_PID=""
PG_POSTMASTER=""
PG_CORES=""
PIN_PG_CORE=""

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

# Runs a command in the background and waits for it, so that INT/TERM reach the trap at once.
run_child() {
    "$@" &
    CHILD_PID=$!
    local rc=0
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    return "$rc"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$CHILD_PID" ]]; then
        kill "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
    fi
    stop_server
    unpin_postgres
    if (( DB_CREATED )); then
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 \
            || log "warning: could not drop database $DB"
    fi
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PIN=1: PostgreSQL on the last core, and this script with everything it starts (server, load generator, pgbench) on
# the others, as when the database has a host of its own: then neither evicts the other's code and data from the
# cores' caches. PostgreSQL must run on this machine and its processes' affinity must be ours to set (root); new
# backends inherit the postmaster's. Put back on exit.
pin_postgres() {
    command -v taskset >/dev/null || die "PIN=1 needs taskset"
    local cores last checkpointer
    cores="$(nproc)"
    (( cores >= 2 )) || die "PIN=1 needs at least 2 cores"
    last=$(( cores - 1 ))
    # The postmaster is the parent of the checkpointer, a process that lives as long as it does.
    checkpointer="$(psql -X -A -t -d postgres \
        -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")" || die "cannot reach PostgreSQL"
    PG_POSTMASTER="$(ps -o ppid= -p "${checkpointer:-0}" 2>/dev/null | tr -d ' ' || true)"
    [[ -n "$PG_POSTMASTER" ]] && kill -0 "$PG_POSTMASTER" 2>/dev/null \
        || die "PIN=1: PostgreSQL's postmaster not found on this machine"
    PG_CORES="$(taskset -pc "$PG_POSTMASTER" | sed -E 's/.*: //')"
    taskset -pc "$last" "$PG_POSTMASTER" >/dev/null 2>&1 || die "PIN=1: cannot set PostgreSQL's affinity"
    # Its children running now (a backend may have ended since pgrep listed it).
    for pid in $(pgrep -P "$PG_POSTMASTER"); do
        taskset -pc "$last" "$pid" >/dev/null 2>&1 || true
    done
    taskset -pc "0-$(( last - 1 ))" $$ >/dev/null || die "PIN=1: cannot set this script's affinity"
    PIN_PG_CORE="$last"
    log "pinned: PostgreSQL on core $last, the server and load generators on cores 0-$(( last - 1 ))"
}
unpin_postgres() {
    [[ -n "$PG_POSTMASTER" && -n "$PG_CORES" ]] || return 0
    for pid in "$PG_POSTMASTER" $(pgrep -P "$PG_POSTMASTER"); do
        taskset -pc "$PG_CORES" "$pid" >/dev/null 2>&1 || true
    done
    PG_POSTMASTER=""
}
if [[ "${PIN:-0}" == 1 ]]; then
    pin_postgres
fi

# ---------------------------------------------------------------- build, database, server
if [[ ! -f "$JAR" ]]; then
    # package, not install: the reactor builds the modules without touching ~/.m2's snapshot jars.
    log "jar missing, building: ./mvnw -q -B -pl app -am package -DskipTests"
    (cd "$ROOT" && ./mvnw -q -B -pl app -am package -DskipTests)
    [[ -f "$JAR" ]] || die "build did not produce $JAR"
fi
JAR="$(readlink -f "$JAR")"   # the server starts in $WORK

psql -X -q -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null || die "cannot create database $DB on $PGHOST:$PGPORT"
DB_CREATED=1
log "database: $DB"
# Settings for the server's sessions on this database only (e.g. DB_SETTINGS="log_statement=all"), before it connects.
for setting in ${DB_SETTINGS:-}; do
    psql -X -q -d postgres -c "ALTER DATABASE \"$DB\" SET ${setting%%=*} = '${setting#*=}'" >/dev/null \
        || die "cannot set $setting on $DB"
done

# free_port: a TCP port free on 127.0.0.1 right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"
ADMIN_KEY="$(python3 -c 'import secrets; print("adm_" + secrets.token_hex(24))')"
BASE="http://$HOST:$PORT"

# start_server [java arguments]: the server (default: -jar "$JAR") on $PORT and the benchmark's database, waiting until
# it is healthy; its log in $WORK/server.log (appended to, across restarts).
start_server() {
    local main=("$@")
    (( ${#main[@]} )) || main=(-jar "$JAR")
    log "starting server on port $PORT"
    # With JFR=1 the JVM starts with a recording (default settings, kept running): JFR instruments JDK classes when
    # it is first enabled, and doing that under load (jcmd JFR.start) deoptimized the compiled code, so a profiled
    # phase then measured the JIT compiling again (a replay's JVM CPU per event tripled). The phases' recordings
    # start later.
    # JFR keeps 64 frames of a stack by default; a request's stack here is deeper (Tomcat, the filters, Spring
    # Security, Spring MVC, Axon), and 72% of a create's samples were cut, losing the frames that say which request
    # they belong to. JFR_STACK_DEPTH sets it.
    local jfr_at_start=""
    (( ${JFR:-0} )) && jfr_at_start="-XX:StartFlightRecording=name=startup,settings=default,maxsize=20m"
    (( ${JFR:-0} )) && jfr_at_start+=" -XX:FlightRecorderOptions:stackdepth=${JFR_STACK_DEPTH:-512}"
    (
        cd "$WORK"   # keeps any relative paths (e.g. the default ./data) out of the repository
        # shellcheck disable=SC2086
        exec env SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
            SPRING_DATASOURCE_USERNAME="$PGUSER" \
            SPRING_DATASOURCE_PASSWORD= \
            SERVER_PORT="$PORT" \
            SERVER_ADDRESS=127.0.0.1 \
            ADMIN_API_KEY="$ADMIN_KEY" \
            TOKEN_ENCRYPTION_KEY="$TOKEN_KEY" \
            APP_RATE_LIMIT_REQUESTS_PER_MINUTE=0 \
            APP_RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE=0 \
            "${SERVER_ENV[@]}" \
            "$JAVA" ${JAVA_OPTS:-} $jfr_at_start "${main[@]}"
    ) >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!

    local deadline=$(( $(date +%s) + STARTUP_TIMEOUT ))
    until [[ "$(curl -s --max-time 2 "$BASE/actuator/health" 2>/dev/null || true)" == *'"status":"UP"'* ]]; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 40 "$WORK/server.log" >&2 || true
            die "server exited during startup (log above)"
        fi
        if (( $(date +%s) >= deadline )); then
            tail -n 40 "$WORK/server.log" >&2 || true
            die "server not healthy after ${STARTUP_TIMEOUT}s"
        fi
        sleep 0.5
    done
    log "server is UP"
}
TOKEN_KEY="$(head -c 32 /dev/urandom | base64)"
start_server

# ---------------------------------------------------------------- database, JFR and fan-out helpers
# db_sql statement: runs it on the benchmark's database, printing bare values.
db_sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

# jfr_start name / jfr_stop name: with JFR=1, a recording of the server (settings JFR_SETTINGS, default profile),
# its hottest frames written to $WORK/name.jfr.txt (bench/jfr_top.py).
jfr_start() { (( ${JFR:-0} )) && "$JCMD" "$SERVER_PID" JFR.start name="$1" settings="${JFR_SETTINGS:-profile}" >/dev/null || true; }
jfr_stop() {
    (( ${JFR:-0} )) || return 0
    "$JCMD" "$SERVER_PID" JFR.stop name="$1" filename="$WORK/$1.jfr" >/dev/null || { log "JFR.stop failed"; return 0; }
    python3 "$ROOT/bench/jfr_top.py" "$WORK/$1.jfr" >"$WORK/$1.jfr.txt" || log "could not read $WORK/$1.jfr"
}

# pgss_start / pgss_stop name requests: with PGSS=1, what the database's statements took between the two, from
# pg_stat_statements (needs shared_preload_libraries='pg_stat_statements'), per request, to $WORK/name.pgss.txt.
# Its times are execution only (not parsing, the protocol or the commit's WAL flush), but they name what runs.
pgss_start() {
    (( ${PGSS:-0} )) || return 0
    db_sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 \
        && db_sql "SELECT pg_stat_statements_reset()" >/dev/null 2>&1 \
        || { log "PGSS=1: pg_stat_statements is not loaded; no statement figures"; PGSS=0; }
}
pgss_stop() {
    (( ${PGSS:-0} )) || return 0
    local requests=$2
    (( requests > 0 )) || requests=1
    db_sql "SELECT to_char(calls::numeric / $requests, 'FM9990.000') || ' calls, '
                || to_char(total_exec_time * 1000 / $requests, 'FM99990.0') || ' us per request ('
                || to_char(total_exec_time / calls * 1000, 'FM99990.0') || ' us a call, '
                || to_char(rows::numeric / calls, 'FM9990.0') || ' rows): '
                || left(regexp_replace(query, '\s+', ' ', 'g'), 110)
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = current_database() AND calls > 0
            ORDER BY total_exec_time DESC LIMIT ${PGSS_TOP:-15}" >"$WORK/$1.pgss.txt" 2>&1 || true
    db_sql "SELECT 'all statements: ' || to_char(SUM(calls)::numeric / $requests, 'FM9990.00') || ' calls, '
                || to_char(SUM(total_exec_time) * 1000 / $requests, 'FM99990.0') || ' us per request'
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()" \
        >>"$WORK/$1.pgss.txt" 2>&1 || true
}

# cpu_start name / cpu_stop: the JVM's and the database's PostgreSQL backends' CPU between the two (bench/cpu_sampler.py),
# written to $WORK/name.cpu (jvm_cpu_s, pg_cpu_s, jvm_max_rss_mb, jvm_threads).
CPU_PID=""
cpu_start() {
    python3 "$ROOT/bench/cpu_sampler.py" "$SERVER_PID" "$DB" "$WORK/$1.cpu" & CPU_PID=$!
    until [[ -f "$WORK/$1.cpu.ready" ]]; do
        kill -0 "$CPU_PID" 2>/dev/null || die "the CPU sampler exited"
        sleep 0.05
    done
}
cpu_stop() { kill -TERM "$CPU_PID" 2>/dev/null || true; wait "$CPU_PID" 2>/dev/null || true; CPU_PID=""; }

# wait_for_fan_out max_seconds: until the webhook fan-out's token has reached the last event in the store. Events
# written in SQL (prefill, replay) arrive behind its back, and it takes every one of them, competing with what is
# measured next; a store that grew through the API has no such backlog.
wait_for_fan_out() {
    local head position deadline=$(( $(date +%s) + $1 ))
    head="$(db_sql "SELECT MAX(global_index) FROM domain_event_entry")"
    while true; do
        position="$(db_sql "SELECT COALESCE(MIN((convert_from(token, 'UTF8')::json->>'index')::bigint), 0)
                            FROM token_entry WHERE processor_name = 'webhook-deliveries'")"
        (( position >= head )) && return 0
        if (( $(date +%s) >= deadline )); then
            log "the webhook fan-out is still at event $position of $head; measuring anyway"
            return 0
        fi
        log "webhook fan-out at event $position of $head"
        sleep 5
    done
}

# ---------------------------------------------------------------- set-up: account and account-owner key
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
post_json() { # url key body -> prints body, fails on non-200
    local out code
    out="$(curl -s --max-time 30 -w '\n%{http_code}' -X POST "$1" -H "x-api-key: $2" \
        -H 'Content-Type: application/json' -d "$3")" || die "POST $1 failed"
    code="${out##*$'\n'}"
    [[ "$code" == 200 ]] || die "POST $1 answered $code: ${out%$'\n'*}"
    printf '%s' "${out%$'\n'*}"
}

# create_accounts count: that many test accounts, each with an account-owner key; fills ACCOUNT_IDS and API_KEYS.
create_accounts() {
    local a account_id
    API_KEYS=()
    ACCOUNT_IDS=()
    for a in $(seq 1 "$1"); do
        account_id="$(post_json "$BASE/api/accounts" "$ADMIN_KEY" "{\"name\":\"bench $a\",\"test\":true}" | json_field id)"
        ACCOUNT_IDS+=("$account_id")
        API_KEYS+=("$(post_json "$BASE/api/accounts/$account_id/api-keys" "$ADMIN_KEY" \
            '{"name":"bench","role":"account-owner"}' | json_field secret)")
    done
}

# ---------------------------------------------------------------- load and its summary
# wrk_load run seconds script outfile: wrk with THREADS threads and CLIENTS connections against BASE, BENCH_RUN=run
# (and whatever else the caller puts in the environment); keeps the script's "key: value" summary lines in outfile.
wrk_load() {
    BENCH_RUN="$1" run_child wrk -t "$THREADS" -c "$CLIENTS" -d "${2}s" --timeout 30s -s "$3" "$BASE" \
        >"$4.raw" 2>&1 || { cat "$4.raw" >&2; die "wrk failed"; }
    grep -E '^[a-z0-9_]+: ' "$4.raw" >"$4"
}
field() { awk -v k="$2:" '$1 == k { print $2 }' "$1"; }   # field file key
rate() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }
# wrk_lua_prelude file: starts a wrk script with what every benchmark's script needs: api_keys from BENCH_API_KEYS,
# each thread numbered (tid) and kept in threads, so that done() can add up the threads' counts, and count_answer().
wrk_lua_prelude() {
    cat >"$1" <<'LUA'
local api_keys = {}
for key in string.gmatch(os.getenv("BENCH_API_KEYS"), "[^,]+") do table.insert(api_keys, key) end
local threads = {}
local next_tid = 1

function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
   table.insert(threads, thread)
end

-- Counts an answer in the thread's ok or statuses (which its init() sets up); true for a 200.
function count_answer(status)
   if status == 200 then
      ok = ok + 1
      return true
   end
   statuses[status] = (statuses[status] or 0) + 1
   return false
end
LUA
}

# wrk_lua_summary file [counter ...]: ends a wrk script (whose threads count "ok" and "statuses") with a done() that
# adds up the threads' counts and prints the "key: value" summary wrk_load keeps; each named counter (a number every
# thread keeps, e.g. "replayed") is added up and printed too.
wrk_lua_summary() {
    local file="$1" counters=""
    shift
    (( $# )) && counters="$(printf '"%s",' "$@")"
    printf '\nlocal summary_counters = {%s}\n' "$counters" >>"$file"
    cat >>"$file" <<'LUA'

function done(summary, latency, requests)
   local ok_total, other, extra = 0, {}, {}
   for _, t in ipairs(threads) do
      ok_total = ok_total + t:get("ok")
      for status, count in pairs(t:get("statuses")) do
         other[status] = (other[status] or 0) + count
      end
      for _, name in ipairs(summary_counters) do
         extra[name] = (extra[name] or 0) + t:get(name)
      end
   end
   local non200, parts = 0, {}
   for status, count in pairs(other) do
      non200 = non200 + count
      table.insert(parts, status .. "=" .. count)
   end
   local e = summary.errors
   io.write(string.format("requests: %d\n", summary.requests))
   io.write(string.format("ok: %d\n", ok_total))
   for _, name in ipairs(summary_counters) do
      io.write(string.format("%s: %d\n", name, extra[name] or 0))
   end
   io.write(string.format("non200: %d\n", non200))
   io.write(string.format("non200_by_status: %s\n", #parts > 0 and table.concat(parts, ",") or "none"))
   io.write(string.format("socket_errors: %d\n", e.connect + e.read + e.write + e.timeout))
   io.write(string.format("socket_errors_detail: connect=%d,read=%d,write=%d,timeout=%d\n",
      e.connect, e.read, e.write, e.timeout))
   io.write(string.format("elapsed_s: %.3f\n", summary.duration / 1e6))
   io.write(string.format("p50_ms: %.2f\n", latency:percentile(50) / 1000))
   io.write(string.format("p99_ms: %.2f\n", latency:percentile(99) / 1000))
   io.write(string.format("max_ms: %.2f\n", latency.max / 1000))
end
LUA
}
