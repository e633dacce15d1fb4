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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RECORDS=500000
RUNS=3
DEMO_RUNS=3
DEMO_RECORDS=""
CAP_RATE=100000
CAP_RECORDS=300000
TARGETS="skiff kafka"
DEMO=true
ARGS=""
WORK="$ROOT/bench/work/cli-perf"
WARMUP_RECORDS=200000
NUM=0
THROUGHPUT=-1
SUFFIX=""
# The settings both perf tools get, as the issue asks: 100-byte records, linger.ms=5, batch.size=65536.
COMMON_PROPS=(linger.ms=5 batch.size=65536)

parse_args() {
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
}

# Both brokers as bench/broker-bench.sh starts them; Skiff from a frozen copy of skiff.jar (see prepare_skiff in
# lib.sh), run with the launcher's options.
start_broker() {
    local broker="$1" dir="$2"
    if [ "$broker" = kafka ]; then
        start_kafka "$dir"
    else
        start_skiff "$dir" || die "Skiff did not start"
    fi
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
    local field
    for field in rps mbps avg p99; do
        record "$key.$field" "$(perf_field "$field" "$line")"
    done
}

bench_broker() {
    local broker="$1" base="$WORK/$1" i acks first second
    log "=== $broker: starting the broker"
    start_broker "$broker" "$base/broker"
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
    stop_broker
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

report() {
    local broker acks metric label
    {
        echo "## skiff perf produce vs Kafka's ProducerPerformance, on Skiff and on Apache Kafka $KAFKA_VERSION"
        echo
        echo "$(machine_line). One broker at a time, tools on the same machine."
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
                        "| $acks | $label | $s | $k | $(ratio "$s" "$k") |"
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
        report_notes
        report_commands "bench/cli-perf-bench.sh${ARGS:+ $ARGS}" \
            "Commands (first run of each kind; later runs differ only in topic names and directories):"
    } > "$REPORT"
    cat "$REPORT"
}

main() {
    parse_args "$@"
    bench_init
    ensure_kafka_peer
    prepare_skiff
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

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
