package org.mirari.tool.codegen;

import java.util.List;
import org.mirari.tool.config.Coordinate;
import org.mirari.tool.output.Stamp;
import org.mirari.tool.plan.Plan;
import org.mirari.tool.plan.ToolVersion;

/**
 * A {@code pom.xml} that builds the same app with a plain {@code mvn package}, so IDEs open it
 * (the original tool generated {@code main.obuild}). Sources are the {@code .java} files beside
 * the conf and everything under {@code src/main/java}; Maven's outputs go to
 * {@code .mirari/maven}. Plugins are pinned so the build does not depend on Maven's defaults, and
 * when a lock file exists every locked artifact's version is pinned in
 * {@code dependencyManagement}, so Maven builds with exactly what Mirari resolved.
 */
public final class PomXml {
    /** The groupId of generated app poms. */
    public static final String APP_GROUP = "local.mirari.app";

    private PomXml() {}

    /**
     * @param pinned the lock file's artifacts (empty when packages were not resolved)
     */
    public static String generate(Plan plan, List<Coordinate> pinned) {
        var config = plan.config();
        var b = new StringBuilder();
        b.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                %s
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <version>0-SNAPSHOT</version>
                  <packaging>jar</packaging>

                  <properties>
                    <maven.compiler.release>%d</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <project.build.outputTimestamp>1980-01-01T00:00:02Z</project.build.outputTimestamp>
                  </properties>
                """.formatted(
                        Stamp.xmlComment(config.fileName().replace("--", "- -")),
                        APP_GROUP,
                        xml(config.name().value()),
                        plan.jdk().feature()));
        if (!pinned.isEmpty()) {
            b.append("\n  <dependencyManagement>\n    <dependencies>\n");
            for (var c : pinned) dependency(b, "      ", c, null);
            b.append("    </dependencies>\n  </dependencyManagement>\n");
        }
        b.append("\n  <dependencies>\n");
        dependency(b, "    ", new Coordinate("org.mirari", "mirari-runtime", ToolVersion.current()), null);
        for (var p : config.packages())
            dependency(
                    b,
                    "    ",
                    p.value(),
                    p.at().line() > 0 ? config.fileName() + ":" + p.at().line() + ":" + p.at().col() : null);
        b.append("  </dependencies>\n");
        b.append("""

                  <build>
                    <directory>${project.basedir}/.mirari/maven</directory>
                    <sourceDirectory>${project.basedir}</sourceDirectory>
                    <plugins>
                      <plugin>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.16.0</version>
                        <configuration>
                          <includes>
                            <include>*.java</include>
                            <include>src/main/java/**/*.java</include>
                          </includes>
                        </configuration>
                      </plugin>
                      <plugin>
                        <artifactId>maven-jar-plugin</artifactId>
                        <version>3.5.1</version>
                        <configuration>
                          <archive>
                            <manifest>
                              <mainClass>Main</mainClass>
                            </manifest>
                          </archive>
                        </configuration>
                      </plugin>
                      <plugin><artifactId>maven-clean-plugin</artifactId><version>3.5.0</version></plugin>
                      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.5.0</version></plugin>
                      <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.6.1</version></plugin>
                      <plugin><artifactId>maven-install-plugin</artifactId><version>3.2.0</version></plugin>
                      <plugin><artifactId>maven-deploy-plugin</artifactId><version>3.2.0</version></plugin>
                    </plugins>
                  </build>
                </project>
                """);
        return b.toString();
    }

    private static void dependency(StringBuilder b, String indent, Coordinate c, String from) {
        b.append(indent).append("<dependency>");
        if (from != null) b.append("<!-- ").append(from.replace("--", "- -")).append(" -->");
        b.append("\n")
                .append(indent)
                .append("  <groupId>")
                .append(xml(c.groupId()))
                .append("</groupId>\n")
                .append(indent)
                .append("  <artifactId>")
                .append(xml(c.artifactId()))
                .append("</artifactId>\n")
                .append(indent)
                .append("  <version>")
                .append(xml(c.version()))
                .append("</version>\n")
                .append(indent)
                .append("</dependency>\n");
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
