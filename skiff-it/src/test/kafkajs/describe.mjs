// KafkaJS admin views of a consumer group.
//   node describe.mjs <bootstrap> <group> <topic>
//   -> {"groups":..,"described":..,"offsets":..,"allOffsets":..}
// Member metadata and assignments are decoded with KafkaJS's own AssignerProtocol, so the test sees what
// KafkaJS itself would make of the bytes the broker stored for the group.
import kafkajs from 'kafkajs'
import { client, emit, run } from './common.mjs'

const { AssignerProtocol } = kafkajs
const [bootstrap, groupId, topic] = process.argv.slice(2)

function decodeMember({ memberId, clientId, clientHost, memberMetadata, memberAssignment }) {
    const metadata = memberMetadata.length === 0 ? null : AssignerProtocol.MemberMetadata.decode(memberMetadata)
    const assignment = memberAssignment.length === 0 ? null
        : AssignerProtocol.MemberAssignment.decode(memberAssignment)
    return {
        memberId,
        clientId,
        clientHost,
        subscription: metadata && metadata.topics,
        assignment: assignment && assignment.assignment,
    }
}

run(async () => {
    const admin = client(bootstrap, 'kafkajs-admin').admin()
    await admin.connect()
    try {
        const { groups } = await admin.listGroups()
        const described = (await admin.describeGroups([groupId])).groups.map((g) => ({
            ...g,
            members: g.members.map(decodeMember),
        }))
        const offsets = await admin.fetchOffsets({ groupId, topics: [topic] })
        // No topics: KafkaJS sends OffsetFetch with a null topic array, which asks for every committed offset.
        const allOffsets = await admin.fetchOffsets({ groupId })
        emit({ groups, described, offsets, allOffsets })
    } finally {
        await admin.disconnect()
    }
})
