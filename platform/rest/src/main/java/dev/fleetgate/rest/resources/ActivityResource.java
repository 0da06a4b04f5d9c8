package dev.fleetgate.rest.resources;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.rest.internal.ActivityStore;

/**
 * {@code GET /activity?limit=&before=}: who changed what through the API, newest first
 * (admins and operators: the log names users and what they touched).
 */
@Component(service = RestResource.class)
@Path("activity")
@Produces(MediaType.APPLICATION_JSON)
public final class ActivityResource implements RestResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** An entry as the API shows it; {@code id} is the cursor for {@code before}. */
    public record View(long id, String at, String user, String action, String target, int status) {
        static View of(ActivityStore.Entry e) {
            return new View(e.id(), e.at().toString(), e.user(), e.action(), e.target(), e.status());
        }
    }

    private final ActivityStore store;

    @Activate
    public ActivityResource(@Reference ActivityStore store) {
        this.store = store;
    }

    /**
     * @param limit  1 to 1000 (default 100)
     * @param before an entry id (older entries than that one) or an ISO-8601 instant
     */
    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public List<View> list(@QueryParam("limit") String limit, @QueryParam("before") String before) {
        List<FieldError> errors = new ArrayList<>();
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
                if (n < 1 || n > MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be 1 to " + MAX_LIMIT));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("limit", "must be a whole number, 1 to " + MAX_LIMIT));
            }
        }
        Long beforeId = null;
        Instant beforeAt = null;
        if (before != null) {
            if (before.matches("[0-9]{1,18}")) {
                beforeId = Long.parseLong(before);
            } else {
                try {
                    beforeAt = Instant.parse(before);
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError(
                            "before", "must be an entry id or an ISO-8601 time such as 2026-01-31T12:00:00Z"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return store.page(n, beforeId, beforeAt).stream().map(View::of).toList();
    }
}
