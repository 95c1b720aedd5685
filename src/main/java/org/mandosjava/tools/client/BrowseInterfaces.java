package org.mandosjava.tools.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.mandosjava.zeroconf.Link;

/**
 * Which interfaces to browse for Mandos servers on (spec §13 {@code --interface}): the named ones that
 * exist (others are dropped with a warning; {@code none} only matters to the original, which brings
 * interfaces up), or by default every interface that is up, not loopback, not point-to-point and
 * multicast-capable. Unlike the original we bring no interface up: one that is down is left out.
 */
final class BrowseInterfaces {
    private static final String NONE = "none";

    private BrowseInterfaces() {}

    static List<Link> choose(List<String> names, List<Link> system, Consumer<String> warn) {
        List<String> wanted = names.stream().filter(name -> !name.isEmpty() && !name.equals(NONE)).distinct()
                .toList();
        if (wanted.isEmpty()) {
            return system.stream()
                    .filter(link -> link.up() && !link.loopback() && !link.pointToPoint() && link.multicast())
                    .toList();
        }
        List<Link> chosen = new ArrayList<>();
        for (String name : wanted) {
            Optional<Link> link = system.stream().filter(l -> l.name().equals(name)).findFirst();
            if (link.isEmpty()) {
                warn.accept("Interface \"" + name + "\" does not exist; ignoring it");
            } else if (!link.get().up()) {
                warn.accept("Interface \"" + name + "\" is down; ignoring it");
            } else {
                chosen.add(link.get());
            }
        }
        return chosen;
    }
}
