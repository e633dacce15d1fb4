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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RECORDS=3000000
RUNS=3
TARGETS="kafka skiff"
ONLY=""
KEEP=false
WORK="$ROOT/bench/work"
WARMUP_RECORDS=500000
# Each broker runs as shipped: Kafka with kafka-server-start.sh's JVM options, Skiff through its own launcher
# (./skiff execs java with its options; its build-staleness check is part of the start-up).
SKIFF=("$LAUNCHER")
SKIFF_KIND="Skiff broker (./skiff broker, the launcher's JVM options)"

parse_args() {
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
}

rss_mb() { awk -v key="$2:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# CPU time (user + system) the process $1 has used so far, in clock ticks (/proc/<pid>/stat fields 14 and 15).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Starts the broker TARGET on a fresh directory and records its two start-up times; 1 if Skiff did not start.
start_target() {
    local target="$1" dir="$2"
    if [ "$target" = kafka ]; then
        start_kafka "$dir"
    else
        # Same group setting as Kafka's server.properties (Kafka's sample config sets it to 0 too).
        start_skiff "$dir" --set "group.initial.rebalance.delay.ms=0" || return 1
    fi
    record "$target.startup_accept_ms" "${STARTUP_MS% *}"
    record "$target.startup_ready_ms" "${STARTUP_MS#* }"
}

create_topic() {
    local target="$1" topic="$2" out
    if ! out="$(kafka_tool "kafka-topics --create" org.apache.kafka.tools.TopicCommand \
            --bootstrap-server "$BOOTSTRAP" --create --topic "$topic" --partitions "$PARTITIONS" \
            --replication-factor 1 2>&1)"; then
        note "$target: creating $topic with $PARTITIONS partitions failed ($(echo "$out" | tail -1));" \
            "the producer run relies on auto-creation, so the partition count may differ"
    fi
}

# ProducerPerformance's summary line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max
# latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th."
produce() {
    local target="$1" acks="$2" topic="$3" log="$4" line kind="kafka-producer-perf-test (acks=$2)" cpu_before
    [ -n "$target" ] || kind="kafka-producer-perf-test (warm-up, untimed)"
    # The broker's own CPU per record: on a machine where the perf tool and the broker share the cores, this
    # says how much of them the broker leaves to its clients, whichever of the two limits records/s.
    cpu_before="$(cpu_ticks "$BROKER_PID")"
    if ! kafka_tool "$kind" org.apache.kafka.tools.ProducerPerformance \
            --bootstrap-server "$BOOTSTRAP" --topic "$topic" --num-records "$RECORDS" --record-size "$RECORD_SIZE" \
            --throughput -1 --command-property "acks=$acks" linger.ms=5 batch.size=65536 > "$log" 2>&1; then
        note "${target:-warm-up}: producer run (acks=$acks) failed: $(tail -1 "$log")"
        return 0
    fi
    line="$(grep 'records sent' "$log" | tail -1)"
    [ -n "$line" ] || { note "${target:-warm-up}: producer run (acks=$acks) printed no summary (see $log)"; return 0; }
    [ -n "$target" ] || return 0   # the warm-up records nothing
    local key="$target.produce_acks${acks}"
    record "${key}_rps" "$(perf_field rps "$line")"
    record "${key}_mbps" "$(perf_field mbps "$line")"
    record "${key}_avg_ms" "$(perf_field avg "$line")"
    record "${key}_p99_ms" "$(perf_field p99 "$line")"
    record "${key}_cpu_s_per_m" "$(awk -v t="$(( $(cpu_ticks "$BROKER_PID") - cpu_before ))" \
        -v hz="$(getconf CLK_TCK)" -v n="$RECORDS" 'BEGIN { printf "%.2f", t / hz / (n / 1000000) }')"
}

consume() {
    local target="$1" topic="$2" group="$3" log="$4"
    if ! kafka_tool "kafka-consumer-perf-test" org.apache.kafka.tools.ConsumerPerformance \
            --bootstrap-server "$BOOTSTRAP" --topic "$topic" --num-records "$RECORDS" --group "$group" \
            --timeout 60000 > "$log" 2>&1; then
        note "$target: consumer run failed: $(tail -1 "$log")"
        return 0
    fi
    local values nmsg mbsec fetchnmsg
    values="$(consumer_perf_result "$target" "$log")" || return 0
    read -r nmsg mbsec fetchnmsg _ <<< "$values"
    record "$target.consume_rps" "$nmsg"
    record "$target.consume_mbps" "$mbsec"
    record "$target.consume_fetch_rps" "$fetchnmsg"
}

bench_target() {
    local target="$1" base="$WORK/$1" i
    log "=== $target: $RUNS start-up runs"
    for i in $(seq 1 "$RUNS"); do
        start_target "$target" "$base/run-$i" || return 0
        log "$target start $i: ${STARTUP_MS% *} ms to accept, ${STARTUP_MS#* } ms to first response"
        if [ "$i" -lt "$RUNS" ]; then
            stop_broker
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
        record "$target.rss_mb" "$(rss_mb "$BROKER_PID" VmRSS)"
        record "$target.hwm_mb" "$(rss_mb "$BROKER_PID" VmHWM)"
    else
        note "$target: the broker process is gone after the load; no memory figure"
    fi
    stop_broker
    if [ "$KEEP" != true ]; then
        rm -rf "$base/run-$RUNS/data"
    fi
}

report() {
    local rows=(
        "startup_accept_ms|start-up: launch to port accepting (ms, lower is better)"
        "startup_ready_ms|start-up: launch to first ApiVersions answer (ms, lower is better)"
        "produce_acks1_rps|produce acks=1 (records/s)"
        "produce_acks1_mbps|produce acks=1 (MB/s)"
        "produce_acks1_avg_ms|produce acks=1 avg latency (ms, lower is better)"
        "produce_acks1_p99_ms|produce acks=1 p99 latency (ms, lower is better)"
        "produce_acks1_cpu_s_per_m|produce acks=1: broker CPU seconds per million records (lower is better)"
        "produce_acksall_rps|produce acks=all (records/s)"
        "produce_acksall_mbps|produce acks=all (MB/s)"
        "produce_acksall_avg_ms|produce acks=all avg latency (ms, lower is better)"
        "produce_acksall_p99_ms|produce acks=all p99 latency (ms, lower is better)"
        "produce_acksall_cpu_s_per_m|produce acks=all: broker CPU seconds per million records (lower is better)"
        "consume_rps|consume (records/s, incl. group join)"
        "consume_mbps|consume (MB/s, incl. group join)"
        "consume_fetch_rps|consume, fetch phase only (records/s)"
        "rss_mb|broker RSS after the load (MB, lower is better)"
        "hwm_mb|broker peak RSS (VmHWM, MB, lower is better)"
    )
    {
        echo "## Broker benchmark: Apache Kafka $KAFKA_VERSION vs Skiff"
        echo
        echo "$(machine_line). One broker at a time; the perf tools run on the same machine."
        echo "Median of $RUNS runs; $RECORDS records of $RECORD_SIZE B per run, $PARTITIONS partitions," \
            "linger.ms=5, batch.size=65536, throughput unthrottled."
        echo
        echo "| metric | Apache Kafka $KAFKA_VERSION | Skiff | Skiff / Kafka |"
        echo "|---|---:|---:|---:|"
        local row key label k s
        for row in "${rows[@]}"; do
            key="${row%%|*}"
            label="${row#*|}"
            k="$(median "kafka.$key")"
            s="$(median "skiff.$key")"
            echo "| $label | $k | $s | $(ratio "$s" "$k") |"
        done
        report_notes
        echo
        echo "Kafka broker JVM options: \`$BROKER_JVM_OPTS\`; Skiff: the options of its ./skiff launcher"
        report_commands "bench/broker-bench.sh --records $RECORDS --runs $RUNS$ONLY"
    } > "$REPORT"
    cat "$REPORT"
}

main() {
    parse_args "$@"
    bench_init
    ensure_kafka_peer
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

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
