package org.mandosjava.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenFilesTest {
    @Test
    void readsTheSoftLimitOfOpenFiles() {
        String limits = """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             94069                94069                processes
                Max open files            1024                 524288               files
                """;
        assertThat(OpenFiles.softLimit(limits)).hasValue(1024);
        assertThat(OpenFiles.softLimit("Max open files  unlimited  unlimited  files\n")).isEmpty();
        assertThat(OpenFiles.softLimit("")).isEmpty();
    }

    @Test
    void countsThisProcesssDescriptors() {
        assertThat(OpenFiles.count()).isGreaterThan(2);
        assertThat(OpenFiles.describeLimit()).startsWith("limit ");
    }
}
