package org.mirari.ec2;

import java.net.UnknownHostException;
import java.util.Set;
import org.mirari.tool.error.BackendException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * AWS failures as messages that say what to do: missing credentials, a missing permission (naming
 * the IAM action the request needs), a quota, throttling that outlasted the retries, an unknown
 * region. Every message starts with the IAM action of the request that failed.
 */
final class AwsErrors {
    static final Set<String> DENIED =
            Set.of("UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "UnauthorizedException");
    static final Set<String> BAD_CREDENTIALS = Set.of(
            "AuthFailure",
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "ExpiredToken",
            "ExpiredTokenException",
            "SignatureDoesNotMatch",
            "IncompleteSignature");
    static final Set<String> QUOTA = Set.of(
            "InstanceLimitExceeded",
            "VcpuLimitExceeded",
            "SnapshotLimitExceeded",
            "ResourceLimitExceeded",
            "ServiceQuotaExceededException",
            "AMIQuotaExceeded",
            "MaxIOPSLimitExceeded",
            "VolumeLimitExceeded");
    static final Set<String> THROTTLED =
            Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException", "RequestThrottledException");

    private AwsErrors() {}

    /** The message for a failure of {@code action} ({@code ec2:RegisterImage}) in {@code region}. */
    static BackendException explain(String action, RuntimeException e, String region) {
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorCode();
            String message = s.awsErrorDetails() == null
                    ? s.getMessage()
                    : s.awsErrorDetails().errorMessage();
            String what = code + (message == null || message.isBlank() ? "" : ": " + message);
            if (DENIED.contains(code) || (code == null || code.isEmpty()) && s.statusCode() == 403) {
                return new BackendException(
                        action + " was denied (" + what + "); the credentials need the IAM permission "
                                + action
                                + ": add it to the user's or role's policy (an IAM policy statement with \"Action\": \""
                                + action + "\"), then run again",
                        e);
            }
            if (BAD_CREDENTIALS.contains(code)) {
                return new BackendException(
                        action + ": AWS refused the credentials (" + what
                                + "); they are wrong or expired: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile,"
                                + " or sign in again (aws sso login)",
                        e);
            }
            if (QUOTA.contains(code)) {
                return new BackendException(
                        action + " hit an account quota in " + region + " (" + what
                                + "); remove what is unused or ask for a higher quota in the Service Quotas console",
                        e);
            }
            if (THROTTLED.contains(code) || s.statusCode() == 429) {
                return new BackendException(
                        action + " was throttled by AWS and stayed so after the SDK's retries (" + what
                                + "); wait a minute and run again",
                        e);
            }
            return new BackendException(action + " failed (" + what + ", HTTP " + s.statusCode() + ")", e);
        }
        if (e instanceof SdkClientException c) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("Unable to load credentials") || m.contains("credentials")) {
                return new BackendException(
                        "no AWS credentials for " + action + ": the SDK's default chain found none"
                                + " (environment, ~/.aws profiles, SSO); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
                                + " AWS_PROFILE for a profile made by aws configure (aws sso login for SSO)",
                        e);
            }
            for (Throwable t = c; t != null; t = t.getCause()) {
                if (t instanceof UnknownHostException) {
                    return new BackendException(
                            action + ": cannot resolve the endpoint of region " + region + " (" + t.getMessage()
                                    + "); check --region and the network",
                            e);
                }
            }
            return new BackendException(action + " could not reach AWS: " + m, e);
        }
        return new BackendException(action + " failed: " + e.getMessage(), e);
    }
}
