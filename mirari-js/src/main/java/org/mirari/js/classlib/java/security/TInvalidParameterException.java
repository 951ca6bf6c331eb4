package org.mirari.js.classlib.java.security;

/** {@code java.security.InvalidParameterException} for TeaVM (commons-text's translators throw it). */
public class TInvalidParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TInvalidParameterException() {}

    public TInvalidParameterException(String message) {
        super(message);
    }
}
