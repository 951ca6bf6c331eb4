/**
 * The few {@code java.net} classes the runtime's shared code names and TeaVM's class library lacks,
 * in TeaVM's convention ({@code T} before the JDK's simple name); {@link
 * org.mirari.js.teavm.MirariSubstitutions} maps {@code java.net} here.
 */
package org.mirari.js.classlib.java.net;
