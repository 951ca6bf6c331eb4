package org.mirari.tool.config;

/** A Maven artifact {@code groupId:artifactId:version} from {@code packages}. */
public record Coordinate(String groupId, String artifactId, String version) {
    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version;
    }
}
