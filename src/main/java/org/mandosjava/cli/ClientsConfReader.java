package org.mandosjava.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigException;
import org.mandosjava.config.ConfigFileReader;
import org.mandosjava.config.IniParser;
import org.mandosjava.config.PathExpansion;
import org.mandosjava.platform.IoErrors;

/**
 * clients.conf and its secfiles read through a {@link ConfigFileReader} (on a reload, one that can
 * read root's files after privileges are dropped), then interpreted as at startup.
 */
final class ClientsConfReader {
    private ClientsConfReader() {}

    static List<ClientConfig> read(Path file, ConfigFileReader files) throws ConfigException {
        byte[] bytes;
        try {
            bytes = files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read the clients file: " + IoErrors.reason(e), e);
        }
        return ClientsConf.clients(IniParser.parse(file, decode(file, bytes), ClientsConf.BUILT_IN_DEFAULTS),
                PathExpansion.system(), files);
    }

    /** Strict UTF-8, as Python reads the file; the error names the line of the first bad byte. */
    static String decode(Path file, byte[] bytes) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
            throw new ConfigException(file, line, null, "not valid UTF-8 text");
        }
        return out.flip().toString();
    }
}
