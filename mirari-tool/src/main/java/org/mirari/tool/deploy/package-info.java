/**
 * {@code mirari deploy ec2} as the tool sees it, without the AWS SDK: the request
 * ({@link org.mirari.tool.deploy.Ec2Request}), the disk's blocks as EBS takes them
 * ({@link org.mirari.tool.deploy.DiskBlocks}: 512 KiB, all-zero ones skipped, SHA-256 each), the
 * plan that {@code --dry-run} prints ({@link org.mirari.tool.deploy.Ec2Plan}), and the
 * {@link org.mirari.tool.deploy.Ec2Deployer} that the {@code mirari-ec2} module implements on the
 * SDK and that is loaded in a class loader of its own only when a deploy runs, so the SDK never
 * loads on the tool's everyday paths ({@code loader}). Uses the JDK, {@code loader}, {@code error} and
 * {@code event} only. The
 * allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.deploy;
