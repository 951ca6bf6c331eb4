/**
 * {@code mirari deploy ec2} on the AWS SDK for Java v2, loaded by the tool in a class loader of
 * its own only when that command runs ({@code org.mirari.tool.deploy.Ec2Deployer#load}). The disk
 * goes up with the EBS direct APIs (StartSnapshot, PutSnapshotBlock, CompleteSnapshot) rather than
 * through S3 and ImportSnapshot: no bucket to create, own and empty afterwards, no
 * {@code vmimport} service role, all-zero blocks never sent, each block checked by its SHA-256 as
 * it arrives, and the snapshot ready within seconds instead of an import task's minutes. Then EC2
 * registers the AMI and starts the instance; the console output says when the app is ready.
 */
package org.mirari.ec2;
