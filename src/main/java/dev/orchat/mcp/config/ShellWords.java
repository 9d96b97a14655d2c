package dev.orchat.mcp.config;

import java.util.List;

/** Public access to the shell-like command splitting of §6.1 for callers outside this package (the import route). */
public final class ShellWords {
    private ShellWords() {
    }

    /** Words of {@code line} with quotes honoured; never runs a shell. */
    public static List<String> split(String line) {
        return CommandLine.split(line);
    }
}
