package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.Partition;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.cluster.TopicConfigs;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ProduceRequestData;
import dev.skiff.protocol.message.ProduceResponseData;
import dev.skiff.protocol.record.BatchValidator;
import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.Records;
import dev.skiff.protocol.record.ValidationResult;
import dev.skiff.storage.AppendResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce (key 0), versions 3-13 served; 0-13 advertised, because librdkafka refuses a broker whose
 * minimum Produce version is above 0 (KAFKA-18659), exactly as Kafka 4 does.
 *
 * <p>The hot path decodes only batch headers: {@link BatchValidator} checks length, magic and
 * CRC-32C without decompressing; the log writes the batch bytes as received, with the base offset
 * written in place. acks=1 answers once the bytes are in the page cache; acks=all (-1) once the log's
 * flusher has fsync'd them (group commit, off the event loop); acks=0 sends nothing, and any error
 * closes the connection, which is how Kafka tells such a client that something went wrong.
 * Idempotent batches are checked by the log's producer state: a retried batch is answered with its
 * original offset; a gap gets OUT_OF_ORDER_SEQUENCE_NUMBER; an old epoch INVALID_PRODUCER_EPOCH.
 * Transactions are not supported: transactional batches get TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 * A compacted topic (cleanup.policy=compact) is the one case where the log reads records: a record
 * without a key gets INVALID_RECORD with Kafka's message.
 */
public final class ProduceHandler extends VersionedHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);

    /** Validation scratch per event loop thread: validating a batch allocates nothing. */
    private static final ThreadLocal<ValidationResult> VALIDATION = ThreadLocal.withInitial(ValidationResult::new);

    private final BrokerState state;

    public ProduceHandler(BrokerState state) {
        super(ApiKeys.PRODUCE, 0, 13);
        this.state = state;
    }

    @Override
    public short oldestServedVersion() {
        return 3;
    }

    @Override
    public void handle(RequestContext request) {
        final ProduceRequestData body = (ProduceRequestData) request.body();
        final short acks = body.acks();
        final short version = request.version();
        final ProduceResponseData response = new ProduceResponseData();
        final List<CompletableFuture<Void>> flushes = acks == -1 ? new ArrayList<>() : null;
        boolean anyError = false;
        final long now = state.clock().millis();
        for (ProduceRequestData.TopicProduceData topicData : body.topicData()) {
            final Topic topic = version >= 13 ? state.topics().topic(topicData.topicId())
                    : state.topics().topic(topicData.name());
            final Errors missing = version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            final ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topicData.name())
                    .setTopicId(topicData.topicId());
            for (ProduceRequestData.PartitionProduceData pd : topicData.partitionData()) {
                final ProduceResponseData.PartitionProduceResponse pr = new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(pd.index())
                        .setBaseOffset(-1)
                        .setLogAppendTimeMs(-1)
                        .setLogStartOffset(-1);
                final Partition partition = topic == null ? null : topic.partition(pd.index());
                if (acks != 0 && acks != 1 && acks != -1) {
                    setError(pr, Errors.INVALID_REQUIRED_ACKS, null);
                } else if (partition == null) {
                    setError(pr, topic == null ? missing : Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                } else {
                    append(partition, topic, pd.records(), now, version, pr, flushes);
                }
                anyError |= pr.errorCode() != Errors.NONE.code();
                topicResponse.partitionResponses().add(pr);
            }
            response.responses().add(topicResponse);
        }
        if (acks == 0) {
            if (anyError) {
                request.closeConnection();
            } else {
                request.noResponse();
            }
            return;
        }
        if (flushes == null || flushes.isEmpty()) {
            request.respond(response);
            return;
        }
        CompletableFuture.allOf(flushes.toArray(new CompletableFuture<?>[0])).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.error("fsync failed; answering KAFKA_STORAGE_ERROR", failure);
                for (ProduceResponseData.TopicProduceResponse t : response.responses()) {
                    for (ProduceResponseData.PartitionProduceResponse p : t.partitionResponses()) {
                        if (p.errorCode() == Errors.NONE.code()) {
                            setError(p, Errors.KAFKA_STORAGE_ERROR, "fsync failed: " + failure.getMessage());
                        }
                    }
                }
            }
            request.respond(response);
        });
    }

    private void append(Partition partition, Topic topic, Records records, long now, short version,
                        ProduceResponseData.PartitionProduceResponse pr, List<CompletableFuture<Void>> flushes) {
        if (!(records instanceof MemoryRecords) || records.sizeInBytes() == 0) {
            setError(pr, Errors.INVALID_RECORD, "Produce request carries no record batches");
            return;
        }
        final ByteBuffer batches = ((MemoryRecords) records).buffer();
        final int maxBytes = TopicConfigs.maxMessageBytes(state.config(), topic.configOverrides());
        final ValidationResult valid = BatchValidator.validateProduce(batches, maxBytes, version, VALIDATION.get());
        if (valid.error() != Errors.NONE) {
            setError(pr, valid.error(), valid.errorMessage());
            return;
        }
        if (valid.isTransactional()) {
            setError(pr, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "Skiff does not support transactions");
            return;
        }
        final AppendResult result;
        try {
            result = partition.append(batches, now);
        } catch (RuntimeException e) {
            LOG.error("Append to {} failed", partition.topicPartition(), e);
            setError(pr, Errors.KAFKA_STORAGE_ERROR, "Append failed: " + e.getMessage());
            return;
        }
        switch (result.status()) {
            case APPENDED:
            case DUPLICATE:
                pr.setErrorCode(Errors.NONE.code())
                        .setBaseOffset(result.firstOffset())
                        .setLogStartOffset(result.logStartOffset());
                if (flushes != null) {
                    flushes.add(partition.log().flushUpTo(result.lastOffset() + 1));
                }
                break;
            case OUT_OF_ORDER_SEQUENCE:
                setError(pr, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, result.message());
                break;
            case INVALID_PRODUCER_EPOCH:
                setError(pr, Errors.INVALID_PRODUCER_EPOCH, result.message());
                break;
            case INVALID_RECORD:
                // A keyless record for a compacted topic; the message is Kafka's, so clients show the same text.
                setError(pr, Errors.INVALID_RECORD, result.message());
                break;
            default:
                setError(pr, Errors.UNKNOWN_SERVER_ERROR, "Unexpected append status " + result.status());
        }
    }

    private static void setError(ProduceResponseData.PartitionProduceResponse pr, Errors error, String message) {
        pr.setErrorCode(error.code()).setErrorMessage(message).setBaseOffset(-1);
    }
}
