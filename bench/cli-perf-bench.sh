#!/usr/bin/env bash
# `skiff perf produce` side by side with Kafka's own ProducerPerformance (kafka-producer-perf-test), each against
# the Skiff broker and against Apache Kafka 4.4 (single-node KRaft, jars from Maven Central via kafka-peer), one
# broker at a time; then the wall time of `./skiff demo`. See bench/work-notes/cli-perf.md for a run and its reading.
#
# Per broker: start it, one untimed warm-up run of each tool, then for acks=1 and acks=all, RUNS rounds of both
# tools on fresh 6-partition topics (the tool that goes first alternates by round so neither always meets a
# fresher page cache). Both tools print the same summary line ("N records sent, R records/sec (M MB/sec), A ms
# avg latency, ..."), which is parsed the same way for both. Everything written lives in bench/work/cli-perf/.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/cli-perf-bench.sh [--records N] [--runs N] [--cap-rate R] [--cap-records N] [--demo-runs N]
                               [--demo-records N] [--only kafka|skiff] [--no-demo]

  --records N       records per unthrottled perf run (default 500000)
  --cap-rate R      records/s of the capped (latency) runs (default 100000)
  --cap-records N   records per capped run (default 300000)
  --runs N          rounds per acks setting; the table shows medians (default 3)
  --demo-runs N     timed runs of ./skiff demo (default 3)
  --demo-records N  records per demo run (default: the demo's own default, 1000000)
  --only X          run the perf tools against only Apache Kafka or only Skiff (default: both)
  --no-demo         skip the demo timing

environment:
  BENCH_BROKER_JVM_OPTS  JVM options for the Kafka broker (default: kafka-server-start.sh's stock options)
  BENCH_TOOL_JVM_OPTS    JVM options for Kafka's ProducerPerformance (default: -Xmx512M, as kafka-*-perf-test.sh);
                         skiff runs through its ./skiff launcher with the launcher's options (SKIFF_JAVA_OPTS adds)
  JAVA_HOME              Java to run everything with (default: java on PATH)
EOF
}

RECORDS=500000
RUNS=3
DEMO_RUNS=3
DEMO_RECORDS=""
CAP_RATE=100000
CAP_RECORDS=300000
RECORD_SIZE=100
PARTITIONS=6
TARGETS="skiff kafka"
DEMO=true
ARGS="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --records) RECORDS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --demo-runs) DEMO_RUNS="$2"; shift 2 ;;
        --cap-rate) CAP_RATE="$2"; shift 2 ;;
        --cap-records) CAP_RECORDS="$2"; shift 2 ;;
        --demo-records) DEMO_RECORDS="$2"; shift 2 ;;
        --only)
            case "$2" in kafka|skiff) TARGETS="$2" ;; *) usage >&2; exit 2 ;; esac
            shift 2 ;;
        --no-demo) DEMO=false; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$RECORDS$RUNS$DEMO_RUNS$DEMO_RECORDS$CAP_RATE$CAP_RECORDS" in
    *[!0-9]*|'') echo "counts and rates take positive integers" >&2; exit 2 ;;
esac
[ "$RUNS" -ge 1 ] && [ "$RECORDS" -ge 1 ] || { echo "--records and --runs must be at least 1" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/bench/work/cli-perf"
LIBS="$ROOT/kafka-peer/target/kafka-libs"
PEER_CLASSES="$ROOT/kafka-peer/target/classes"
LAUNCHER="$ROOT/skiff"
# ./skiff's JVM options (see the launcher); SKIFF is set to the frozen-jar command line by freeze_skiff.
SKIFF_BASE_OPTS=(-XX:+UseSerialGC -XX:+UseCompressedOops)
SKIFF=()
LAUNCHER_OK=true
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KAFKA_VERSION=4.4.0
BROKER_JVM_OPTS="${BENCH_BROKER_JVM_OPTS:--Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
TOOL_JVM_OPTS="${BENCH_TOOL_JVM_OPTS:--Xmx512M}"
START_TIMEOUT_MS=120000
WARMUP_RECORDS=200000
NUM=0
THROUGHPUT=-1
SUFFIX=""
# The settings both perf tools get, as the issue asks: 100-byte records, linger.ms=5, batch.size=65536.
COMMON_PROPS=(linger.ms=5 batch.size=65536)

RESULTS="$WORK/results"
COMMANDS="$WORK/commands.txt"
NOTES="$WORK/notes.txt"
REPORT="$WORK/report.md"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }
note() { printf '%s\n' "$*" >> "$NOTES"; log "$*"; }
# record KEY VALUE: one value per line in results/KEY; an empty key (warm-up) records nothing.
record() { [ -z "$1" ] || printf '%s\n' "$2" >> "$RESULTS/$1"; }

# Keeps the exact command line of each kind once (its first run) for the report.
note_command() {
    local kind="$1"; shift
    if ! grep -qxF "# $kind" "$COMMANDS" 2>/dev/null; then
        { printf '# %s\n' "$kind"; printf '%q ' "$@" | sed 's/ $//'; printf '\n'; } >> "$COMMANDS"
    fi
}

ensure_built() {
    if ! compgen -G "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" > /dev/null \
            || [ ! -f "$PEER_CLASSES/dev/skiff/kafkapeer/StartupProbe.class" ]; then
        log "building kafka-peer (Apache Kafka $KAFKA_VERSION jars into $LIBS)..."
        (cd "$ROOT" && mvn -q -B install -pl kafka-peer -DskipTests) >&2 || die "kafka-peer build failed"
    fi
    # ./skiff rebuilds skiff.jar when sources are newer; do it now so no timed run pays for a build.
    log "checking that ./skiff is built and current..."
    if ! (cd "$ROOT" && "$LAUNCHER" --version) > "$WORK/skiff-build.log" 2>&1; then
        [ -f "$ROOT/skiff-cli/target/skiff.jar" ] \
            || die "./skiff could not be built or run (see $WORK/skiff-build.log)"
        # Someone's half-written change in the shared tree; the last good jar still measures the last good code.
        note "./skiff could not rebuild (see bench/work/cli-perf/skiff-build.log): measured the existing" \
            "skiff-cli/target/skiff.jar of $(date -u -r "$ROOT/skiff-cli/target/skiff.jar" +%H:%M) UTC," \
            "and the demo ran from that jar with the launcher's options instead of through ./skiff"
        LAUNCHER_OK=false
    fi
    freeze_skiff
}

# The repository is shared: anyone's edit makes ./skiff rebuild skiff.jar on its next call, which would land in
# the middle of a timed run (or fail on someone's half-written code). So the perf runs use a copy of the jar
# taken once, run exactly as ./skiff runs it: the launcher's JVM options and a class-data-sharing archive made
# the launcher's way (one broker start), since the launcher's own archive is tied to the original jar's path.
freeze_skiff() {
    local tmp pid
    cp "$ROOT/skiff-cli/target/skiff.jar" "$WORK/skiff.jar"
    rm -f "$WORK/skiff.jsa"
    tmp="$(mktemp -d)"
    "$JAVA" "${SKIFF_BASE_OPTS[@]}" -XX:ArchiveClassesAtExit="$WORK/skiff.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
        -jar "$WORK/skiff.jar" broker --set "log.dirs=$tmp/data" --set "listeners=PLAINTEXT://127.0.0.1:0" \
        > "$tmp/out" 2>&1 &
    pid=$!
    for _ in $(seq 1 200); do
        grep -q "listening on" "$tmp/out" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$tmp"
    SKIFF=("$JAVA" "${SKIFF_BASE_OPTS[@]}")
    [ -f "$WORK/skiff.jsa" ] && SKIFF+=(-XX:SharedArchiveFile="$WORK/skiff.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
    # shellcheck disable=SC2206
    SKIFF+=(${SKIFF_JAVA_OPTS:-} -jar "$WORK/skiff.jar")
}

write_log_configs() {
    cat > "$WORK/log4j2-broker.properties" <<'EOF'
status = warn
shutdownHook = disable
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
    cat > "$WORK/log4j2-tools.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDERR
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
EOF
}

# A loopback port where a connection is refused, so nothing listens there.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "no free port found"
}

# Waits until the broker on port $1 (launched at epoch ms $2 as pid $3) answers ApiVersions.
await_broker() {
    "$JAVA" -Xmx64m -XX:TieredStopAtLevel=1 -cp "$PEER_CLASSES" dev.skiff.kafkapeer.StartupProbe \
        "127.0.0.1:$1" "$2" "$3" "$START_TIMEOUT_MS" > /dev/null
}

stop_pid() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    log "pid $pid ignored SIGTERM for 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

BROKER_PID=""
BOOTSTRAP=""
cleanup() {
    if [ -n "$BROKER_PID" ]; then
        stop_pid "$BROKER_PID"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts Apache Kafka (one combined KRaft node, as bench/broker-bench.sh does) on a fresh directory.
start_kafka() {
    local dir="$1" port cport cluster_id
    port="$(free_port)"
    cport="$(free_port)"
    rm -rf "$dir" && mkdir -p "$dir/data"
    cat > "$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
log.dirs=$dir/data
num.partitions=1
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
group.initial.rebalance.delay.ms=0
EOF
    cluster_id="$("$JAVA" $TOOL_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-tools.properties" -cp "$LIBS/*" \
        kafka.tools.StorageTool random-uuid)"
    "$JAVA" $TOOL_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-tools.properties" -cp "$LIBS/*" \
        kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$dir/server.properties" \
        > "$dir/format.log" 2>&1 || die "kafka-storage format failed: $(tail -5 "$dir/format.log")"
    local cmd=("$JAVA" $BROKER_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-broker.properties" \
        -cp "$LIBS/*" kafka.Kafka "$dir/server.properties")
    note_command "Apache Kafka broker" "${cmd[@]}"
    local t0
    t0="$(now_ms)"
    "${cmd[@]}" > "$dir/server.log" 2>&1 &
    BROKER_PID=$!
    BOOTSTRAP="127.0.0.1:$port"
    await_broker "$port" "$t0" "$BROKER_PID" || { tail -20 "$dir/server.log" >&2; die "Apache Kafka did not start"; }
}

# Starts the Skiff broker through its launcher, as shipped.
start_skiff() {
    local dir="$1" port t0
    port="$(free_port)"
    rm -rf "$dir" && mkdir -p "$dir/data"
    local cmd=("${SKIFF[@]}" broker --set "log.dirs=$dir/data" --set "listeners=PLAINTEXT://127.0.0.1:$port")
    note_command "Skiff broker" "${cmd[@]}"
    t0="$(now_ms)"
    "${cmd[@]}" > "$dir/server.log" 2>&1 &
    BROKER_PID=$!
    BOOTSTRAP="127.0.0.1:$port"
    await_broker "$port" "$t0" "$BROKER_PID" || { tail -20 "$dir/server.log" >&2; die "Skiff did not start"; }
}

create_topic() {
    local topic="$1" out
    local cmd=("${SKIFF[@]}" topic create -b "$BOOTSTRAP" -t "$topic" -p "$PARTITIONS")
    note_command "topic (skiff topic create, on either broker)" "${cmd[@]}"
    out="$("${cmd[@]}" 2>&1)" || die "creating $topic failed: $out"
}

# run_tool TOOL ACKS TOPIC LOG KIND: runs one perf tool; TOOL is skiff or kafka.
run_tool() {
    local tool="$1" acks="$2" topic="$3" out="$4" kind="$5" cmd
    if [ "$tool" = skiff ]; then
        cmd=("${SKIFF[@]}" perf produce -b "$BOOTSTRAP" -t "$topic" --num-records "$NUM" --record-size "$RECORD_SIZE"
            --throughput "$THROUGHPUT" --producer-props "acks=$acks" "${COMMON_PROPS[@]}" --json)
    else
        cmd=("$JAVA" $TOOL_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-tools.properties" -cp "$LIBS/*"
            org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic"
            --num-records "$NUM" --record-size "$RECORD_SIZE" --throughput "$THROUGHPUT"
            --command-property "acks=$acks" "${COMMON_PROPS[@]}")
    fi
    note_command "$kind" "${cmd[@]}"
    "${cmd[@]}" > "$out" 2>&1
}

# Runs one tool and records its summary line's figures under BROKER.TOOL.acksACKS.*; an empty broker = warm-up.
produce() {
    local broker="$1" tool="$2" acks="$3" topic="$4" out="$5" line key=""
    local name="skiff perf produce"
    [ "$tool" = skiff ] || name="kafka-producer-perf-test"
    local kind="$name (acks=$acks${SUFFIX:+, capped at $THROUGHPUT records/s})"
    [ -n "$broker" ] || kind="$name (warm-up, untimed)"
    [ -n "$broker" ] && key="$broker.$tool.acks$acks$SUFFIX"
    create_topic "$topic"
    if ! run_tool "$tool" "$acks" "$topic" "$out" "$kind"; then
        note "${broker:-warm-up}: $tool perf run (acks=$acks) failed: $(tail -1 "$out")"
        return 0
    fi
    # Both tools end with the same summary line; the last "records sent" line is the final one.
    line="$(grep 'records sent' "$out" | grep 'avg latency' | tail -1)"
    [ -n "$line" ] || { note "${broker:-warm-up}: $tool (acks=$acks) printed no summary (see $out)"; return 0; }
    [ -n "$key" ] || return 0
    record "$key.rps" "$(echo "$line" | sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/')"
    record "$key.mbps" "$(echo "$line" | sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/')"
    record "$key.avg" "$(echo "$line" | sed -E 's/.* ([0-9.]+) ms avg latency.*/\1/')"
    record "$key.p99" "$(echo "$line" | sed -E 's/.* ([0-9.]+) ms 99th.*/\1/')"
}

bench_broker() {
    local broker="$1" base="$WORK/$1" i acks first second
    log "=== $broker: starting the broker"
    if [ "$broker" = kafka ]; then start_kafka "$base/broker"; else start_skiff "$base/broker"; fi
    mkdir -p "$base/logs"
    log "=== $broker: warm-up, $WARMUP_RECORDS records per tool (not recorded)"
    NUM=$((RECORDS < WARMUP_RECORDS ? RECORDS : WARMUP_RECORDS)) THROUGHPUT=-1 SUFFIX=""
    produce "" skiff 1 warmup-skiff "$base/logs/warmup-skiff.log"
    produce "" kafka 1 warmup-kafka "$base/logs/warmup-kafka.log"
    # Unthrottled first (throughput), then capped at a rate both tools reach on both brokers (latency): an
    # unthrottled run keeps the producer's buffer full, so its latency mostly measures buffer depth.
    local mode
    for mode in max cap; do
        if [ "$mode" = max ]; then
            NUM="$RECORDS" THROUGHPUT=-1 SUFFIX=""
        else
            NUM="$CAP_RECORDS" THROUGHPUT="$CAP_RATE" SUFFIX=".cap"
        fi
        for acks in 1 all; do
            for i in $(seq 1 "$RUNS"); do
                if [ $((i % 2)) -eq 1 ]; then first=skiff; second=kafka; else first=kafka; second=skiff; fi
                for tool in "$first" "$second"; do
                    log "=== $broker: $tool perf produce acks=$acks $mode round $i/$RUNS ($NUM records)"
                    produce "$broker" "$tool" "$acks" "$tool-acks$acks-$mode-$i" \
                        "$base/logs/$tool-acks$acks-$mode-$i.log"
                done
            done
        done
    done
    stop_pid "$BROKER_PID"
    BROKER_PID=""
    rm -rf "$base/broker/data"
}

# Times ./skiff demo end to end (launcher, JVM start, embedded broker, send, consume back, close) DEMO_RUNS
# times. The demo goes through the launcher as users run it; a run in which the launcher rebuilt the jar (someone
# edited a source meanwhile) is not a demo timing, so it is thrown away and repeated (at most DEMO_RUNS extra).
bench_demo() {
    local i=0 tries=0 t0 t1 out cmd=("$LAUNCHER" demo)
    [ "$LAUNCHER_OK" = true ] || cmd=("${SKIFF[@]}" demo)
    [ -z "$DEMO_RECORDS" ] || cmd+=(--records "$DEMO_RECORDS")
    note_command "demo (wall time through the launcher, data in a fresh temp directory)" "${cmd[@]}"
    mkdir -p "$WORK/demo"
    while [ "$i" -lt "$DEMO_RUNS" ] && [ "$tries" -lt $((DEMO_RUNS * 2)) ]; do
        tries=$((tries + 1))
        out="$WORK/demo/demo-$tries.log"
        log "=== demo run $((i + 1))/$DEMO_RUNS"
        t0="$(now_ms)"
        if ! (cd "$ROOT" && "${cmd[@]}") > "$out" 2>&1; then
            note "demo attempt $tries failed: $(tail -1 "$out")"
            continue
        fi
        t1="$(now_ms)"
        if grep -q '^skiff: building' "$out"; then
            log "demo attempt $tries rebuilt the jar first; not counted"
            continue
        fi
        if ! grep -q 'OK   count' "$out"; then
            note "demo attempt $tries did not report a full count (see $out)"
            continue
        fi
        record demo.wall_ms $((t1 - t0))
        # The demo's own clock (embedded broker start to close), i.e. without the launcher and JVM start-up.
        record demo.total_ms "$(sed -nE 's/.*\[6\/6\] Close.* total ([0-9.]+) s.*/\1/p' "$out" \
            | awk '{ printf "%d", $1 * 1000 }')"
        i=$((i + 1))
    done
}

median() {
    local file="$RESULTS/$1"
    [ -s "$file" ] || { echo "n/a"; return; }
    sort -g "$file" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (m == int(m)) printf "%d", m; else if (m >= 100) printf "%.0f", m; else printf "%.2f", m }'
}

ratio() {
    case "$1$2" in *n/a*) echo "n/a"; return ;; esac
    awk -v s="$2" -v k="$1" 'BEGIN { if (k == 0) print "n/a"; else printf "%.2f", s / k }'
}

report() {
    local cpu mem broker acks metric label
    cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
    mem="$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
    {
        echo "## skiff perf produce vs Kafka's ProducerPerformance, on Skiff and on Apache Kafka $KAFKA_VERSION"
        echo
        echo "$(date -u +%Y-%m-%d), $(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown} RAM," \
            "$("$JAVA" -version 2>&1 | head -1). One broker at a time, tools on the same machine."
        echo "Median of $RUNS runs; $RECORD_SIZE B records, a fresh $PARTITIONS-partition topic per run," \
            "linger.ms=5, batch.size=65536. Throughput rows: $RECORDS records unthrottled; capped latency rows:" \
            "$CAP_RECORDS records at --throughput $CAP_RATE. Ratio = skiff perf / Kafka's tool (above 1 is faster" \
            "for throughput, below 1 is better for latency)."
        echo
        echo "| broker | acks | metric | skiff perf produce | kafka-producer-perf-test | skiff / kafka |"
        echo "|---|---|---|---:|---:|---:|"
        local rows=("|rps|records/s" "|mbps|MB/s" "|avg|avg latency (ms)" "|p99|p99 latency (ms)"
            ".cap|avg|avg latency at $CAP_RATE rec/s (ms)" ".cap|p99|p99 latency at $CAP_RATE rec/s (ms)")
        local row sfx
        for broker in $TARGETS; do
            for acks in 1 all; do
                for row in "${rows[@]}"; do
                    sfx="${row%%|*}"
                    metric="${row#*|}"
                    label="${metric#*|}"
                    metric="${metric%%|*}"
                    local s k
                    s="$(median "$broker.skiff.acks$acks$sfx.$metric")"
                    k="$(median "$broker.kafka.acks$acks$sfx.$metric")"
                    echo "| $([ "$broker" = kafka ] && echo "Apache Kafka $KAFKA_VERSION" || echo Skiff)" \
                        "| $acks | $label | $s | $k | $(ratio "$k" "$s") |"
                done
            done
        done
        if [ "$DEMO" = true ]; then
            echo
            echo "\`./skiff demo\` ${DEMO_RECORDS:-1000000} records, embedded broker, end to end (JVM start to exit):" \
                "median $(median demo.wall_ms) ms of $DEMO_RUNS runs (each: $(paste -sd ' ' "$RESULTS/demo.wall_ms" \
                2>/dev/null || echo n/a) ms); the demo's own \"total\" (broker start to close, no JVM start):" \
                "median $(median demo.total_ms) ms."
        fi
        if [ -s "$NOTES" ]; then
            echo
            echo "Notes:"
            sed 's/^/- /' "$NOTES"
        fi
        echo
        echo "Commands (first run of each kind; later runs differ only in topic names and directories):"
        echo
        echo '```sh'
        echo "bench/cli-perf-bench.sh${ARGS:+ $ARGS}"
        sed -e "s|$LAUNCHER |./skiff |g" -e "s|$ROOT/||g" "$COMMANDS"
        echo '```'
    } > "$REPORT"
    cat "$REPORT"
}

main() {
    mkdir -p "$WORK"
    rm -rf "$RESULTS" "$COMMANDS" "$NOTES"
    mkdir -p "$RESULTS"
    : > "$NOTES"
    ensure_built
    write_log_configs
    # The demo first, while no other broker is running on the machine.
    if [ "$DEMO" = true ]; then
        bench_demo
    fi
    for broker in $TARGETS; do
        bench_broker "$broker"
    done
    report
    log "report written to $REPORT"
}

main
