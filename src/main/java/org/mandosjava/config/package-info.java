/**
 * Server configuration: mandos.conf and clients.conf, read exactly as the Python Mandos 1.8.16 server
 * reads them (spec §2), with every mistake reported as {@code file:line: key: problem}.
 * <p>
 * Layers: {@link org.mandosjava.config.IniParser} (Python {@code configparser} syntax, strict, with
 * the line of every section and option) → {@link org.mandosjava.config.BasicInterpolation}
 * ({@code %(name)s}, clients.conf only) → value readers ({@link org.mandosjava.config.Durations},
 * {@link org.mandosjava.config.Booleans}, {@link org.mandosjava.config.LenientBase64},
 * {@link org.mandosjava.config.PathExpansion}) → the two file loaders
 * {@link org.mandosjava.config.MandosConf} and {@link org.mandosjava.config.ClientsConf}.
 * <p>
 * Error policy: loading stops at the first problem, in the order Python would meet it (so a file
 * that the original rejects is rejected here with the same culprit), except that all malformed lines
 * of a file are reported together, as configparser does. Messages never contain a secret or a line
 * that could be part of one.
 * <p>
 * The parsers are checked against vectors produced by Python itself and by the installed server's
 * own functions: {@code src/test/python/make_config_vectors.py} writes
 * {@code src/test/resources/config-vectors.json}.
 */
package org.mandosjava.config;
