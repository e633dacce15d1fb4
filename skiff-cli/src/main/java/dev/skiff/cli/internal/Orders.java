package dev.skiff.cli.internal;

/**
 * The demo's records: order {@code i} is always the same order, keyed by its customer, so runs are
 * repeatable and key partitioning is visible (every order of a customer lands in one partition).
 */
public final class Orders {
    /** Distinct customers, hence distinct keys: enough to spread evenly over any partition count. */
    public static final int CUSTOMERS = 10_000;

    private static final String[] PRODUCTS = {"espresso beans", "pour-over kettle", "burr grinder", "paper filters",
        "ceramic mug", "milk frother", "cold brew jar", "digital scale", "tamper", "travel cup"};
    private static final int[] PRICES_CENTS = {1299, 4500, 12900, 450, 1600, 3900, 2200, 2750, 1999, 1450};
    private static final String[] KEYS = new String[CUSTOMERS];

    static {
        for (int c = 0; c < CUSTOMERS; c++) {
            KEYS[c] = String.format("customer-%04d", c);
        }
    }

    /**
     * One order, written as JSON by the demo's JsonSerializer.
     *
     * @param id         order number, unique in a run
     * @param customer   the key: who ordered
     * @param product    what
     * @param quantity   how many
     * @param priceCents unit price
     */
    public record Order(long id, String customer, String product, int quantity, int priceCents) {
    }

    private Orders() {
    }

    /** The key of order {@code i}: its customer. */
    public static String key(long i) {
        return KEYS[customer(i)];
    }

    /** Order {@code i}. */
    public static Order order(long i) {
        final int p = (int) ((i * 7 + i / 13) % PRODUCTS.length);
        return new Order(i, KEYS[customer(i)], PRODUCTS[p], 1 + (int) (i % 5), PRICES_CENTS[p]);
    }

    private static int customer(long i) {
        // A multiplicative scramble, so consecutive orders come from different customers.
        return (int) ((i * 2_654_435_761L) % CUSTOMERS);
    }
}
