/** Small checks on ASCII text that the runtime's parsers share. */
package org.mirari.runtime.internal.text;
