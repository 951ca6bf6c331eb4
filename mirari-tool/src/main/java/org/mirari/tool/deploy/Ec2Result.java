package org.mirari.tool.deploy;

import java.util.Optional;

/**
 * What {@code mirari deploy ec2} made.
 *
 * @param snapshotId the EBS snapshot of the disk
 * @param imageId    the AMI registered on it
 * @param instanceId the instance started, if one was
 * @param url        where the app answers, once it said it listens
 */
public record Ec2Result(String snapshotId, String imageId, Optional<String> instanceId, Optional<String> url) {}
