package dev.fleetgate.api;

/** Manifest headers that mark a bundle as a Fleetgate module. */
public final class ModuleHeader {
    /** {@code Fleetgate-Module: proxy} marks the bundle as the module named {@code proxy}. */
    public static final String MODULE = "Fleetgate-Module";

    private ModuleHeader() {}
}
