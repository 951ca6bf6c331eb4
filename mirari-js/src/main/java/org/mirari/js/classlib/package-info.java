/**
 * JDK classes that the runtime's shared code or common libraries name and TeaVM's class library
 * lacks, in TeaVM's convention ({@code org.mirari.js.classlib.java.net.TInetAddress} is
 * {@code java.net.InetAddress}); {@link org.mirari.js.teavm.MirariSubstitutions} maps {@code java.*}
 * here when TeaVM has no class of its own.
 */
package org.mirari.js.classlib;
