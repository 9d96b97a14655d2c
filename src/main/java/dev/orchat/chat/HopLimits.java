package dev.orchat.chat;

/** How many tool rounds a turn may run, and whether a final answer is asked for after the last one. */
record HopLimits(int maxToolHops, boolean finalAnswerAfterHopLimit) {
    static HopLimits of(ChatFactory config) {
        return new HopLimits(config.getMaxToolHops(), config.isFinalAnswerAfterHopLimit());
    }
}
