package org.mirari.tool.cli;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.mirari.tool.event.Event;

/**
 * Spinners and progress bars on stderr, drawn by {@code me.tongfei:progressbar}: a spinner with
 * the step's name while a step runs longer than {@link #DELAY}, a bar with bytes, speed and time
 * left while a download reports its {@link Event.Progress}. One at a time; it is cleared before
 * any line is printed, so lines never mix with it. Only {@link ConsoleSink} makes one, and only
 * when {@link Output#progress(boolean)} says so (a terminal, no {@code NO_COLOR}, {@code -q} or
 * {@code --json}): the library's classes are not even loaded otherwise.
 */
final class Progress {
    /** A step that ends sooner shows no spinner (it would only flicker). */
    static final Duration DELAY = Duration.ofMillis(700);

    private final PrintStream err;
    private final int columns;
    private ProgressBar bar; // what is drawn now, if anything
    private String what = ""; // the download the bar shows
    private String step; // the running step, for the spinner
    private String label = "";
    private long spinAt; // System.nanoTime() when the spinner may start
    private Thread timer;

    Progress(PrintStream err, int columns) {
        this.err = err;
        this.columns = columns;
    }

    synchronized void started(String step, String label) {
        clear();
        this.step = step;
        this.label = label;
        this.spinAt = System.nanoTime() + DELAY.toNanos();
        if (timer == null)
            timer = Thread.ofPlatform().daemon().name("mirari-progress").start(this::spin);
        notifyAll();
    }

    /**
     * The running step is busy with {@code what}: the spinner says so, at once if it is already
     * drawn (the step has run past the delay), else once the delay is over.
     */
    synchronized void activity(String what) {
        if (step == null) return;
        label = what;
        if (bar != null && this.what.isEmpty()) {
            bar.close();
            bar = null;
            spinAt = System.nanoTime();
        }
        notifyAll();
    }

    synchronized void finished(String step) {
        clear();
        if (step.equals(this.step)) this.step = null;
    }

    synchronized void progress(Event.Progress p) {
        if (bar != null && (bar.isIndefinite() != (p.total() < 0) || !p.what().equals(what))) clear();
        if (bar == null) {
            what = p.what();
            bar = builder(shorten(p.step() + ": " + p.what()))
                    .setInitialMax(p.total() < 0 ? -1 : p.total())
                    .setUnit(" KiB", 1024)
                    .showSpeed()
                    .build();
        }
        bar.stepTo(p.done());
        if (p.total() >= 0 && p.done() >= p.total()) clear();
    }

    /** Before a line is printed: nothing of the bar may stay under it. The spinner comes back later. */
    synchronized void clear() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        spinAt = System.nanoTime() + DELAY.toNanos();
    }

    private ProgressBarBuilder builder(String task) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .clearDisplayOnFinish()
                .setMaxRenderedLength(columns)
                .setConsumer(new ConsoleProgressBarConsumer(err, columns));
    }

    /** The spinner's thread: draws it once a step has run for {@link #DELAY} with nothing else shown. */
    private synchronized void spin() {
        try {
            while (true) {
                long wait = spinAt - System.nanoTime();
                if (step != null && bar == null && wait <= 0) {
                    bar = builder(shorten(step + (label.isEmpty() ? "" : ": " + label)))
                            .setInitialMax(-1)
                            .hideEta()
                            .build();
                    what = "";
                } else {
                    wait(step == null || bar != null ? 0 : Math.max(1, wait / 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String shorten(String task) {
        int room = Math.max(10, columns / 2);
        return task.length() <= room ? task : "..." + task.substring(task.length() - room + 3);
    }
}
