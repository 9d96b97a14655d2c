package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.conversation.ToolCall;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds complete tool calls from streamed {@code delta.tool_calls} fragments. Providers
 * usually send the id and name once and then the arguments in pieces, addressed by
 * {@code index}; some omit the index and repeat the id instead, so both addressing modes work.
 */
final class ToolCallAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCallAssembler.class);

    // A junk index such as 2^31-1 would otherwise make us allocate that many blank slots.
    static final int MAX_SLOTS = 1024;
    static final int GENERATED_ID_LENGTH = 24;

    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class Slot {
        String id;
        String type = "function";
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final List<Slot> slots = new ArrayList<>();
    private boolean sawDelta;

    /** Returns false when the fragment was unusable (e.g. absurd index) and was ignored. */
    boolean merge(JsonNode delta) {
        JsonNode index = delta.get("index");
        String id = HopAccumulator.nonEmptyText(delta.get("id"));
        int target;
        if (index != null && index.isIntegralNumber() && index.canConvertToInt() && index.intValue() >= 0) {
            target = index.intValue();
        } else {
            target = id == null ? -1 : slotWithId(id);
            if (target < 0) {
                target = slots.size();
            }
        }
        if (target >= MAX_SLOTS) {
            LOG.warn("Ignoring tool-call delta addressing slot {} (limit {})", target, MAX_SLOTS);
            return false;
        }
        while (slots.size() <= target) {
            slots.add(new Slot());
        }
        Slot slot = slots.get(target);
        if (id != null) {
            slot.id = id;
        }
        String type = HopAccumulator.nonEmptyText(delta.get("type"));
        if (type != null) {
            slot.type = type;
        }
        JsonNode function = delta.get("function");
        if (function != null && function.isObject()) {
            String name = HopAccumulator.nonEmptyText(function.get("name"));
            if (name != null) {
                slot.name = name;
            }
            JsonNode args = function.get("arguments");
            if (args != null && args.isTextual()) {
                slot.arguments.append(args.textValue());
            }
        }
        sawDelta = true;
        return true;
    }

    boolean sawDelta() {
        return sawDelta;
    }

    /**
     * Nameless slots are dropped because they cannot be dispatched and the provider would reject
     * them if echoed back. Generated ids are written back to the slot so that repeated calls agree,
     * which matters because the id links the call to its tool result message.
     */
    List<ToolCall> finish() {
        List<ToolCall> calls = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.name == null || slot.name.isBlank()) {
                LOG.warn("Dropping tool call slot {} without a function name (id={}, {} argument chars)",
                        i, slot.id, slot.arguments.length());
                continue;
            }
            if (slot.id == null || slot.id.isBlank()) {
                slot.id = generateId();
            }
            String args = slot.arguments.toString();
            calls.add(new ToolCall(slot.id, slot.type, slot.name, args.isBlank() ? "{}" : args));
        }
        return calls;
    }

    private int slotWithId(String id) {
        for (int i = 0; i < slots.size(); i++) {
            if (id.equals(slots.get(i).id)) {
                return i;
            }
        }
        return -1;
    }

    static String generateId() {
        StringBuilder sb = new StringBuilder("call_");
        for (int i = 0; i < GENERATED_ID_LENGTH; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }
}
