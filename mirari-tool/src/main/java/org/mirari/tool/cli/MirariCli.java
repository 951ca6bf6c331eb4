package org.mirari.tool.cli;

/** The mirari command line (issue 2). */
public final class MirariCli {
    public static void main(String[] args) {
        System.err.println("mirari: not built yet");
        System.exit(2);
    }
}
