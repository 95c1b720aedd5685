package org.mandosjava.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    /** A real line from a Python mandos server (fields 1–52 of proc(5)). */
    private static final String PYTHON = "4242 (mandos) S 4240 4242 4242 0 -1 4194560 15000 210000 0 3 "
            + "812 95 1234 567 20 0 2 0 123456 152043520 24000 18446744073709551615 1 1 0 0 0 0 0 16781312 "
            + "2 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";

    @Test
    void readsTheFieldsTheBenchmarkUses() {
        ProcStat s = ProcStat.parse(PYTHON);
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.comm()).isEqualTo("mandos");
        assertThat(s.state()).isEqualTo('S');
        assertThat(s.ppid()).isEqualTo(4240);
        assertThat(s.utime()).isEqualTo(812);
        assertThat(s.stime()).isEqualTo(95);
        assertThat(s.cutime()).isEqualTo(1234);
        assertThat(s.cstime()).isEqualTo(567);
        assertThat(s.threads()).isEqualTo(2);
        assertThat(s.rssPages()).isEqualTo(24000);
        assertThat(s.cpuTicks()).isEqualTo(812 + 95 + 1234 + 567);
    }

    @Test
    void commandNamesMayHoldSpacesAndParentheses() {
        String line = PYTHON.replace("(mandos)", "(a) b (c)");
        ProcStat s = ProcStat.parse(line);
        assertThat(s.comm()).isEqualTo("a) b (c");
        assertThat(s.ppid()).isEqualTo(4240);
        assertThat(s.rssPages()).isEqualTo(24000);
    }

    @Test
    void readsThisProcess() throws Exception {
        ProcStat self = ProcStat.parse(Files.readString(Path.of("/proc/self/stat")));
        assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(self.threads()).isPositive();
        assertThat(self.rssPages()).isPositive();
    }

    @Test
    void rejectsWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcStat.parse("4242 mandos S 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcStat.parse("4242 (mandos) S 1 2")).isInstanceOf(IllegalArgumentException.class);
    }
}
