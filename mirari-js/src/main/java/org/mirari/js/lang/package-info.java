/** JDK methods TeaVM's class library lacks, written for TeaVM to compile; {@code teavm}'s plugin wires them in. */
package org.mirari.js.lang;
