#!/usr/bin/env bash
# Side-by-side broker benchmark: Apache Kafka 4.4 (single-node KRaft, jars from Maven Central via kafka-peer)
# against the Skiff broker, one broker at a time on this machine. See bench/README.md.
#
# For each broker: start it RUNS times on a fresh directory (start-up time), then against the last start run
# Kafka's own ProducerPerformance (acks=1 and acks=all) and ConsumerPerformance RUNS times each, then read the
# broker's resident memory. Prints a Markdown table of medians and the exact command lines; everything it writes
# lives in bench/work/ (git-ignored).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/broker-bench.sh [--records N] [--runs N] [--only kafka|skiff] [--keep]

  --records N   records per producer/consumer run (default 3000000)
  --runs N      runs per measurement; the table shows medians (default 3)
  --only X      benchmark only Apache Kafka or only Skiff (default: both)
  --keep        keep broker data directories in bench/work/ afterwards

environment:
  BENCH_BROKER_JVM_OPTS  JVM options for the Kafka broker (default: Kafka's stock kafka-server-start.sh options);
                         Skiff runs with its launcher's options (add more with SKIFF_JAVA_OPTS)
  BENCH_TOOL_JVM_OPTS    JVM options for the perf tools (default: -Xmx512M, as kafka-*-perf-test.sh)
  JAVA_HOME              Java to run everything with (default: java on PATH)
EOF
}

RECORDS=3000000
RUNS=3
RECORD_SIZE=100
PARTITIONS=6
TARGETS="kafka skiff"
ONLY=""
KEEP=false
while [ $# -gt 0 ]; do
    case "$1" in
        --records) RECORDS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --only)
            case "$2" in kafka|skiff) TARGETS="$2"; ONLY=" --only $2" ;; *) usage >&2; exit 2 ;; esac
            shift 2 ;;
        --keep) KEEP=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$RECORDS$RUNS" in *[!0-9]*|'') echo "--records and --runs take positive integers" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] && [ "$RECORDS" -ge 1 ] || { echo "--records and --runs must be at least 1" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/bench/work"
LIBS="$ROOT/kafka-peer/target/kafka-libs"
PEER_CLASSES="$ROOT/kafka-peer/target/classes"
SKIFF_JAR="$ROOT/skiff-cli/target/skiff.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KAFKA_VERSION=4.4.0
# kafka-server-start.sh's defaults (KAFKA_HEAP_OPTS + KAFKA_JVM_PERFORMANCE_OPTS), for the Kafka broker.
BROKER_JVM_OPTS="${BENCH_BROKER_JVM_OPTS:--Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
TOOL_JVM_OPTS="${BENCH_TOOL_JVM_OPTS:--Xmx512M}"
START_TIMEOUT_MS=120000
WARMUP_RECORDS=500000

RESULTS="$WORK/results"
COMMANDS="$WORK/commands.txt"
REPORT="$WORK/report.md"
NOTES="$WORK/notes.txt"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }

# Records the exact command line of each kind once (first run), for the report.
note_command() {
    local kind="$1"; shift
    if ! grep -q "^# $kind\$" "$COMMANDS" 2>/dev/null; then
        { printf '# %s\n' "$kind"; printf '%q ' "$@" | sed 's/ $//'; printf '\n'; } >> "$COMMANDS"
    fi
}

# record TARGET METRIC VALUE; an empty target (the warm-up) records nothing.
record() { [ -z "$1" ] || printf '%s\n' "$3" >> "$RESULTS/$1.$2"; }
note() { printf '%s\n' "$*" >> "$NOTES"; log "$*"; }

# Runs a Kafka tool (kafka-tools / kafka_2.13 class) with the kafka-peer libs, like bin/kafka-run-class.sh.
tool() {
    local kind="$1"; shift
    local cmd=("$JAVA" $TOOL_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-tools.properties" -cp "$LIBS/*" "$@")
    note_command "$kind" "${cmd[@]}"
    "${cmd[@]}"
}

ensure_built() {
    if ! compgen -G "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" > /dev/null \
            || [ ! -f "$PEER_CLASSES/dev/skiff/kafkapeer/StartupProbe.class" ]; then
        log "building kafka-peer (Apache Kafka $KAFKA_VERSION jars into $LIBS)..."
        (cd "$ROOT" && mvn -q -B install -pl kafka-peer -DskipTests) >&2 || die "kafka-peer build failed"
    fi
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

# A port nothing listens on: connecting is refused.
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

# Times a launched broker: prints "accept_ms ready_ms" or fails. $1 port, $2 launch time (epoch ms), $3 pid.
probe() {
    local out
    out="$("$JAVA" -Xmx64m -XX:TieredStopAtLevel=1 -cp "$PEER_CLASSES" dev.skiff.kafkapeer.StartupProbe \
        "127.0.0.1:$1" "$2" "$3" "$START_TIMEOUT_MS")" || { echo "$out" >&2; return 1; }
    echo "$out" | sed -E 's/accept_ms=([0-9]+) ready_ms=([0-9]+)/\1 \2/'
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

rss_mb() { awk -v key="$2:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

BROKER_PID=""
BOOTSTRAP=""
cleanup() {
    if [ -n "$BROKER_PID" ]; then
        stop_pid "$BROKER_PID"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts Apache Kafka on a fresh directory; sets BROKER_PID and BOOTSTRAP; records start-up times.
start_kafka() {
    local dir="$1" port cport cluster_id t0 times
    port="$(free_port)"
    cport="$(free_port)"
    rm -rf "$dir" && mkdir -p "$dir/data"
    # Kafka's config/server.properties for a single combined node, on loopback, with a static quorum.
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
# As Kafka's ZooKeeper-era sample config did: the 3 s default would dominate a short consumer-group run.
group.initial.rebalance.delay.ms=0
EOF
    cluster_id="$(tool "kafka-storage random-uuid" kafka.tools.StorageTool random-uuid)"
    tool "kafka-storage format (not timed)" kafka.tools.StorageTool format --cluster-id "$cluster_id" \
        --config "$dir/server.properties" > "$dir/format.log" 2>&1 \
        || die "kafka-storage format failed: $(tail -5 "$dir/format.log")"
    local cmd=("$JAVA" $BROKER_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-broker.properties" \
        -cp "$LIBS/*" kafka.Kafka "$dir/server.properties")
    note_command "Apache Kafka broker" "${cmd[@]}"
    t0="$(now_ms)"
    "${cmd[@]}" > "$dir/server.log" 2>&1 &
    BROKER_PID=$!
    BOOTSTRAP="127.0.0.1:$port"
    if ! times="$(probe "$port" "$t0" "$BROKER_PID")"; then
        log "Apache Kafka did not start; last lines of $dir/server.log:"
        tail -20 "$dir/server.log" >&2
        die "Apache Kafka failed to start"
    fi
    record kafka startup_accept_ms "${times% *}"
    record kafka startup_ready_ms "${times#* }"
}

# Starts Skiff on a fresh directory as ./skiff would (java -jar skiff.jar broker ...). Returns 1 if it fails.
start_skiff() {
    local dir="$1" port t0 times
    port="$(free_port)"
    rm -rf "$dir" && mkdir -p "$dir/data"
    # Each broker runs as shipped: Kafka with kafka-server-start.sh's JVM options, Skiff through its own
    # launcher (./skiff execs java with its options; its build-staleness check is part of the start-up).
    # Same group setting as Kafka's server.properties above (Kafka's sample config sets it to 0 too).
    local cmd=("$ROOT/skiff" broker --set "log.dirs=$dir/data" --set "listeners=PLAINTEXT://127.0.0.1:$port" \
        --set "group.initial.rebalance.delay.ms=0")
    note_command "Skiff broker (./skiff broker, the launcher's JVM options)" "${cmd[@]}"
    t0="$(now_ms)"
    "${cmd[@]}" > "$dir/server.log" 2>&1 &
    BROKER_PID=$!
    BOOTSTRAP="127.0.0.1:$port"
    if ! times="$(probe "$port" "$t0" "$BROKER_PID")"; then
        note "Skiff broker failed to start (see $dir/server.log); last lines:"
        tail -20 "$dir/server.log" | sed 's/^/    /' | tee -a "$NOTES" >&2
        stop_pid "$BROKER_PID"
        BROKER_PID=""
        return 1
    fi
    record skiff startup_accept_ms "${times% *}"
    record skiff startup_ready_ms "${times#* }"
}

create_topic() {
    local target="$1" topic="$2" out
    if ! out="$(tool "kafka-topics --create" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
            --create --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 2>&1)"; then
        note "$target: creating $topic with $PARTITIONS partitions failed ($(echo "$out" | tail -1));" \
            "the producer run relies on auto-creation, so the partition count may differ"
    fi
}

# ProducerPerformance's summary line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max
# latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th."
produce() {
    local target="$1" acks="$2" topic="$3" log="$4" line kind="kafka-producer-perf-test (acks=$2)"
    [ -n "$target" ] || kind="kafka-producer-perf-test (warm-up, untimed)"
    if ! tool "$kind" org.apache.kafka.tools.ProducerPerformance \
            --bootstrap-server "$BOOTSTRAP" --topic "$topic" --num-records "$RECORDS" --record-size "$RECORD_SIZE" \
            --throughput -1 --command-property "acks=$acks" linger.ms=5 batch.size=65536 > "$log" 2>&1; then
        note "${target:-warm-up}: producer run (acks=$acks) failed: $(tail -1 "$log")"
        return 0
    fi
    line="$(grep 'records sent' "$log" | tail -1)"
    [ -n "$line" ] || { note "${target:-warm-up}: producer run (acks=$acks) printed no summary (see $log)"; return 0; }
    local name="acks${acks}"
    record "$target" "produce_${name}_rps" "$(echo "$line" | sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/')"
    record "$target" "produce_${name}_mbps" "$(echo "$line" | sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/')"
    record "$target" "produce_${name}_avg_ms" "$(echo "$line" | sed -E 's/.* ([0-9.]+) ms avg latency.*/\1/')"
    record "$target" "produce_${name}_p99_ms" "$(echo "$line" | sed -E 's/.* ([0-9.]+) ms 99th.*/\1/')"
}

# ConsumerPerformance prints a CSV header and one data row; columns are picked by name.
consume() {
    local target="$1" topic="$2" group="$3" log="$4"
    if ! tool "kafka-consumer-perf-test" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
            --topic "$topic" --num-records "$RECORDS" --group "$group" --timeout 60000 > "$log" 2>&1; then
        note "$target: consumer run failed: $(tail -1 "$log")"
        return 0
    fi
    local values
    values="$(awk -F', *' '
        /^start.time/ { for (i = 1; i <= NF; i++) col[$i] = i; next }
        ("nMsg.sec" in col) && NF >= col["nMsg.sec"] && $0 !~ /WARN|ERROR/ {
            print $col["data.consumed.in.nMsg"], $col["nMsg.sec"], $col["MB.sec"], $col["fetch.nMsg.sec"]
        }' "$log" | tail -1)"
    [ -n "$values" ] || { note "$target: consumer run printed no result row (see $log)"; return 0; }
    read -r consumed nmsg mbsec fetchnmsg <<< "$values"
    if [ "${consumed%.*}" -lt "$RECORDS" ]; then
        note "$target: consumer read only $consumed of $RECORDS records (timeout); its figures are not recorded"
        return 0
    fi
    record "$target" consume_rps "$nmsg"
    record "$target" consume_mbps "$mbsec"
    record "$target" consume_fetch_rps "$fetchnmsg"
}

bench_target() {
    local target="$1" base="$WORK/$1" i
    log "=== $target: $RUNS start-up runs"
    for i in $(seq 1 "$RUNS"); do
        if [ "$target" = kafka ]; then
            start_kafka "$base/run-$i"
        elif ! start_skiff "$base/run-$i"; then
            return 0
        fi
        log "$target start $i: $(tail -1 "$RESULTS/$target.startup_accept_ms") ms to accept," \
            "$(tail -1 "$RESULTS/$target.startup_ready_ms") ms to first response"
        if [ "$i" -lt "$RUNS" ]; then
            stop_pid "$BROKER_PID"
            BROKER_PID=""
            rm -rf "$base/run-$i"
        fi
    done
    local logs="$base/tool-logs"
    mkdir -p "$logs"
    # One untimed run first, so neither broker is measured while its JIT is still cold.
    local warmup=$((RECORDS < WARMUP_RECORDS ? RECORDS : WARMUP_RECORDS))
    log "=== $target: warm-up, $warmup records (not recorded)"
    create_topic "$target" perf-warmup
    RECORDS="$warmup" produce "" 1 perf-warmup "$logs/produce-warmup.log"
    for acks in 1 all; do
        for i in $(seq 1 "$RUNS"); do
            log "=== $target: produce acks=$acks run $i/$RUNS ($RECORDS records)"
            create_topic "$target" "perf-acks$acks-$i"
            produce "$target" "$acks" "perf-acks$acks-$i" "$logs/produce-acks$acks-$i.log"
        done
    done
    for i in $(seq 1 "$RUNS"); do
        log "=== $target: consume run $i/$RUNS ($RECORDS records from perf-acks1-1)"
        consume "$target" perf-acks1-1 "perf-consumer-$i" "$logs/consume-$i.log"
    done
    if kill -0 "$BROKER_PID" 2>/dev/null; then
        record "$target" rss_mb "$(rss_mb "$BROKER_PID" VmRSS)"
        record "$target" hwm_mb "$(rss_mb "$BROKER_PID" VmHWM)"
    else
        note "$target: the broker process is gone after the load; no memory figure"
    fi
    stop_pid "$BROKER_PID"
    BROKER_PID=""
    if [ "$KEEP" != true ]; then
        rm -rf "$base/run-$RUNS/data"
    fi
}

median() {
    local file="$RESULTS/$1.$2"
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
    local rows=(
        "startup_accept_ms|start-up: launch to port accepting (ms, lower is better)"
        "startup_ready_ms|start-up: launch to first ApiVersions answer (ms, lower is better)"
        "produce_acks1_rps|produce acks=1 (records/s)"
        "produce_acks1_mbps|produce acks=1 (MB/s)"
        "produce_acks1_avg_ms|produce acks=1 avg latency (ms, lower is better)"
        "produce_acks1_p99_ms|produce acks=1 p99 latency (ms, lower is better)"
        "produce_acksall_rps|produce acks=all (records/s)"
        "produce_acksall_mbps|produce acks=all (MB/s)"
        "produce_acksall_avg_ms|produce acks=all avg latency (ms, lower is better)"
        "produce_acksall_p99_ms|produce acks=all p99 latency (ms, lower is better)"
        "consume_rps|consume (records/s, incl. group join)"
        "consume_mbps|consume (MB/s, incl. group join)"
        "consume_fetch_rps|consume, fetch phase only (records/s)"
        "rss_mb|broker RSS after the load (MB, lower is better)"
        "hwm_mb|broker peak RSS (VmHWM, MB, lower is better)"
    )
    local cpu mem
    cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
    mem="$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
    {
        echo "## Broker benchmark: Apache Kafka $KAFKA_VERSION vs Skiff"
        echo
        echo "$(date -u +%Y-%m-%d), $(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown} RAM," \
            "$("$JAVA" -version 2>&1 | head -1). One broker at a time; the perf tools run on the same machine."
        echo "Median of $RUNS runs; $RECORDS records of $RECORD_SIZE B per run, $PARTITIONS partitions," \
            "linger.ms=5, batch.size=65536, throughput unthrottled."
        echo
        echo "| metric | Apache Kafka $KAFKA_VERSION | Skiff | Skiff / Kafka |"
        echo "|---|---:|---:|---:|"
        local row key label k s
        for row in "${rows[@]}"; do
            key="${row%%|*}"
            label="${row#*|}"
            k="$(median kafka "$key")"
            s="$(median skiff "$key")"
            echo "| $label | $k | $s | $(ratio "$k" "$s") |"
        done
        if [ -s "$NOTES" ]; then
            echo
            echo "Notes:"
            # Indented lines (log tails) become nested code bullets under the note before them.
            sed -E -e 's/^    (.*)$/  - `\1`/' -e '/^  - `/!s/^/- /' "$NOTES"
        fi
        echo
        echo "Kafka broker JVM options: \`$BROKER_JVM_OPTS\`; Skiff: the options of its ./skiff launcher"
        echo
        echo "Commands (first run of each kind; later runs differ only in topic, group and directory names):"
        echo
        echo '```sh'
        echo "bench/broker-bench.sh --records $RECORDS --runs $RUNS$ONLY"
        sed -e "s|$ROOT/||g" "$COMMANDS"
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
    for target in $TARGETS; do
        if [ "$target" = skiff ]; then
            # ./skiff rebuilds skiff.jar when sources are newer, so the timed runs below never use a stale jar.
            log "checking that ./skiff is built and current..."
            if ! (cd "$ROOT" && ./skiff --help) > "$WORK/skiff-build.log" 2>&1 || [ ! -f "$SKIFF_JAR" ]; then
                note "Skiff: ./skiff could not be built or run (see bench/work/skiff-build.log);" \
                    "the Skiff column is left empty"
                continue
            fi
        fi
        bench_target "$target"
    done
    report
    log "report written to $REPORT"
}

main
