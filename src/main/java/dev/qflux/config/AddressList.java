package dev.qflux.config;

/** badmailfrom: whole addresses, and "@host" for every address at that host (case-insensitive). */
public interface AddressList {
    boolean matches(String address);
}
