/**
 * Reading REST input: typed fields from a JSON body or query/path text, every fault collected
 * as a {@link dev.fleetgate.api.FieldError} and answered together as one 400
 * ({@link dev.fleetgate.api.input.Fields#check()}).
 *
 * <pre>
 * Fields f = new Fields();
 * String name = f.text(body, "name", "name", true, 200);
 * Integer port = f.requiredInteger(target, "port", Fields.path("upstream.targets[0]", "port"), 1, 65535);
 * f.check(); // ApiException 400 with errors [{field, message}] when anything was wrong
 * </pre>
 */
@Export
@Version("1.1.0")
package dev.fleetgate.api.input;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
