package org.mandosjava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {
    @Test
    void treeHoldsTheRootAndItsChildren() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            var members = ProcessTree.members(ProcessHandle.current().pid());
            assertThat(members.get(0).pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(members).anySatisfy(p -> assertThat((long) p.pid()).isEqualTo(child.pid()));
            ProcessTree.Snapshot s = ProcessTree.sample(ProcessHandle.current().pid(), true);
            assertThat(s.processes()).isGreaterThanOrEqualTo(2);
            assertThat(s.pssBytes()).isPositive();
            // PSS divides shared pages among sharers, so it never exceeds RSS (tolerance: the two are read apart).
            assertThat(s.rssBytes()).isGreaterThanOrEqualTo(s.pssBytes() * 9 / 10);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGoneRootIsAnEmptyTree() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        assertThat(ProcessTree.members(p.pid())).isEmpty();
        assertThat(ProcessTree.sample(p.pid(), false).processes()).isZero();
    }
}
