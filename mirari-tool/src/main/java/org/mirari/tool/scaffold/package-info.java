/**
 * {@code mirari init}: a new app as values ({@link org.mirari.tool.scaffold.Scaffold}: the conf
 * with every key commented, one class for the entry kind, a {@code .gitignore}), written only
 * where nothing exists yet. Uses {@code config} (the keys it documents), {@code error} and
 * {@code event}.
 */
package org.mirari.tool.scaffold;
