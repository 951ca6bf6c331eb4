/** The few calls the compiled app makes into the JavaScript that loads it ({@code globalThis.mirariHost}). */
package org.mirari.js.host;
