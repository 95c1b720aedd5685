package org.mandosjava.platform;
import java.io.IOException;
/** TEMPORARY STUB until the platform branch lands. */
public final class Privileges {
    private Privileges() {}
    public record Result(String text) {}
    public static Result dropIfRoot() throws IOException { return new Result("stub"); }
}
