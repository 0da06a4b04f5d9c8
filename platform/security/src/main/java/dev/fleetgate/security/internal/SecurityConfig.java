package dev.fleetgate.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code dev.fleetgate.security} ({@code etc/dev.fleetgate.security.cfg}).
 *
 * <p>Several cores sharing one database must share {@code jwtSecret} and {@code masterKey}
 * through this configuration: a key generated locally (the fallback when a key is empty)
 * lives only in that core's {@code ${karaf.data}/fleetgate/}, so tokens issued by one core
 * would be refused by another and secrets sealed by one could not be opened by another.
 */
@ObjectClassDefinition(
        id = SecurityConfig.PID,
        name = "Fleetgate security",
        description = "Users, access tokens, login throttling and the master key for secrets at rest.")
public @interface SecurityConfig {
    // Secrets are private properties (keys ".jwtSecret", ".masterKey", ".initialAdminPassword":
    // DS maps a leading "_" to "."), so that DS does not copy them into service properties
    // where any bundle or shell user could read them.
    String PID = "dev.fleetgate.security";

    @AttributeDefinition(
            type = AttributeType.PASSWORD,
            required = false,
            description = "Base64 of at least 32 random bytes signing access tokens (HS256). Empty: "
                    + "generated once and kept in ${karaf.data}/fleetgate/jwt.key. Share it between cores.")
    String _jwtSecret() default "";

    @AttributeDefinition(
            type = AttributeType.PASSWORD,
            required = false,
            description = "Base64 of exactly 32 random bytes (AES-256) encrypting secrets at rest. Empty: "
                    + "generated once and kept in ${karaf.data}/fleetgate/secret.key. Share it between cores.")
    String _masterKey() default "";

    @AttributeDefinition(min = "1", description = "Lifetime of an access token, in minutes.")
    int tokenTtlMinutes() default 60;

    @AttributeDefinition(
            type = AttributeType.PASSWORD,
            required = false,
            description = "Password of the user 'admin' created when there are no users yet. Empty: "
                    + "a strong password is generated and logged once at WARN.")
    String _initialAdminPassword() default "";

    @AttributeDefinition(
            min = "1",
            description = "Failed logins allowed per user name and client address in the window.")
    int loginMaxFailures() default 5;

    @AttributeDefinition(min = "1", description = "Failed logins allowed per client address in the window.")
    int loginMaxFailuresPerAddress() default 20;

    @AttributeDefinition(min = "1", description = "Sliding window of the login throttle, in seconds.")
    int loginWindowSeconds() default 300;

    @AttributeDefinition(
            min = "1",
            description = "Failed logins of one account (from any address) within "
                    + "loginAccountWindowSeconds before each further failure locks it for a doubling delay.")
    int loginAccountMaxFailures() default 10;

    @AttributeDefinition(
            min = "1",
            description = "How long a failed login counts for the per-account limit, in seconds.")
    int loginAccountWindowSeconds() default 900;

    @AttributeDefinition(
            min = "1",
            description = "Longest per-account lock, in seconds (the delay doubles up to it). "
                    + "Addresses the user logged in from before are never locked out by it.")
    int loginAccountMaxDelaySeconds() default 300;
}
