package org.mirari.tool.backend;

import java.util.Map;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.plan.Target;

/** The {@code --unix} target. Placeholder until its own work lands: every operation says it is not available yet. */
public final class UnixBackend implements Backend {
    @Override
    public Target target() {
        return Target.UNIX;
    }

    @Override
    public BuildOutcome build(AppBuild app, EventSink events) {
        throw notYet();
    }

    @Override
    public boolean upToDate(AppBuild app) {
        return false;
    }

    @Override
    public Launch launch(AppBuild app, Map<String, String> bootParameters, RunOptions options) {
        throw notYet();
    }

    private static BackendException notYet() {
        return new BackendException("the --unix target is not available yet; use --socket");
    }
}
