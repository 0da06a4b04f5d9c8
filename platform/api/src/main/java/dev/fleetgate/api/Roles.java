package dev.fleetgate.api;

/** The user roles, from most to least privileged. */
public final class Roles {
    /** Everything, including users, agents and modules. */
    public static final String ADMIN = "admin";
    /** Changes services and their configuration. */
    public static final String OPERATOR = "operator";
    /** Reads only. */
    public static final String VIEWER = "viewer";

    private Roles() {}

    /** @return whether {@code role} is one of the three roles */
    public static boolean isValid(String role) {
        return ADMIN.equals(role) || OPERATOR.equals(role) || VIEWER.equals(role);
    }
}
