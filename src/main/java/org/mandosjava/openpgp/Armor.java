package org.mandosjava.openpgp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPUtil;

/** OpenPGP ASCII armor (RFC 4880 §6) the way GnuPG writes it: no Version header, optional Comment, CRC. */
public final class Armor {
    private Armor() {}

    /** An armoring stream; closing it writes the checksum and END line and closes {@code out}. */
    public static OutputStream output(OutputStream out, String comment) {
        ArmoredOutputStream.Builder builder = ArmoredOutputStream.builder().clearHeaders().enableCRC(true);
        if (comment != null && !comment.isEmpty()) builder.addComment(comment);
        ArmoredOutputStream armor = builder.build(out);
        return new OutputStream() {
            @Override public void write(int b) throws IOException { armor.write(b); }
            @Override public void write(byte[] b, int off, int len) throws IOException { armor.write(b, off, len); }
            @Override public void flush() throws IOException { armor.flush(); }
            @Override public void close() throws IOException {
                armor.close(); // ArmoredOutputStream.close() finishes the armor but leaves out open
                out.close();
            }
        };
    }

    /** Reads armored or binary OpenPGP data alike, so callers accept both. */
    public static InputStream decoding(byte[] data) throws IOException {
        return PGPUtil.getDecoderStream(new ByteArrayInputStream(data));
    }
}
