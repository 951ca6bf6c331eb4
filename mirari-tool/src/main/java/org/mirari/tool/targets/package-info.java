/**
 * The closed set of targets Mirari builds for and runs on ({@link org.mirari.tool.targets.Target}),
 * with their spellings. The lowest package of the tool but {@code error} and {@code event}: the
 * conf names a target ({@code compiler: 25+xen}), the plan chooses one, each backend is one.
 * Uses only the JDK.
 */
package org.mirari.tool.targets;
