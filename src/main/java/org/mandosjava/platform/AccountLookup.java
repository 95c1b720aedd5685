package org.mandosjava.platform;

import java.util.Optional;

/** Looks up users and groups by name; {@link NativeAccountLookup} asks the C library (NSS). */
public interface AccountLookup {
    Optional<UserEntry> user(String name);

    Optional<GroupEntry> group(String name);
}
