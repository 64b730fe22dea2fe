package io.eggroll.train.schedule;

/** A schedule file that cannot be used; the message names the file, the generation and the problem. */
public final class ScheduleFormatException extends RuntimeException {

    private final int generation;

    public ScheduleFormatException(String message) {
        this(message, -1);
    }

    public ScheduleFormatException(String message, int generation) {
        super(message);
        this.generation = generation;
    }

    /** The generation whose record is missing or damaged, or -1 when the header is at fault. */
    public int generation() {
        return generation;
    }
}
