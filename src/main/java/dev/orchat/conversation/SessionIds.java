package dev.orchat.conversation;

import java.util.regex.Pattern;

/** The session id rule of docs/api.md §1, in one place. */
public final class SessionIds {
    public static final String REGEX = "^[A-Za-z0-9_-]{1,64}$";
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private SessionIds() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
