package dev.qflux.config;

/** A set of domains as in rcpthosts/locals: exact names, and ".example.com" for any subdomain. */
public interface DomainSet {
    /** Case-insensitive; a trailing dot on {@code domain} is ignored. Cost: a hash lookup per label. */
    boolean contains(String domain);

    /**
     * A set of the given domains, with rcpthosts' rules: {@code example.com} matches itself,
     * {@code .example.com} every subdomain of example.com (not example.com itself).
     *
     * @throws IllegalArgumentException for an entry that is not a domain
     */
    static DomainSet of(String... domains) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String d : domains) {
            try {
                names.add(DomainNames.normalize(d, true));
            } catch (InvalidValue e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new HashDomainSet(names, true);
    }
}
