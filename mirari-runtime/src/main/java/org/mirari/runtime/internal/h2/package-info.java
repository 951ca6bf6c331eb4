/**
 * HTTP/2's wire formats, for the server in {@code internal.http} to speak once ALPN picks
 * {@code h2}: {@code FrameReader} splits the bytes into frames (RFC 9113 §4.1) under the
 * advertised maximum frame size, {@code Hpack} decodes header blocks (RFC 7541) with a bounded
 * dynamic table and a bounded header list (the HPACK bomb), {@code Huffman} decodes string
 * literals (RFC 7541 Appendix B), and {@code H2Session} runs one connection's streams and flow
 * control on top of them, with the defences against rapid reset, CONTINUATION floods and HPACK
 * bombs, and GOAWAY on shutdown. Every decoder fails with {@code H2Exception} and an RFC 9113 error
 * code, never with another exception. A connection hands its bytes to a session when ALPN chose
 * {@code h2}; the app's handler API is the same.
 */
package org.mirari.runtime.internal.h2;
