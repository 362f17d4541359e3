package ai.sentx.persistence.dynamodb;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How values look in the tables: instants are Numbers of nanoseconds since the epoch (exact, and
 * comparable in condition expressions), key components are escaped so {@code #} only ever
 * separates them, and sortable key parts are zero-padded to a fixed width.
 */
final class Codec {
    /** The partition key attribute of every table. */
    static final String PK = "pk";
    /** The sort key attribute of the tables that have one. */
    static final String SK = "sk";
    /** The time-to-live attribute of every table, in epoch seconds as DynamoDB requires. */
    static final String TTL = TableDefinitions.TTL_ATTRIBUTE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Codec() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    /** The instant as nanoseconds since the epoch. */
    static AttributeValue time(Instant instant) {
        return n(nanos(instant));
    }

    /**
     * @throws IllegalArgumentException for an instant before 1970 or after 2262, which have no
     *                                  non-negative {@code long} of nanoseconds
     */
    static long nanos(Instant instant) {
        if (instant.getEpochSecond() < 0) throw new IllegalArgumentException("instant before 1970: " + instant);
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("instant after 2262: " + instant, e);
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    /** The instant as 19 digits, so that keys sort by time. */
    static String sortable(Instant instant) {
        return String.format("%019d", nanos(instant));
    }

    /** A TTL value: the epoch second at or after {@code instant}. */
    static AttributeValue ttl(Instant instant) {
        long seconds = instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
        return n(seconds);
    }

    /** Escapes {@code %} and {@code #}, so a component never contains the key separator. */
    static String escape(String component) {
        return component.replace("%", "%25").replace("#", "%23");
    }

    /** The inverse of {@link #escape}. */
    static String unescape(String component) {
        return component.replace("%23", "#").replace("%25", "%");
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> key = new HashMap<>(2);
        key.put(PK, s(pk));
        key.put(SK, s(sk));
        return key;
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of(PK, s(pk));
    }

    /** The string attribute, or {@code null}. */
    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** The number attribute as a {@code long}, or {@code fallback} when absent. */
    static long num(Map<String, AttributeValue> item, String name, long fallback) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? fallback : Long.parseLong(value.n());
    }

    /** The number attribute as a {@code long}. */
    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) throw new IllegalStateException("item without " + name + ": " + item.keySet());
        return Long.parseLong(value.n());
    }

    /** The time attribute, or {@code null}. */
    static Instant timeOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : instant(Long.parseLong(value.n()));
    }

    static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }
}
