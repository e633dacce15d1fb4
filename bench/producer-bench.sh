#!/usr/bin/env bash
# Side-by-side producer benchmark: the Skiff producer against kafka-clients' KafkaProducer 4.4, same settings,
# same load, same broker, run once against the Skiff broker and once against Apache Kafka 4.4 (single-node
# KRaft, jars from Maven Central via kafka-peer). See bench/README.md.
#
# For each broker, each record size and each run: both producers send --records keyless records as fast as they
# can (records/s), then --latency-records at a fixed --rate records/s (p50/p99 latency, from each record's slot in
# the schedule to its callback). The drivers are dev.skiff.bench.SkiffProducerDriver / KafkaProducerDriver in
# bench/jmh. Prints a Markdown table of medians with the ratio Skiff / Kafka and the exact command lines;
# everything it writes lives in bench/work/producer/ (git-ignored).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/producer-bench.sh [--records N] [--latency-records N] [--rate R] [--runs N] [--sizes "100 1024"]
                               [--only kafka|skiff] [--set key=value]...

  --records N          records per max-throughput run (default 2000000)
  --latency-records N  records per fixed-rate run (default 500000, i.e. 10 s at the default rate)
  --rate R             records/s of the latency runs (default 50000)
  --runs N             runs per measurement; the table shows medians (default 3)
  --sizes "A B"        record (value) sizes in bytes (default "100 1024")
  --only X             run against the Apache Kafka broker only or the Skiff broker only (default: both)
  --set key=value      a producer setting for BOTH producers (repeatable); defaults are Kafka 4.x's
                       (acks=all, enable.idempotence=true, linger.ms=5, batch.size=16384, compression none)

environment:
  BENCH_BROKER_JVM_OPTS  JVM options for both brokers (default: Kafka's stock kafka-server-start.sh options)
  BENCH_CLIENT_JVM_OPTS  JVM options for both producer drivers (default: -Xms1G -Xmx1G -XX:+UseG1GC)
  BENCH_DRIVER_TIMEOUT   seconds after which one driver run is killed and reported as failed (default 900)
  JAVA_HOME              Java to run everything with (default: java on PATH)
EOF
}

ORIG_ARGS="$*"
RECORDS=2000000
LAT_RECORDS=500000
RATE=50000
RUNS=3
SIZES="100 1024"
PARTITIONS=6
TARGETS="skiff kafka"
SETTINGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --records) RECORDS="$2"; shift 2 ;;
        --latency-records) LAT_RECORDS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --sizes) SIZES="$2"; shift 2 ;;
        --only)
            case "$2" in kafka|skiff) TARGETS="$2" ;; *) usage >&2; exit 2 ;; esac
            shift 2 ;;
        --set) SETTINGS+=(--set "$2"); shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for v in "$RECORDS" "$LAT_RECORDS" "$RATE" "$RUNS" $SIZES; do
    case "$v" in *[!0-9]*|'') echo "counts, rate, runs and sizes take positive integers" >&2; exit 2 ;; esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/bench/work/producer"
LIBS="$ROOT/kafka-peer/target/kafka-libs"
PEER_CLASSES="$ROOT/kafka-peer/target/classes"
SKIFF_JAR="$ROOT/skiff-cli/target/skiff.jar"
BENCH_JAR="$ROOT/bench/jmh/target/skiff-jmh.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KAFKA_VERSION=4.4.0
BROKER_JVM_OPTS="${BENCH_BROKER_JVM_OPTS:--Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
CLIENT_JVM_OPTS="${BENCH_CLIENT_JVM_OPTS:--Xms1G -Xmx1G -XX:+UseG1GC}"
START_TIMEOUT_MS=120000
DRIVER_TIMEOUT="${BENCH_DRIVER_TIMEOUT:-900}"

RESULTS="$WORK/results"
COMMANDS="$WORK/commands.txt"
REPORT="$WORK/report.md"
NOTES="$WORK/notes.txt"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
note() { printf '%s\n' "$*" >> "$NOTES"; log "$*"; }

# Records the exact command line of each kind once (its first run), for the report.
note_command() {
    local kind="$1"; shift
    if ! grep -q "^# $kind\$" "$COMMANDS" 2>/dev/null; then
        { printf '# %s\n' "$kind"; printf '%q ' "$@" | sed 's/ $//'; printf '\n'; } >> "$COMMANDS"
    fi
}

record() { printf '%s\n' "$2" >> "$RESULTS/$1"; }
# field NAME LINE: the number after NAME= in a driver's RESULT line.
field() { echo "$2" | sed -E "s/.* $1=([0-9.]+).*/\1/"; }

ensure_built() {
    if ! compgen -G "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" > /dev/null \
            || [ ! -f "$PEER_CLASSES/dev/skiff/kafkapeer/StartupProbe.class" ]; then
        log "building kafka-peer (Apache Kafka $KAFKA_VERSION jars into $LIBS)..."
        (cd "$ROOT" && mvn -q -B install -pl kafka-peer -am -DskipTests) >&2 || die "kafka-peer build failed"
    fi
    if [ ! -f "$SKIFF_JAR" ]; then
        log "building skiff.jar..."
        (cd "$ROOT" && mvn -q -B install -pl skiff-cli -am -DskipTests) >&2 || die "skiff-cli build failed"
    fi
    if [ ! -f "$BENCH_JAR" ]; then
        log "building the drivers (bench/jmh)..."
        (cd "$ROOT" && mvn -q -B install -pl skiff-client -am -DskipTests \
            && mvn -q -B -f bench/jmh/pom.xml package) >&2 || die "bench/jmh build failed"
    fi
}

write_log_config() {
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

# Waits until the broker on port $1 (pid $3, launched at epoch ms $2) answers ApiVersions.
probe() {
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

# Starts Apache Kafka (Kafka's sample single-node config, on loopback) on a fresh directory.
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
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.segment.bytes=1073741824
group.initial.rebalance.delay.ms=0
EOF
    cluster_id="$("$JAVA" -Xmx256M -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null)"
    "$JAVA" -Xmx256M -cp "$LIBS/*" kafka.tools.StorageTool format --cluster-id "$cluster_id" \
        --config "$dir/server.properties" > "$dir/format.log" 2>&1 \
        || die "kafka-storage format failed: $(tail -5 "$dir/format.log")"
    local cmd=("$JAVA" $BROKER_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-broker.properties" \
        -cp "$LIBS/*" kafka.Kafka "$dir/server.properties")
    note_command "Apache Kafka broker" "${cmd[@]}"
    "${cmd[@]}" > "$dir/server.log" 2>&1 &
    BROKER_PID=$!
    BOOTSTRAP="127.0.0.1:$port"
    probe "$port" "$(date +%s%3N)" "$BROKER_PID" \
        || { tail -20 "$dir/server.log" >&2; die "Apache Kafka did not start"; }
}

# Starts the Skiff broker the way ./skiff broker runs it, on a fresh directory.
start_skiff() {
    local dir="$1" port
    port="$(free_port)"
    rm -rf "$dir" && mkdir -p "$dir/data"
    local cmd=("$JAVA" $BROKER_JVM_OPTS -jar "$SKIFF_JAR" broker --set "log.dirs=$dir/data" \
        --set "listeners=PLAINTEXT://127.0.0.1:$port")
    note_command "Skiff broker" "${cmd[@]}"
    "${cmd[@]}" > "$dir/server.log" 2>&1 &
    BROKER_PID=$!
    BOOTSTRAP="127.0.0.1:$port"
    probe "$port" "$(date +%s%3N)" "$BROKER_PID" || { tail -20 "$dir/server.log" >&2; die "Skiff did not start"; }
}

# drive BROKER CLIENT KIND SIZE RUN: one driver JVM; records its RESULT figures.
drive() {
    local broker="$1" client="$2" kind="$3" size="$4" run="$5" main records throughput warmup line
    case "$client" in
        skiff) main=dev.skiff.bench.SkiffProducerDriver ;;
        kafka) main=dev.skiff.bench.KafkaProducerDriver ;;
    esac
    if [ "$kind" = max ]; then
        records="$RECORDS"; throughput=-1
    else
        records="$LAT_RECORDS"; throughput="$RATE"
    fi
    warmup=$((records / 5 < 200000 ? records / 5 : 200000))
    local topic="bench-$kind-$size-$run-$client"
    local logf="$WORK/$broker/logs/$topic.log"
    local cmd=("$JAVA" $CLIENT_JVM_OPTS -cp "$BENCH_JAR" "$main" --bootstrap "$BOOTSTRAP" --topic "$topic" \
        --partitions "$PARTITIONS" --records "$records" --warmup-records "$warmup" --record-size "$size" \
        --throughput "$throughput" ${SETTINGS[@]+"${SETTINGS[@]}"})
    note_command "$client producer driver ($kind)" "${cmd[@]}"
    # A producer that stalls must not stall the whole benchmark: the run is reported as failed instead.
    if ! timeout "$DRIVER_TIMEOUT" "${cmd[@]}" > "$logf" 2>&1; then
        note "$broker/$client/$kind/$size run $run failed: $(grep -v '^\s*at ' "$logf" | tail -2 | tr '\n' ' ')"
        return 0
    fi
    line="$(grep '^RESULT ' "$logf" | tail -1)"
    [ -n "$line" ] || { note "$broker/$client/$kind/$size run $run printed no RESULT (see $logf)"; return 0; }
    log "$broker $client $kind ${size}B run $run: ${line#RESULT }"
    if [ "$kind" = max ]; then
        record "$broker.$client.max_${size}_rps" "$(field rps "$line")"
        record "$broker.$client.max_${size}_mbps" "$(field mbps "$line")"
    else
        record "$broker.$client.lat_${size}_p50" "$(field p50_ms "$line")"
        record "$broker.$client.lat_${size}_p99" "$(field p99_ms "$line")"
        record "$broker.$client.lat_${size}_rps" "$(field rps "$line")"
    fi
}

bench_broker() {
    local broker="$1" size run first second
    log "=== $broker broker"
    mkdir -p "$WORK/$broker/logs"
    if [ "$broker" = kafka ]; then start_kafka "$WORK/$broker/broker"; else start_skiff "$WORK/$broker/broker"; fi
    for size in $SIZES; do
        for run in $(seq 1 "$RUNS"); do
            # Alternate who goes first, so neither producer always meets a fresher (or more loaded) broker.
            if [ $((run % 2)) -eq 1 ]; then first=skiff; second=kafka; else first=kafka; second=skiff; fi
            drive "$broker" "$first" max "$size" "$run"
            drive "$broker" "$second" max "$size" "$run"
            drive "$broker" "$first" lat "$size" "$run"
            drive "$broker" "$second" lat "$size" "$run"
        done
    done
    stop_pid "$BROKER_PID"
    BROKER_PID=""
    rm -rf "$WORK/$broker/broker/data"
}

median() {
    local file="$RESULTS/$1"
    [ -s "$file" ] || { echo "n/a"; return; }
    sort -g "$file" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (m >= 100) printf "%.0f", m; else printf "%.2f", m }'
}

ratio() {
    case "$1$2" in *n/a*) echo "n/a"; return ;; esac
    awk -v s="$1" -v k="$2" 'BEGIN { if (k == 0) print "n/a"; else printf "%.2f", s / k }'
}

report() {
    local cpu mem
    cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
    mem="$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
    {
        echo "## Producer benchmark: Skiff producer vs KafkaProducer $KAFKA_VERSION"
        echo
        echo "$(date -u +%Y-%m-%d), $(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown} RAM," \
            "$("$JAVA" -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
        echo "Median of $RUNS runs. Max throughput: $RECORDS keyless records per run, unthrottled." \
            "Latency: $LAT_RECORDS records paced at $RATE records/s, measured from each record's slot to its callback."
        echo "Both producers: Kafka 4.x defaults (acks=all, enable.idempotence=true, linger.ms=5, batch.size=16384," \
            "no compression)${SETTINGS[*]:+, plus ${SETTINGS[*]}}; topics of $PARTITIONS partitions;" \
            "one sending thread."
        echo
        echo "| broker | record | metric | Skiff producer | KafkaProducer | Skiff / Kafka |"
        echo "|---|---:|---|---:|---:|---:|"
        local broker size key label s k
        for broker in $TARGETS; do
            for size in $SIZES; do
                for key in "max_${size}_rps|records/s, max throughput (higher is better)" \
                           "max_${size}_mbps|MB/s, max throughput" \
                           "lat_${size}_p50|p50 latency ms at $RATE/s (lower is better)" \
                           "lat_${size}_p99|p99 latency ms at $RATE/s (lower is better)" \
                           "lat_${size}_rps|achieved records/s in the latency run"; do
                    label="${key#*|}"
                    key="${key%%|*}"
                    s="$(median "$broker.skiff.$key")"
                    k="$(median "$broker.kafka.$key")"
                    echo "| $broker | $size B | $label | $s | $k | $(ratio "$s" "$k") |"
                done
            done
        done
        echo
        echo "Commands (first run of each kind):"
        echo
        echo '```'
        echo "bench/producer-bench.sh $ORIG_ARGS"
        cat "$COMMANDS"
        echo '```'
        if [ -s "$NOTES" ]; then
            echo
            echo "Notes:"
            sed 's/^/- /' "$NOTES"
        fi
    } | tee "$REPORT"
}

mkdir -p "$WORK"
rm -rf "$RESULTS" "$COMMANDS" "$NOTES" "$WORK/skiff" "$WORK/kafka"
mkdir -p "$RESULTS"
ensure_built
write_log_config
for target in $TARGETS; do
    bench_broker "$target"
done
report
