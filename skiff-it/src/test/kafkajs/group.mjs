// Two KafkaJS consumers in one group, then one of them alone. Talks to KafkaJsIT line by line:
//   node group.mjs <bootstrap> <topic> <group> <partitions> <first> <second>
//   stdout {"event":"joined",...}   both members hold a share of the partitions (the test then produces <first>)
//   stdout {"event":"consumed",...} <first> records read between them; waits for "leave" on stdin
//   stdout {"event":"takeover",...} member a left, b holds every partition (the test then produces <second>)
//   stdout {"event":"drained",...}  <first> + <second> records read in all; b leaves and the script exits
import readline from 'node:readline'
import { client, emit, run, until } from './common.mjs'

const [bootstrap, topic, groupId, partitionsArg, firstArg, secondArg] = process.argv.slice(2)
const partitions = Number(partitionsArg)
const first = Number(firstArg)
const second = Number(secondArg)

const kafka = client(bootstrap, 'kafkajs-group')
const records = []
const members = {}

const stdinLines = []
readline.createInterface({ input: process.stdin }).on('line', (line) => stdinLines.push(line.trim()))

/** A consumer named `name` whose latest assignment and member id are kept in `members[name]`. */
async function start(name) {
    // Short heartbeat and fetch wait so a rebalance is noticed within a second, not after KafkaJS's 3 s / 5 s.
    const consumer = kafka.consumer({
        groupId,
        sessionTimeout: 10000,
        rebalanceTimeout: 20000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 500,
        allowAutoTopicCreation: false,
    })
    const member = { consumer, memberId: null, assignment: [], joins: 0 }
    members[name] = member
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        member.memberId = payload.memberId
        member.assignment = [...(payload.memberAssignment[topic] || [])].sort((x, y) => x - y)
        member.joins++
    })
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    await consumer.run({
        eachMessage: async ({ partition, message }) => {
            records.push({
                member: name,
                partition,
                offset: Number(message.offset),
                key: message.key === null ? null : message.key.toString(),
                value: message.value === null ? null : message.value.toString(),
            })
        },
    })
    return member
}

function assignments() {
    return Object.fromEntries(Object.entries(members).map(([name, m]) => [name, m.assignment]))
}

function memberIds() {
    return Object.fromEntries(Object.entries(members).map(([name, m]) => [name, m.memberId]))
}

/** True once both members hold a non-empty share and the shares are disjoint and cover every partition. */
function shared() {
    const { a, b } = assignments()
    if (!a || !b || a.length === 0 || b.length === 0) {
        return false
    }
    const all = new Set([...a, ...b])
    return all.size === partitions && a.length + b.length === partitions
}

run(async () => {
    const a = await start('a')
    const b = await start('b')
    try {
        await until('both consumers to share the partitions', shared)
        emit({ event: 'joined', assignments: assignments(), memberIds: memberIds() })

        await until(`${first} records`, () => records.length >= first)
        emit({ event: 'consumed', assignments: assignments(), records })

        await until('"leave" on stdin', () => stdinLines.includes('leave'), 90000)
        const joinsBefore = b.joins
        await a.consumer.disconnect()
        await until('b to take over every partition',
            () => b.joins > joinsBefore && b.assignment.length === partitions)
        emit({ event: 'takeover', assignments: assignments() })

        await until(`${first + second} records`, () => records.length >= first + second)
        emit({ event: 'drained', records })
    } finally {
        await a.consumer.disconnect()
        await b.consumer.disconnect()
    }
}, 180000)
