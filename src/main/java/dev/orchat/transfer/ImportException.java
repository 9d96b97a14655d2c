package dev.orchat.transfer;

/** Why one import item (or the rest of an archive) could not be imported; the text is shown to the user. */
final class ImportException extends Exception {
    ImportException(String message) {
        super(message, null, false, false);
    }
}
