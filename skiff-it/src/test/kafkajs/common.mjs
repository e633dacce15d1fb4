// Shared by the KafkaJS scenarios that KafkaJsIT runs against the Skiff broker.
// Results go to stdout as one JSON object per line; KafkaJS's own log goes to stderr so it never mixes
// with them, and a failed run prints the error to stderr and exits 1.
import kafkajs from 'kafkajs'

const { Kafka, logLevel } = kafkajs

/** KafkaJS's log entries, one JSON line each on stderr, for the test's failure message. */
const stderrLogCreator = () => ({ namespace, level, label, log }) => {
    process.stderr.write(JSON.stringify({ level: label, namespace, ...log }) + '\n')
}

/** WARN unless SKIFF_KAFKAJS_LOG names another KafkaJS level (debug shows every request and its version). */
const level = logLevel[(process.env.SKIFF_KAFKAJS_LOG || 'warn').toUpperCase()] ?? logLevel.WARN

/** A client for the broker at `bootstrap`, with timeouts short enough to fail a test instead of hanging it. */
export function client(bootstrap, clientId) {
    return new Kafka({
        clientId,
        brokers: [bootstrap],
        connectionTimeout: 5000,
        requestTimeout: 15000,
        retry: { retries: 5, initialRetryTime: 100 },
        logLevel: level,
        logCreator: stderrLogCreator,
    })
}

/** Writes one result line for the Java side. */
export function emit(result) {
    process.stdout.write(JSON.stringify(result) + '\n')
}

/**
 * Runs `main`, exiting 0 when it resolves and 1 when it throws. A scenario that hangs exits 2 after
 * `limitMs`, so the Java side sees a failure with this message instead of only its own timeout.
 */
export function run(main, limitMs = 120000) {
    const guard = setTimeout(() => {
        process.stderr.write(`scenario did not finish within ${limitMs} ms\n`)
        process.exit(2)
    }, limitMs)
    guard.unref()
    main().then(
        () => process.exit(0),
        (e) => {
            process.stderr.write(`scenario failed: ${e && e.stack ? e.stack : e}\n`)
            if (e && e.type) {
                process.stderr.write(`kafka error type ${e.type}, code ${e.code}\n`)
            }
            process.exit(1)
        })
}

/** Resolves once `condition()` holds, checking every 20 ms; rejects with `what` after `timeoutMs`. */
export async function until(what, condition, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
    }
}
