package org.mandosjava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetachTest {
    @Test
    void theDetachedChildCannotBeAttachedToWhateverItsParentHad() {
        List<String> command = Detach.childCommand("/usr/bin/java", List.of("-Xmx384m", "-XX:-DisableAttachMechanism"),
                "mandos.jar", new String[] {"--debug"});
        assertThat(command).containsSubsequence("-XX:-DisableAttachMechanism", "-XX:+DisableAttachMechanism", "-cp");
        assertThat(command).startsWith("setsid", "/usr/bin/java", "-Xmx384m").endsWith("--debug", "--detached-child");
    }
}
