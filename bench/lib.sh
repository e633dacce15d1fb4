# shellcheck shell=bash
# Helpers shared by the bench/*.sh scripts: logging, results and medians, ports, starting and stopping Apache
# Kafka 4.4 (single-node KRaft, jars from Maven Central via kafka-peer) and the Skiff broker. Sourced, never run:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   WORK="$ROOT/bench/work/NAME"      # then bench_init, which also installs the EXIT trap that stops the broker
#
# What a script sets before calling these:
#   WORK        its output directory (bench_init derives RESULTS, COMMANDS, NOTES and REPORT from it)
#   SKIFF       the command that runs skiff (an array: the launcher, a frozen jar, or java -jar), for start_skiff
#   SKIFF_KIND  the label of the Skiff broker's command line in the report (default "Skiff broker")
# Everything else (ROOT, JAVA, LIBS, BROKER_JVM_OPTS, TOOL_JVM_OPTS, ...) is set here from the environment.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIBS="$ROOT/kafka-peer/target/kafka-libs"
PEER_CLASSES="$ROOT/kafka-peer/target/classes"
LAUNCHER="$ROOT/skiff"
SKIFF_JAR="$ROOT/skiff-cli/target/skiff.jar"
BENCH_JAR="$ROOT/bench/jmh/target/skiff-jmh.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KAFKA_VERSION=4.4.0
# kafka-server-start.sh's defaults (KAFKA_HEAP_OPTS + KAFKA_JVM_PERFORMANCE_OPTS), for the Kafka broker.
BROKER_JVM_OPTS="${BENCH_BROKER_JVM_OPTS:--Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
# As kafka-*-perf-test.sh run Kafka's tools.
TOOL_JVM_OPTS="${BENCH_TOOL_JVM_OPTS:--Xmx512M}"
# ./skiff's own JVM options (see the launcher); freeze_skiff runs a copied jar with them.
SKIFF_BASE_OPTS=(-XX:+UseSerialGC -XX:+UseCompressedOops)
START_TIMEOUT_MS=120000
# The load every script offers, as the issues ask: 100-byte records, topics of 6 partitions.
RECORD_SIZE=100
PARTITIONS=6
SKIFF=("$LAUNCHER")
SKIFF_KIND="Skiff broker"
BROKER_PID=""
BOOTSTRAP=""
# "accept_ms ready_ms" of the last start_kafka / start_skiff.
STARTUP_MS=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }
# A line for the report's "Notes", also logged.
note() { printf '%s\n' "$*" >> "$NOTES"; log "$*"; }
# record KEY VALUE: one value per line in results/KEY, for median; an empty KEY (a warm-up) records nothing.
record() { [ -z "$1" ] || printf '%s\n' "$2" >> "$RESULTS/$1"; }

# Keeps the exact command line of each kind once (its first run), for the report.
note_command() {
    local kind="$1"; shift
    if ! grep -qxF "# $kind" "$COMMANDS" 2>/dev/null; then
        { printf '# %s\n' "$kind"; printf '%q ' "$@" | sed 's/ $//'; printf '\n'; } >> "$COMMANDS"
    fi
}

# Creates WORK, clears the previous run's results, commands and notes, writes the log4j2 configs Kafka's broker
# and tools run with, and stops the broker on exit.
bench_init() {
    RESULTS="$WORK/results"
    COMMANDS="$WORK/commands.txt"
    NOTES="$WORK/notes.txt"
    REPORT="$WORK/report.md"
    mkdir -p "$WORK"
    rm -rf "$RESULTS" "$COMMANDS" "$NOTES"
    mkdir -p "$RESULTS"
    : > "$NOTES"
    write_log_configs
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_cleanup() {
    if [ -n "$BROKER_PID" ]; then
        stop_pid "$BROKER_PID"
    fi
}

# kafka_tool KIND CLASS ARGS...: runs one of Kafka's tools with the kafka-peer jars, as bin/kafka-run-class.sh.
kafka_tool() {
    local kind="$1"; shift
    local cmd=("$JAVA" $TOOL_JVM_OPTS "-Dlog4j2.configurationFile=$WORK/log4j2-tools.properties" -cp "$LIBS/*" "$@")
    note_command "$kind" "${cmd[@]}"
    "${cmd[@]}"
}

# Builds kafka-peer (the Apache Kafka jars and the start-up probe) unless it is there.
ensure_kafka_peer() {
    if ! compgen -G "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" > /dev/null \
            || [ ! -f "$PEER_CLASSES/dev/skiff/kafkapeer/StartupProbe.class" ]; then
        log "building kafka-peer (Apache Kafka $KAFKA_VERSION jars into $LIBS)..."
        (cd "$ROOT" && mvn -q -B install -pl kafka-peer -am -DskipTests) >&2 || die "kafka-peer build failed"
    fi
}

# ensure_bench_jar [CLASS]: builds bench/jmh's shaded jar (the drivers and timers) if it is missing or lacks CLASS
# (e.g. dev.skiff.bench.RebalanceTimer). skiff-client is installed first, as the module needs it; if that fails
# (someone's half-written change in the shared tree) the last installed skiff-client is used.
ensure_bench_jar() {
    local class="${1:-}"
    if [ -f "$BENCH_JAR" ] && { [ -z "$class" ] \
            || unzip -l "$BENCH_JAR" "${class//.//}.class" > /dev/null 2>&1; }; then
        return 0
    fi
    log "building the drivers (bench/jmh)..."
    (cd "$ROOT" && mvn -q -B install -pl skiff-client -am -DskipTests) >&2 \
        || log "skiff-client did not build; bench/jmh is built against the last installed skiff-client"
    (cd "$ROOT" && mvn -q -B -f bench/jmh/pom.xml package) >&2 || die "bench/jmh build failed"
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

# probe PORT LAUNCH_MS PID: waits until the broker answers ApiVersions; prints "accept_ms ready_ms" (from launch
# to the first accepted connection, and to the first ApiVersions answer) or fails.
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

# Stops the broker start_kafka / start_skiff started.
stop_broker() {
    if [ -n "$BROKER_PID" ]; then
        stop_pid "$BROKER_PID"
        BROKER_PID=""
    fi
}

# launch_broker DIR PORT KIND CMD...: notes and starts CMD in the background (output in DIR/server.log), sets
# BROKER_PID and BOOTSTRAP, and waits for it to answer on PORT: STARTUP_MS is then "accept_ms ready_ms" from the
# launch. Fails if it does not answer within START_TIMEOUT_MS.
launch_broker() {
    local dir="$1" port="$2" kind="$3" t0
    shift 3
    note_command "$kind" "$@"
    t0="$(now_ms)"
    "$@" > "$dir/server.log" 2>&1 &
    BROKER_PID=$!
    BOOTSTRAP="127.0.0.1:$port"
    STARTUP_MS="$(probe "$port" "$t0" "$BROKER_PID")"
}

# start_kafka DIR [KEY=VALUE...]: Apache Kafka on a fresh DIR, Kafka's sample single-node config on loopback plus
# the given lines; sets BROKER_PID, BOOTSTRAP and STARTUP_MS, dies if Kafka does not answer.
start_kafka() {
    local dir="$1" port cport cluster_id extra
    shift
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
    for extra in "$@"; do
        printf '%s\n' "$extra" >> "$dir/server.properties"
    done
    cluster_id="$(kafka_tool "kafka-storage random-uuid" kafka.tools.StorageTool random-uuid)"
    kafka_tool "kafka-storage format (not timed)" kafka.tools.StorageTool format --cluster-id "$cluster_id" \
        --config "$dir/server.properties" > "$dir/format.log" 2>&1 \
        || die "kafka-storage format failed: $(tail -5 "$dir/format.log")"
    if ! launch_broker "$dir" "$port" "Apache Kafka broker" "$JAVA" $BROKER_JVM_OPTS \
            "-Dlog4j2.configurationFile=$WORK/log4j2-broker.properties" -cp "$LIBS/*" kafka.Kafka \
            "$dir/server.properties"; then
        log "Apache Kafka did not start; last lines of $dir/server.log:"
        tail -20 "$dir/server.log" >&2
        die "Apache Kafka failed to start"
    fi
}

# start_skiff DIR [ARGS...]: "${SKIFF[@]}" broker on a fresh DIR and a free loopback port, plus ARGS (e.g. --set
# k=v); sets BROKER_PID, BOOTSTRAP and STARTUP_MS. If Skiff does not answer, notes the tail of its log and
# returns 1 (the caller decides whether the run goes on without it).
start_skiff() {
    local dir="$1" port
    shift
    port="$(free_port)"
    rm -rf "$dir" && mkdir -p "$dir/data"
    if ! launch_broker "$dir" "$port" "$SKIFF_KIND" "${SKIFF[@]}" broker --set "log.dirs=$dir/data" \
            --set "listeners=PLAINTEXT://127.0.0.1:$port" "$@"; then
        note "Skiff broker failed to start (see $dir/server.log); last lines:"
        tail -20 "$dir/server.log" | sed 's/^/    /' | tee -a "$NOTES" >&2
        stop_broker
        return 1
    fi
}

# The repository is shared: anyone's edit makes ./skiff rebuild skiff.jar on its next call, which would land in
# the middle of a timed run (or fail on someone's half-written code). prepare_skiff brings the jar up to date
# once through the launcher (or, if that build fails, keeps the last good jar and says so in the notes), then
# freeze_skiff copies it into WORK and sets SKIFF to run the copy exactly as ./skiff runs the original: the
# launcher's JVM options and a class-data-sharing archive made the launcher's way (one broker start), since the
# launcher's own archive is tied to the original jar's path. LAUNCHER_OK says whether the launcher worked.
LAUNCHER_OK=true
prepare_skiff() {
    log "checking that ./skiff is built and current..."
    if ! (cd "$ROOT" && "$LAUNCHER" --version) > "$WORK/skiff-build.log" 2>&1; then
        [ -f "$SKIFF_JAR" ] || die "./skiff could not be built or run (see $WORK/skiff-build.log)"
        note "./skiff could not rebuild (see ${WORK#"$ROOT/"}/skiff-build.log): measured the existing" \
            "skiff-cli/target/skiff.jar of $(date -u -r "$SKIFF_JAR" +%H:%M) UTC, run with the launcher's options"
        LAUNCHER_OK=false
    fi
    freeze_skiff
}

freeze_skiff() {
    local tmp pid
    cp "$SKIFF_JAR" "$WORK/skiff.jar"
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

# perf_field NAME LINE: a figure from the summary line kafka-producer-perf-test and `skiff perf produce` both end
# with ("N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, P50 ms 50th, P95 ms 95th,
# P99 ms 99th, P999 ms 99.9th."); NAME is rps, mbps, avg or p99.
perf_field() {
    case "$1" in
        rps) echo "$2" | sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' ;;
        mbps) echo "$2" | sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/' ;;
        avg) echo "$2" | sed -E 's/.* ([0-9.]+) ms avg latency.*/\1/' ;;
        p99) echo "$2" | sed -E 's/.* ([0-9.]+) ms 99th.*/\1/' ;;
        *) die "perf_field: unknown field $1" ;;
    esac
}

# consumer_perf_result LABEL LOG: ConsumerPerformance's figures from LOG (a CSV header and one data row, columns
# picked by name) as "rps mbps fetch_rps join_ms". If there is no row, or the run read fewer than RECORDS records
# (it timed out), notes why under LABEL and fails.
consumer_perf_result() {
    local label="$1" logf="$2" row consumed
    row="$(awk -F', *' '
        /^start.time/ { for (i = 1; i <= NF; i++) col[$i] = i; next }
        ("nMsg.sec" in col) && NF >= col["nMsg.sec"] && $0 !~ /WARN|ERROR/ {
            print $col["data.consumed.in.nMsg"], $col["nMsg.sec"], $col["MB.sec"], $col["fetch.nMsg.sec"],
                $col["rebalance.time.ms"]
        }' "$logf" | tail -1)"
    [ -n "$row" ] || { note "$label: consumer run printed no result row (see $logf)"; return 1; }
    consumed="${row%% *}"
    if [ "${consumed%.*}" -lt "$RECORDS" ]; then
        note "$label: consumer read only $consumed of $RECORDS records (timeout); its figures are not recorded"
        return 1
    fi
    echo "${row#* }"
}

# median KEY: the median of results/KEY ("n/a" if there is none); integers stay integers.
median() {
    local file="$RESULTS/$1"
    [ -s "$file" ] || { echo "n/a"; return; }
    sort -g "$file" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (m == int(m)) printf "%d", m; else if (m >= 100) printf "%.0f", m; else printf "%.2f", m }'
}

# ratio OVER UNDER: OVER / UNDER to two decimals, "n/a" if either is missing or UNDER is 0.
ratio() {
    case "$1$2" in *n/a*) echo "n/a"; return ;; esac
    awk -v o="$1" -v u="$2" 'BEGIN { if (u == 0) print "n/a"; else printf "%.2f", o / u }'
}

# The report's machine line: date, cores, CPU, memory and Java.
machine_line() {
    local cpu mem
    cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
    mem="$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
    printf '%s, %s cores (%s), %s RAM, %s' "$(date -u +%Y-%m-%d)" "$(nproc)" "${cpu:-unknown CPU}" \
        "${mem:-unknown}" "$("$JAVA" -version 2>&1 | head -1)"
}

# The report's "Notes:" list, if there are notes; indented lines (log tails) become nested code bullets under the
# note before them.
report_notes() {
    if [ -s "$NOTES" ]; then
        echo
        echo "Notes:"
        sed -E -e 's/^    (.*)$/  - `\1`/' -e '/^  - `/!s/^/- /' "$NOTES"
    fi
}

# report_commands INVOCATION [HEADING]: the report's block of exact command lines (the script's own invocation,
# then the first command of each kind), with paths relative to the repository.
report_commands() {
    echo
    echo "${2:-Commands (first run of each kind; later runs differ only in topic, group and directory names):}"
    echo
    echo '```sh'
    echo "$1"
    sed -e "s|$LAUNCHER |./skiff |g" -e "s|$ROOT/||g" "$COMMANDS"
    echo '```'
}

# The 1-, 5- and 15-minute load averages, e.g. "1.52 0.98 0.80".
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
