#!/usr/bin/env bash
# Consumer groups, Skiff side by side with Apache Kafka 4.4 (single-node KRaft, jars from Maven Central via
# kafka-peer), one broker at a time on this machine. See bench/README.md.
#
# Per broker (both with group.initial.rebalance.delay.ms=0):
#  1. rebalance times: dev.skiff.bench.RebalanceTimer (bench/jmh) with kafka-clients KafkaConsumers, per group
#     protocol and heartbeat.interval.ms: a 3-member group forming, one of three leaving, one joining two (each
#     also without the wait for the heartbeat that tells the members); median/p90/max over --iterations groups;
#  2. group consumption: Kafka's ConsumerPerformance with --group on a pre-filled topic (--records x 100 B,
#     6 partitions), --runs times, each time a new group.
# Prints a Markdown table (medians, Skiff / Kafka) and the exact command lines; everything it writes lives in
# bench/work/group/ (git-ignored).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/group-bench.sh [--records N] [--runs N] [--iterations N] [--heartbeat-ms "3000 100"]
                            [--protocols "classic consumer"] [--partitions N] [--broker-set key=value]...
                            [--only kafka|skiff]

  --records N         records in the topic ConsumerPerformance reads (default 1000000, 100 B each)
  --runs N            ConsumerPerformance runs per broker and protocol; the table shows medians (default 3)
  --iterations N      rebalance iterations per setting, each on a fresh group (default 10, plus 1 warm-up)
  --heartbeat-ms "A B" classic protocol: heartbeat.interval.ms values to time the rebalances with, the same
                      for both brokers (default "3000 100": Kafka's default, then a low one)
  --protocols "P Q"   group protocols: classic (JoinGroup/SyncGroup, range assignor) and/or consumer
                      (KIP-848, group.remote.assignor=range; heartbeat interval set by the broker)
                      (default "classic")
  --partitions N      partitions of the topic the rebalance groups subscribe to (default 12)
  --broker-set k=v    a broker setting for BOTH brokers (repeatable), e.g. to lower KIP-848's heartbeat:
                      --broker-set group.consumer.heartbeat.interval.ms=500
                      --broker-set group.consumer.min.heartbeat.interval.ms=500 (Kafka's floor; Skiff ignores it)
  --only X            benchmark only Apache Kafka or only Skiff (default: both)

environment:
  BENCH_BROKER_JVM_OPTS  JVM options for the Kafka broker (default: Kafka's stock kafka-server-start.sh options);
                         Skiff runs with its launcher's options (add more with SKIFF_JAVA_OPTS)
  BENCH_TOOL_JVM_OPTS    JVM options for Kafka's perf tools (default: -Xmx512M, as kafka-*-perf-test.sh)
  BENCH_CLIENT_JVM_OPTS  JVM options for RebalanceTimer (default: -Xmx512M)
  BENCH_TIMER_TIMEOUT    seconds after which one RebalanceTimer run is killed and reported as failed (default 900)
  JAVA_HOME              Java to run everything with (default: java on PATH)
EOF
}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RECORDS=1000000
RUNS=3
ITERATIONS=10
HEARTBEATS="3000 100"
PROTOCOLS="classic"
REBALANCE_PARTITIONS=12
TARGETS="kafka skiff"
BROKER_SETS=()
ARGS=""
WORK="$ROOT/bench/work/group"
CLIENT_JVM_OPTS="${BENCH_CLIENT_JVM_OPTS:--Xmx512M}"
TIMER_TIMEOUT="${BENCH_TIMER_TIMEOUT:-900}"
TIMER_CLASS=dev.skiff.bench.RebalanceTimer
STEPS="formation leave leave_rejoin join join_rejoin"
SKIFF_KIND="Skiff broker (frozen copy of skiff.jar, the ./skiff launcher's JVM options)"

parse_args() {
    [ $# -eq 0 ] || ARGS="$(printf ' %q' "$@")"
    while [ $# -gt 0 ]; do
        case "$1" in
            --records) RECORDS="$2"; shift 2 ;;
            --runs) RUNS="$2"; shift 2 ;;
            --iterations) ITERATIONS="$2"; shift 2 ;;
            --heartbeat-ms) HEARTBEATS="$2"; shift 2 ;;
            --protocols) PROTOCOLS="$2"; shift 2 ;;
            --partitions) REBALANCE_PARTITIONS="$2"; shift 2 ;;
            --broker-set)
                case "$2" in ?*=*) BROKER_SETS+=("$2") ;; *) echo "--broker-set takes key=value" >&2; exit 2 ;; esac
                shift 2 ;;
            --only)
                case "$2" in kafka|skiff) TARGETS="$2" ;; *) usage >&2; exit 2 ;; esac
                shift 2 ;;
            -h|--help) usage; exit 0 ;;
            *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
        esac
    done
    local v
    for v in "$RECORDS" "$RUNS" "$ITERATIONS" "$REBALANCE_PARTITIONS" $HEARTBEATS; do
        case "$v" in *[!0-9]*|'') echo "counts, runs, partitions and heartbeats take positive integers" >&2; exit 2 ;;
        esac
        [ "$v" -ge 1 ] || { echo "counts, runs, partitions and heartbeats must be at least 1" >&2; exit 2; }
    done
    for v in $PROTOCOLS; do
        case "$v" in classic|consumer) ;; *) echo "--protocols takes classic and/or consumer" >&2; exit 2 ;; esac
    done
    [ -n "$PROTOCOLS" ] || { echo "--protocols needs at least one protocol" >&2; exit 2; }
}

# The heartbeat settings to time a protocol with: the classic consumer sets its own; under KIP-848 the broker
# tells the member how often to heartbeat (group.consumer.heartbeat.interval.ms, 5 s by default in Kafka).
heartbeats_of() { if [ "$1" = classic ]; then echo "$HEARTBEATS"; else echo broker; fi; }

# The steps a protocol's table rows show. Under KIP-848 each member moves at its own next heartbeat, so there is
# no single rebalance round to time apart from the heartbeats: the *_rejoin figures are left out there.
steps_of() { if [ "$1" = classic ]; then echo "$STEPS"; else echo "formation leave join"; fi; }

# The heartbeat column of a KIP-848 row: the broker's setting (Kafka's default is 5000 ms).
consumer_heartbeat() {
    local kv v="5000 (default)"
    for kv in ${BROKER_SETS[@]+"${BROKER_SETS[@]}"}; do
        case "$kv" in group.consumer.heartbeat.interval.ms=*) v="${kv#*=} (broker)" ;; esac
    done
    echo "$v"
}

# rebalance BROKER PROTOCOL HEARTBEAT: one RebalanceTimer run; records its median/p90/max per step.
rebalance() {
    local broker="$1" protocol="$2" hb="$3" logf line step key
    logf="$WORK/$broker/logs/rebalance-$protocol-$hb.log"
    local cmd=("$JAVA" $CLIENT_JVM_OPTS -cp "$BENCH_JAR" "$TIMER_CLASS" --bootstrap "$BOOTSTRAP"
        --topic rebalance-bench --partitions "$REBALANCE_PARTITIONS" --iterations "$ITERATIONS" --warmup 1
        --protocol "$protocol")
    [ "$hb" = broker ] || cmd+=(--heartbeat-ms "$hb")
    note_command "RebalanceTimer ($protocol protocol)" "${cmd[@]}"
    log "=== $broker: rebalance times, $protocol protocol, heartbeat $hb, $ITERATIONS iterations"
    # A group that never settles must not stall the whole benchmark: the run is reported as failed instead.
    if ! timeout "$TIMER_TIMEOUT" "${cmd[@]}" > "$logf" 2>&1; then
        note "$broker: RebalanceTimer ($protocol, heartbeat $hb) failed:" \
            "$(grep -v '^\s*at ' "$logf" | grep -v '^ITER' | tail -2 | tr '\n' ' ' | cut -c1-400)"
        return 0
    fi
    for step in $STEPS; do
        line="$(grep "^RESULT step=$step " "$logf" | tail -1)"
        [ -n "$line" ] || { note "$broker: RebalanceTimer printed no $step result (see $logf)"; continue; }
        key="$broker.rebalance.$protocol.$hb.$step"
        record "$key.median" "$(timer_field median_ms "$line")"
        record "$key.p90" "$(timer_field p90_ms "$line")"
        record "$key.max" "$(timer_field max_ms "$line")"
        log "$broker $protocol hb=$hb $step: ${line#RESULT }"
    done
}

# timer_field NAME LINE: the number after NAME= in a RebalanceTimer RESULT line.
timer_field() { echo "$2" | sed -E "s/.* $1=([0-9.]+).*/\1/"; }

# Fills the topic ConsumerPerformance reads: RECORDS x RECORD_SIZE B, acks=1, as broker-bench.sh produces.
fill_topic() {
    local broker="$1" topic="$2" logf="$WORK/$1/logs/fill.log" out line
    if ! out="$(kafka_tool "kafka-topics --create" org.apache.kafka.tools.TopicCommand \
            --bootstrap-server "$BOOTSTRAP" --create --topic "$topic" --partitions "$PARTITIONS" \
            --replication-factor 1 2>&1)"; then
        note "$broker: creating $topic failed ($(echo "$out" | tail -1))"
        return 1
    fi
    log "=== $broker: filling $topic with $RECORDS records of $RECORD_SIZE B (not timed)"
    if ! kafka_tool "kafka-producer-perf-test (fills the topic, not timed)" org.apache.kafka.tools.ProducerPerformance \
            --bootstrap-server "$BOOTSTRAP" --topic "$topic" --num-records "$RECORDS" --record-size "$RECORD_SIZE" \
            --throughput -1 --command-property acks=1 linger.ms=5 batch.size=65536 > "$logf" 2>&1; then
        note "$broker: filling $topic failed: $(tail -1 "$logf")"
        return 1
    fi
    line="$(grep 'records sent' "$logf" | tail -1)"
    log "$broker: filled: $line"
}

# consume BROKER PROTOCOL TOPIC RUN: one ConsumerPerformance run in a new group.
consume() {
    local broker="$1" protocol="$2" topic="$3" run="$4" logf values nmsg mbsec fetchnmsg join
    logf="$WORK/$broker/logs/consume-$protocol-$run.log"
    log "=== $broker: ConsumerPerformance, $protocol protocol, run $run/$RUNS"
    if ! kafka_tool "kafka-consumer-perf-test --group ($protocol protocol)" org.apache.kafka.tools.ConsumerPerformance \
            --bootstrap-server "$BOOTSTRAP" --topic "$topic" --num-records "$RECORDS" \
            --group "perf-group-$protocol-$run" --timeout 60000 --command-property "group.protocol=$protocol" \
            > "$logf" 2>&1; then
        note "$broker: consumer run ($protocol) failed: $(tail -1 "$logf")"
        return 0
    fi
    values="$(consumer_perf_result "$broker ($protocol)" "$logf")" || return 0
    read -r nmsg mbsec fetchnmsg join <<< "$values"
    local key="$broker.consume.$protocol"
    record "$key.rps" "$nmsg"
    record "$key.mbps" "$mbsec"
    record "$key.fetch_rps" "$fetchnmsg"
    record "$key.join_ms" "$join"
    log "$broker $protocol run $run: $nmsg records/s, $mbsec MB/s, fetch phase $fetchnmsg records/s, join $join ms"
}

bench_broker() {
    local broker="$1" dir="$WORK/$1/broker" protocol hb run
    mkdir -p "$WORK/$broker/logs"
    log "=== $broker: starting the broker"
    local kv sets=()
    for kv in ${BROKER_SETS[@]+"${BROKER_SETS[@]}"}; do
        sets+=(--set "$kv")
    done
    if [ "$broker" = kafka ]; then
        start_kafka "$dir" ${BROKER_SETS[@]+"${BROKER_SETS[@]}"}
    elif ! start_skiff "$dir" --set "group.initial.rebalance.delay.ms=0" ${sets[@]+"${sets[@]}"}; then
        return 0
    fi
    for protocol in $PROTOCOLS; do
        for hb in $(heartbeats_of "$protocol"); do
            rebalance "$broker" "$protocol" "$hb"
        done
    done
    if fill_topic "$broker" perf-group; then
        for protocol in $PROTOCOLS; do
            for run in $(seq 1 "$RUNS"); do
                consume "$broker" "$protocol" perf-group "$run"
            done
        done
    fi
    stop_broker
    rm -rf "$dir/data"
}

report() {
    local protocol hb step stat k s
    {
        echo "## Consumer groups: Apache Kafka $KAFKA_VERSION vs Skiff"
        echo
        echo "$(machine_line). One broker at a time; clients on the same machine." \
            "Load average $LOAD_BEFORE before, $(load_average) after."
        echo "Both brokers: group.initial.rebalance.delay.ms=0${BROKER_SETS[*]:+, ${BROKER_SETS[*]}}." \
            "Members: kafka-clients $KAFKA_VERSION KafkaConsumers, range assignor, one topic of" \
            "$REBALANCE_PARTITIONS partitions, a fresh group per iteration" \
            "($ITERATIONS iterations after 1 warm-up); each time runs from the trigger to the rebalance callback" \
            "after which the members own a complete, balanced assignment."
        echo
        echo "| step (ms) | protocol | heartbeat.interval.ms | Kafka median | Kafka p90 | Kafka max" \
            "| Skiff median | Skiff p90 | Skiff max | Skiff / Kafka (median) |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        for protocol in $PROTOCOLS; do
            for hb in $(heartbeats_of "$protocol"); do
                local hb_label="$hb"
                [ "$hb" != broker ] || hb_label="$(consumer_heartbeat)"
                for step in $(steps_of "$protocol"); do
                    local row="| $(step_label "$step") | $protocol | $hb_label"
                    for stat in median p90 max; do
                        row="$row | $(median "kafka.rebalance.$protocol.$hb.$step.$stat")"
                    done
                    for stat in median p90 max; do
                        row="$row | $(median "skiff.rebalance.$protocol.$hb.$step.$stat")"
                    done
                    k="$(median "kafka.rebalance.$protocol.$hb.$step.median")"
                    s="$(median "skiff.rebalance.$protocol.$hb.$step.median")"
                    echo "$row | $(ratio "$s" "$k") |"
                done
            done
        done
        echo
        echo "Group consumption: ConsumerPerformance --group, $RECORDS records of $RECORD_SIZE B in $PARTITIONS" \
            "partitions (filled with ProducerPerformance, acks=1), a new group per run; median of $RUNS runs."
        echo
        echo "| metric | protocol | Apache Kafka $KAFKA_VERSION | Skiff | Skiff / Kafka |"
        echo "|---|---|---:|---:|---:|"
        local row key label
        for protocol in $PROTOCOLS; do
            for row in "rps|records/s, incl. group join" "mbps|MB/s, incl. group join" \
                       "fetch_rps|records/s, fetch phase only" \
                       "join_ms|group join (rebalance.time.ms, lower is better)"; do
                key="${row%%|*}"
                label="${row#*|}"
                k="$(median "kafka.consume.$protocol.$key")"
                s="$(median "skiff.consume.$protocol.$key")"
                echo "| $label | $protocol | $k | $s | $(ratio "$s" "$k") |"
            done
        done
        report_notes
        report_commands "bench/group-bench.sh$ARGS"
    } > "$REPORT"
    cat "$REPORT"
}

step_label() {
    case "$1" in
        formation) echo "formation: 3 subscribe together, until all 3 own partitions" ;;
        leave) echo "leave: 1 of 3 closes, until the other 2 own all partitions" ;;
        leave_rejoin) echo "leave, rebalance round only (from the first remaining member's callback)" ;;
        join) echo "join: a 3rd member subscribes beside 2, until all 3 own partitions" ;;
        join_rejoin) echo "join, rebalance round only (from the first member's callback)" ;;
    esac
}

main() {
    parse_args "$@"
    bench_init
    LOAD_BEFORE="$(load_average)"
    ensure_kafka_peer
    ensure_bench_jar "$TIMER_CLASS"
    case " $TARGETS " in *" skiff "*) prepare_skiff ;; esac
    for target in $TARGETS; do
        bench_broker "$target"
    done
    report
    log "report written to $REPORT"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
