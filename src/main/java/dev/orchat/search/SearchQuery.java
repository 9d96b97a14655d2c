package dev.orchat.search;

import dev.orchat.web.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's search syntax (docs/api.md "Search"): words, {@code "phrases"}, {@code -exclusion} and prefix
 * {@code term*}, all required. It is translated into an FTS5 MATCH expression (SQLite) or a {@code to_tsquery}
 * input (PostgreSQL) in which every word is a quoted string, so no operator, column filter, weight or bracket typed
 * by the user reaches the database's parser: the only syntax errors are ours, and they are reported as 400.
 */
public record SearchQuery(List<Term> include, List<Term> exclude) {
    static final int MAX_LENGTH = 500;
    static final int MAX_TERMS = 32;

    /** One quoted FTS5 string; {@code prefix} adds {@code *} after it. */
    public record Term(String text, boolean prefix) {
        String fts() {
            return "\"" + text.replace("\"", "\"\"") + "\"" + (prefix ? "*" : "");
        }

        /**
         * {@code 'old' <-> 'town':*}: the term's words as quoted tsquery operands in a phrase, the prefix mark on the
         * last. Inside quotes only {@code '} and {@code \} are special (doubled / escaped here); the words are then
         * split and normalised by the server with the index's own configuration. The characters that
         * {@code orchat_search_prepare} turns into separators, and control characters (PostgreSQL text cannot hold
         * NUL), become spaces here, so a query splits words exactly where the index did.
         */
        String tsQuery() {
            StringBuilder cleaned = new StringBuilder(text.length());
            text.codePoints().forEach(c -> cleaned.appendCodePoint(c < 0x20 || c == 0x7f || "<>./@:".indexOf(c) >= 0 ? ' ' : c));
            List<String> words = new ArrayList<>();
            for (String word : cleaned.toString().split("\\s+")) {
                if (hasWordCharacter(word)) {
                    words.add("'" + word.replace("\\", "\\\\").replace("'", "''") + "'");
                }
            }
            if (words.isEmpty()) { // only separators: nothing the index could hold (never the case for a parsed term)
                words.add("''");
            }
            return String.join(" <-> ", words) + (prefix ? ":*" : "");
        }
    }

    public static SearchQuery parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("The query q is required");
        }
        if (raw.length() > MAX_LENGTH) {
            throw ApiException.badRequest("The query is longer than " + MAX_LENGTH + " characters");
        }
        List<Term> include = new ArrayList<>();
        List<Term> exclude = new ArrayList<>();
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (isSeparator(c)) {
                i++;
                continue;
            }
            boolean negated = false;
            if (c == '-') {
                negated = true;
                i++;
                if (i >= n || isSeparator(raw.charAt(i))) {
                    throw ApiException.badRequest("A '-' must be followed by a word or phrase to exclude");
                }
                c = raw.charAt(i);
            }
            String text;
            boolean prefix = false;
            if (c == '"') {
                int close = raw.indexOf('"', i + 1);
                if (close < 0) {
                    throw ApiException.badRequest("Unbalanced quote: a phrase needs a closing \"");
                }
                text = raw.substring(i + 1, close);
                i = close + 1;
                if (i < n && raw.charAt(i) == '*') {
                    prefix = true;
                    i++;
                }
                if (i < n && !isSeparator(raw.charAt(i))) {
                    throw ApiException.badRequest("A phrase must be followed by a space");
                }
            } else {
                int start = i;
                while (i < n && !isSeparator(raw.charAt(i))) {
                    if (raw.charAt(i) == '"') {
                        throw ApiException.badRequest("A quote may only start a phrase");
                    }
                    i++;
                }
                text = raw.substring(start, i);
                if (text.endsWith("*")) {
                    prefix = true;
                    text = text.substring(0, text.length() - 1);
                }
                if (text.indexOf('*') >= 0) {
                    throw ApiException.badRequest("'*' may only end a term (prefix search)");
                }
            }
            text = text.replaceAll("\\p{Cc}", " "); // inside a phrase too
            if (!hasWordCharacter(text)) {
                if (negated || prefix || c == '"') {
                    throw ApiException.badRequest("Nothing searchable in '" + shorten(text) + "': a term needs a letter or digit");
                }
                continue; // stray punctuation between words, as the tokenizer would drop it
            }
            (negated ? exclude : include).add(new Term(text, prefix));
            if (include.size() + exclude.size() > MAX_TERMS) {
                throw ApiException.badRequest("At most " + MAX_TERMS + " terms per query");
            }
        }
        if (include.isEmpty()) {
            throw ApiException.badRequest("The query needs at least one word that is not excluded");
        }
        return new SearchQuery(List.copyOf(include), List.copyOf(exclude));
    }

    /** FTS5 expression: {@code ("a" "b c" "d"*) NOT "x" NOT "y"}; juxtaposition is AND, NOT is left-associative. */
    public String toMatch() {
        StringBuilder match = new StringBuilder("(");
        for (Term t : include) {
            if (match.length() > 1) {
                match.append(' ');
            }
            match.append(t.fts());
        }
        match.append(')');
        for (Term t : exclude) {
            match.append(" NOT ").append(t.fts());
        }
        return match.toString();
    }

    /**
     * PostgreSQL {@code to_tsquery} input: {@code ('a') & ('b' <-> 'c') & ('d':*) & !('x')}. The words inside each
     * group become a phrase once the server splits them; see {@link Term#tsQuery()}.
     */
    public String toTsQuery() {
        StringBuilder query = new StringBuilder();
        for (Term t : include) {
            query.append(query.length() == 0 ? "(" : " & (").append(t.tsQuery()).append(')');
        }
        for (Term t : exclude) {
            query.append(" & !(").append(t.tsQuery()).append(')');
        }
        return query.toString();
    }

    /** Control characters separate words like spaces (and PostgreSQL text cannot hold NUL). */
    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || Character.isISOControl(c);
    }

    /** The unicode61 tokenizer keeps letters, digits (and marks); a term without one would match nothing. */
    private static boolean hasWordCharacter(String text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
