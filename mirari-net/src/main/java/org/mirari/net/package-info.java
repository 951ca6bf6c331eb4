/** Mirari's pure-Java userspace network stack (issue 5). */
package org.mirari.net;
