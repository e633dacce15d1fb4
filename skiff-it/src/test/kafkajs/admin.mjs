// KafkaJS admin calls against the broker.
//   node admin.mjs create  <bootstrap> <topic> <partitions>  -> {"created":..,"createdAgain":..}
//   node admin.mjs inspect <bootstrap> <topic>               -> {"metadata":..,"topics":..,"offsets":..}
import { client, emit, run } from './common.mjs'

const [mode, bootstrap, topic, partitions] = process.argv.slice(2)

run(async () => {
    const admin = client(bootstrap, 'kafkajs-admin').admin()
    await admin.connect()
    try {
        if (mode === 'create') {
            const spec = { topics: [{ topic, numPartitions: Number(partitions), replicationFactor: 1 }] }
            const created = await admin.createTopics({ ...spec, waitForLeaders: true })
            // KafkaJS answers false, instead of failing, when the topic exists (TOPIC_ALREADY_EXISTS).
            const createdAgain = await admin.createTopics(spec)
            emit({ created, createdAgain })
        } else if (mode === 'inspect') {
            const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
            const topics = await admin.listTopics()
            const offsets = await admin.fetchTopicOffsets(topic)
            emit({ metadata, topics, offsets })
        } else {
            throw new Error(`unknown mode ${mode}`)
        }
    } finally {
        await admin.disconnect()
    }
})
