package org.mirari.tool.config;

/** One config error or warning at a position; line 0 means the file as a whole. */
record Problem(Position at, String message) {
    static Problem ofFile(String shownAs, String message) {
        return new Problem(new Position(shownAs, 0, 0), message);
    }

    String render() {
        return (at.line() == 0 ? at.file() : at.toString()) + ": " + message;
    }
}
