package dev.qflux.config;

/** badmailfrom: whole addresses, and "@host" for every address at that host (case-insensitive). */
public interface AddressList {
    /** Case-insensitive; at most two hash lookups. */
    boolean matches(String address);

    /** A list of whole addresses and {@code @host} entries, as badmailfrom holds them. */
    static AddressList of(String... entries) {
        java.util.Set<String> lowered = new java.util.HashSet<>();
        for (String e : entries) {
            lowered.add(e.toLowerCase(java.util.Locale.ROOT));
        }
        return new HashAddressList(lowered);
    }
}
