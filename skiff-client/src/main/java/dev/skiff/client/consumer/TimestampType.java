package dev.skiff.client.consumer;

/** Where a record's timestamp comes from, as its batch says. */
public enum TimestampType {
    /** Set by the producer (message.timestamp.type=CreateTime). */
    CREATE_TIME,
    /** Set by the broker when it appended the batch (message.timestamp.type=LogAppendTime). */
    LOG_APPEND_TIME
}
