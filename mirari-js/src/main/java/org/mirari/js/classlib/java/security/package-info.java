/** The {@code java.security} classes TeaVM's class library lacks and libraries name (see {@code java.net}'s). */
package org.mirari.js.classlib.java.security;
