package dev.skiff.broker.internal.group;

/**
 * The classic group protocol's states, with the names Kafka shows in ListGroups and DescribeGroups.
 *
 * <pre>
 *  Empty --join--> PreparingRebalance --all joined / timeout--> CompletingRebalance --leader sync--> Stable
 *    ^                 ^   |                                         |                                |
 *    |                 |   +--no members left------------------------+-------> Empty                |
 *    |                 +---------- join / leave / session expiry ------------------------------------+
 *  Dead: deleted (DeleteGroups, or an Empty group whose offsets all expired); a reference held by a
 *  request in flight sees Dead and answers COORDINATOR_NOT_AVAILABLE, so the client looks it up again.
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka's tools print and ListGroups filters on. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The state named {@code name} (case-insensitive), or null. */
    public static GroupState byKafkaName(String name) {
        for (GroupState s : values()) {
            if (s.kafkaName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
