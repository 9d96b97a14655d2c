package dev.orchat.search;

/**
 * Turns an FTS5 {@code snippet()} into safe HTML: everything HTML-escaped except the match markers, which become
 * {@code <mark>…</mark>} (docs/api.md "Search"). The markers are private-use characters that FTS5 inserts around
 * each matched token; tags are kept balanced even if a stored text contains the same characters.
 */
final class Snippets {
    static final String OPEN = "\uE000";
    static final String CLOSE = "\uE001";

    private Snippets() {
    }

    static String toHtml(String snippet) {
        if (snippet == null) {
            return "";
        }
        StringBuilder html = new StringBuilder(snippet.length() + 32);
        boolean open = false;
        for (int i = 0; i < snippet.length(); i++) {
            char c = snippet.charAt(i);
            switch (c) {
                case '\uE000' -> {
                    if (!open) {
                        html.append("<mark>");
                        open = true;
                    }
                }
                case '\uE001' -> {
                    if (open) {
                        html.append("</mark>");
                        open = false;
                    }
                }
                case '&' -> html.append("&amp;");
                case '<' -> html.append("&lt;");
                case '>' -> html.append("&gt;");
                case '"' -> html.append("&quot;");
                case '\'' -> html.append("&#39;");
                default -> html.append(c);
            }
        }
        if (open) {
            html.append("</mark>");
        }
        return html.toString();
    }
}
