package dev.skiff.client.admin;

/**
 * A topic configuration value and where it comes from.
 *
 * @param value     the effective value; null for sensitive values the broker does not reveal
 * @param source    Kafka's name for the source: DYNAMIC_TOPIC_CONFIG (set on the topic),
 *                  STATIC_BROKER_CONFIG, DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG,
 *                  DEFAULT_CONFIG, ... or UNKNOWN
 * @param isDefault whether the value is the built-in default
 */
public record ConfigValue(String value, String source, boolean isDefault) {
}
