package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import org.mirari.tool.supervise.Instance;
import org.mirari.tool.supervise.StateDir;

/** The instances named on a command line, each looked up once; names that do not exist are collected, not fatal. */
record InstanceArgs(List<Instance> found, List<String> missing) {
    static InstanceArgs of(StateDir state, List<String> names) throws java.io.IOException {
        var found = new ArrayList<Instance>();
        var missing = new ArrayList<String>();
        for (var n : names) {
            var i = Instance.read(state.instance(n));
            if (i.isPresent()) found.add(i.get());
            else missing.add(n);
        }
        return new InstanceArgs(found, missing);
    }

    /** Reports the missing names; the exit code: 0, or 2 when some were missing. */
    int report(CliContext context) {
        for (var n : missing) context.err().println("mirari: no instance called " + n + "; mirari ps -a lists them");
        return missing.isEmpty() ? 0 : 2;
    }
}
