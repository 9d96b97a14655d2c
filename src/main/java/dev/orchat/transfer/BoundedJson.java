package dev.orchat.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Streams an import file: a top-level object is one item, a top-level array is one item per element, and only
 * one item is held in memory at a time. Limits hold while parsing, before a tree grows: nesting and string length
 * via Jackson's {@link StreamReadConstraints}, the bytes of one item here.
 */
final class BoundedJson {
    interface ItemHandler {
        /** @return false to stop reading (time limit) */
        boolean item(int index, JsonNode node) throws IOException;
    }

    private final JsonFactory factory;
    private final long maxItemBytes;

    BoundedJson(ImportFactory limits) {
        this.factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxStringLength(limits.maxStringLength())
                .maxNameLength(10_000)
                .maxNumberLength(100)
                .build()).build();
        this.maxItemBytes = limits.maxItemBytes();
    }

    void forEach(InputStream in, ItemHandler handler) throws IOException, ImportException {
        try (JsonParser p = factory.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ImportException("The file is empty");
            }
            if (first == JsonToken.START_ARRAY) {
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new ImportException("Malformed JSON: the file ends inside its top-level array");
                    }
                    if (!handler.item(index++, readItem(p))) {
                        return;
                    }
                }
            } else if (first == JsonToken.START_OBJECT) {
                handler.item(0, readItem(p));
            } else {
                throw new ImportException("Not a JSON object or array");
            }
        } catch (StreamConstraintsException e) {
            throw new ImportException("JSON exceeds a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ImportException("Malformed JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage());
        }
    }

    /** Builds the tree of the value at the current token, refusing it once it spans more than the item limit. */
    private JsonNode readItem(JsonParser p) throws IOException, ImportException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        long start = offset(p.currentTokenLocation());
        Deque<JsonNode> stack = new ArrayDeque<>();
        String name = null;
        JsonToken t = p.currentToken();
        while (t != null) {
            if (offset(p.currentLocation()) - start > maxItemBytes) {
                throw new ImportException("A conversation is larger than " + maxItemBytes + " bytes" + where(p.currentTokenLocation()));
            }
            JsonNode value = switch (t) {
                case FIELD_NAME -> {
                    name = p.currentName();
                    yield null;
                }
                case START_OBJECT -> nodes.objectNode();
                case START_ARRAY -> nodes.arrayNode();
                case END_OBJECT, END_ARRAY -> {
                    JsonNode done = stack.pop();
                    yield stack.isEmpty() ? done : null;
                }
                case VALUE_STRING -> nodes.textNode(p.getText());
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? nodes.numberNode(p.getBigIntegerValue()) : nodes.numberNode(p.getLongValue());
                case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> nodes.booleanNode(true);
                case VALUE_FALSE -> nodes.booleanNode(false);
                case VALUE_NULL -> nodes.nullNode();
                default -> null;
            };
            boolean closed = t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY;
            if (closed && value != null) {
                return value; // the item's own closing token
            }
            if (value != null) {
                JsonNode parent = stack.peek();
                if (parent == null && !value.isContainerNode()) {
                    return value;
                }
                if (parent instanceof ObjectNode object) {
                    object.set(name, value);
                } else if (parent instanceof ArrayNode array) {
                    array.add(value);
                }
                if (value.isContainerNode()) {
                    stack.push(value);
                }
            }
            t = p.nextToken();
        }
        throw new ImportException("Malformed JSON: the file ends inside a conversation");
    }

    private static long offset(JsonLocation location) {
        return location.getByteOffset() >= 0 ? location.getByteOffset() : location.getCharOffset();
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
