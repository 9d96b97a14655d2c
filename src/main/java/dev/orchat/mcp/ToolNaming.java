package dev.orchat.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The exposed-name rules of docs/architecture.md §10 Pure: the same servers and tools always give the same names. */
public final class ToolNaming {
    static final int MAX = 64;

    private ToolNaming() {
    }

    /** A candidate tool: the server it belongs to, that server's optional prefix, and the tool's own name. */
    public record Candidate(String serverId, String toolPrefix, String originalName) {
    }

    /** The decision for one candidate: its exposed name, or the reason it was skipped. */
    public record Named(Candidate candidate, String exposedName, String skippedReason) {
        public boolean exposed() {
            return skippedReason == null;
        }
    }

    /** Names candidates in order; a later tool whose exposed name is already taken is skipped. */
    public static List<Named> name(List<Candidate> candidates) {
        Map<String, Integer> counts = new HashMap<>();
        for (Candidate c : candidates) {
            counts.merge(c.originalName(), 1, Integer::sum);
        }
        Set<String> taken = new HashSet<>();
        List<Named> out = new ArrayList<>();
        for (Candidate c : candidates) {
            boolean bare = counts.get(c.originalName()) == 1 && (c.toolPrefix() == null || c.toolPrefix().isEmpty());
            String raw = bare ? c.originalName()
                    : (c.toolPrefix() == null || c.toolPrefix().isEmpty() ? c.serverId() : c.toolPrefix()) + "__" + c.originalName();
            String exposed = legal(raw);
            if (!taken.add(exposed)) {
                out.add(new Named(c, exposed, "name_conflict"));
            } else {
                out.add(new Named(c, exposed, null));
            }
        }
        return out;
    }

    /** Makes a name match {@code ^[a-zA-Z0-9_-]{1,64}$}: illegal characters become {@code _}; long names are hashed. */
    public static String legal(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            boolean ok = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-';
            sb.append(ok ? ch : '_');
        }
        String clean = sb.isEmpty() ? "_" : sb.toString();
        if (clean.length() <= MAX) {
            return clean;
        }
        return clean.substring(0, 55) + "_" + sha256Hex(clean).substring(0, 8);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
