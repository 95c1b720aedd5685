package org.mandosjava.cli;

/** A mistake on the command line itself (exit status 2, as argparse). */
final class UsageError extends Exception {
    UsageError(String message) {
        super(message);
    }
}
