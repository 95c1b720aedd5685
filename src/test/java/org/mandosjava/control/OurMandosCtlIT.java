package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.Keys;
import org.mandosjava.testing.MandosCtl;
import org.mandosjava.testing.MandosServerProcess;
import org.mandosjava.testing.PrivateSystemBus;

/** Our {@code bin/mandos-ctl} prints what the real one prints, for the same server state. */
class OurMandosCtlIT {
    @TempDir static Path tmp;
    static String clientsConf;

    @BeforeAll
    static void keys() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Keys alpha = DBusFixture.keys(tmp.resolve("alpha"), "alpha");
        clientsConf = DBusFixture.clientsConf(alpha);
    }

    @Test
    void printsWhatTheRealOnePrints() throws Exception {
        // Two identical servers: the real mandos-ctl drives one, ours the other, step by step.
        List<String> real;
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-real"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus)) {
            real = RealMandosCtlIT.run(bus, server, MandosCtl::real);
        }
        List<String> ours;
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-ours"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(clientsConf, bus)) {
            ours = RealMandosCtlIT.run(bus, server, MandosCtl::ours);
        }
        for (int i = 0; i < real.size(); i++) {
            assertThat(ours.get(i)).as("step %d", i).isEqualTo(real.get(i));
        }
        assertThat(String.join("\n", ours)).contains("newhost", "Client not found on server: 'nosuch'");
    }

    @Test
    void usageErrorsAndVersionAreTheRealOnes() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-usage"))) {
            for (String[] args : List.of(new String[] {"--version"}, new String[] {"-e"}, new String[] {"--all"},
                    new String[] {"-v", "-e", "x"}, new String[] {"-e", "-d", "x"}, new String[] {"-V", "a", "b"},
                    new String[] {"-r", "-e", "x"}, new String[] {"-t"}, new String[] {"--nonsense"},
                    new String[] {"-s", "/nonexistent/file", "x"}, new String[] {"--help"},
                    new String[] {"x", "-e", "y"}, new String[] {"--app", "x"})) {
                CommandResult real = MandosCtl.real(bus, args);
                CommandResult ours = MandosCtl.ours(bus, args);
                assertThat(ours.stdoutText() + "exit " + ours.exitStatus() + "\n" + ours.stderr())
                        .as(String.join(" ", args))
                        .isEqualTo(real.stdoutText() + "exit " + real.exitStatus() + "\n" + real.stderr());
            }
        }
    }

    @Test
    void anEmptyServerGivesAnEmptyTableNotACrash() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-empty"));
                MandosServerProcess server = MandosServerProcess.startOursOnBus(DBusFixture.DEFAULTS, bus)) {
            CommandResult table = MandosCtl.ours(bus).assertSuccess();
            assertThat(table.stdoutText()).isEqualTo("Name Enabled Timeout Last Successful Check\n");
            assertThat(MandosCtl.ours(bus, "-v").assertSuccess().stdoutText()).startsWith("Name Enabled Timeout ");
            assertThat(MandosCtl.ours(bus, "-j").assertSuccess().stdoutText()).isEqualTo("{}\n");
            // The original crashes here (spec §15.3 item 9): what we fix.
            assertThat(MandosCtl.real(bus).exitStatus()).isNotZero();
        }
    }

    @Test
    void noServerIsExitStatusOne() throws Exception {
        try (PrivateSystemBus bus = PrivateSystemBus.start(tmp.resolve("bus-none"))) {
            CommandResult real = MandosCtl.real(bus);
            CommandResult ours = MandosCtl.ours(bus);
            assertThat(ours.exitStatus()).isEqualTo(real.exitStatus()).isEqualTo(1);
            assertThat(ours.stderr()).isEqualTo(real.stderr());
        }
    }

    @Test
    void theBinScriptRunsIt() throws Exception {
        Path script = Path.of(System.getProperty("mandos.home"), "bin", "mandos-ctl");
        CommandResult r = CommandResult.run(List.of(script.toString(), "--version"), java.time.Duration.ofMinutes(5),
                java.util.Map.of());
        assertThat(r.assertSuccess().stdoutText()).isEqualTo("mandos-ctl 1.8.16\n");
    }
}
