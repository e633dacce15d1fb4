// Sends keyed records with KafkaJS's producer: acks -1, gzip, in batches of <batch> records per send().
//   node produce.mjs <bootstrap> <topic> <count> <batch>  -> {"sends":[[RecordMetadata, ...], ...]}
// Record i has key "key-<i>", value "value-<i> " + "x" repeated i % 7 times (null when i % 50 == 49),
// headers idx=<i> and bin=[i & 0xff, 0, 0xff], timestamp 1700000000000 + i; KafkaJsIT builds the same.
import kafkajs from 'kafkajs'
import { client, emit, run } from './common.mjs'

const { CompressionTypes, Partitioners } = kafkajs
const [bootstrap, topic, countArg, batchArg] = process.argv.slice(2)
const count = Number(countArg)
const batch = Number(batchArg)

function record(i) {
    return {
        key: `key-${i}`,
        value: i % 50 === 49 ? null : `value-${i} ` + 'x'.repeat(i % 7),
        headers: { idx: String(i), bin: Buffer.from([i & 0xff, 0, 0xff]) },
        timestamp: String(1700000000000 + i),
    }
}

run(async () => {
    // Named explicitly, though it is KafkaJS 2's default: the murmur2 partitioner that matches the Java
    // client (formerly JavaCompatiblePartitioner). Naming it also silences KafkaJS's start-up warning.
    const producer = client(bootstrap, 'kafkajs-producer').producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
    })
    await producer.connect()
    try {
        const sends = []
        for (let start = 0; start < count; start += batch) {
            const messages = []
            for (let i = start; i < Math.min(count, start + batch); i++) {
                messages.push(record(i))
            }
            sends.push(await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.GZIP }))
        }
        emit({ sends })
    } finally {
        await producer.disconnect()
    }
})
