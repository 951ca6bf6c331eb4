/**
 * The man pages, made at build time (never at run time): {@link org.mirari.man.ManPages} takes the
 * tool's whole command model ({@code MirariCli.commandLine}), has picocli-codegen's
 * {@code ManPageGenerator} write one AsciiDoc page per command, and Asciidoctor's manpage backend
 * turn each into troff. It may use the tool's {@code cli} package and those two libraries; the
 * tool never uses this module.
 */
package org.mirari.man;
