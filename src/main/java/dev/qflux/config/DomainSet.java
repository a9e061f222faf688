package dev.qflux.config;

/** A set of domains as in rcpthosts/locals: exact names, and ".example.com" for any subdomain. */
public interface DomainSet {
    /** Case-insensitive; {@code domain} has no trailing dot. Cost: a hash lookup per label. */
    boolean contains(String domain);
}
