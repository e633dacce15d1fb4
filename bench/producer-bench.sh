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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ORIG_ARGS=""
RECORDS=2000000
LAT_RECORDS=500000
RATE=50000
RUNS=3
SIZES="100 1024"
TARGETS="skiff kafka"
SETTINGS=()
WORK="$ROOT/bench/work/producer"
CLIENT_JVM_OPTS="${BENCH_CLIENT_JVM_OPTS:--Xms1G -Xmx1G -XX:+UseG1GC}"
DRIVER_TIMEOUT="${BENCH_DRIVER_TIMEOUT:-900}"
# The Skiff broker the way ./skiff broker runs its jar, but with the same JVM options as the Kafka broker.
# shellcheck disable=SC2206
SKIFF=("$JAVA" $BROKER_JVM_OPTS -jar "$SKIFF_JAR")

parse_args() {
    ORIG_ARGS="$*"
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
}

# field NAME LINE: the number after NAME= in a driver's RESULT line.
field() { echo "$2" | sed -E "s/.* $1=([0-9.]+).*/\1/"; }

ensure_built() {
    ensure_kafka_peer
    if [ ! -f "$SKIFF_JAR" ]; then
        log "building skiff.jar..."
        (cd "$ROOT" && mvn -q -B install -pl skiff-cli -am -DskipTests) >&2 || die "skiff-cli build failed"
    fi
    ensure_bench_jar
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
    if [ "$broker" = kafka ]; then
        start_kafka "$WORK/$broker/broker"
    else
        start_skiff "$WORK/$broker/broker" || die "Skiff did not start"
    fi
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
    stop_broker
    rm -rf "$WORK/$broker/broker/data"
}

report() {
    {
        echo "## Producer benchmark: Skiff producer vs KafkaProducer $KAFKA_VERSION"
        echo
        echo "$(machine_line), load average $(load_average) at the end."
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
        report_commands "bench/producer-bench.sh $ORIG_ARGS" "Commands (first run of each kind):"
        report_notes
    } | tee "$REPORT"
}

main() {
    parse_args "$@"
    bench_init
    rm -rf "$WORK/skiff" "$WORK/kafka"
    ensure_built
    for target in $TARGETS; do
        bench_broker "$target"
    done
    report
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
