/** The {@code java.net} addresses the runtime's boot-time parameters use (no name resolution: JavaScript has none). */
package org.mirari.js.classlib.java.net;
