package dev.fleetgate.security.internal;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.PersistenceException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.Roles;
import dev.fleetgate.persistence.SchemaMigrator;
import dev.fleetgate.security.User;
import dev.fleetgate.security.UserService;

/** Users in PostgreSQL through JPA; owns the {@code security} schema. */
@Component(service = UserService.class, configurationPid = SecurityConfig.PID)
public final class JpaUserService implements UserService {
    public static final String UNIT = "fleetgate-security";
    public static final String INITIAL_ADMIN = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(JpaUserService.class);
    /** Serialises checks that span rows (last admin, first user) across cores. */
    private static final long USERS_LOCK = 7_406_151L;

    /**
     * What {@link #ensureInitialAdmin(String)} did.
     *
     * @param created           whether {@code admin} was created
     * @param generatedPassword the password generated for it, or null
     */
    public record InitialAdmin(boolean created, String generatedPassword) {}

    private final EntityManagerFactory emf;
    private final PasswordHasher hasher;
    private final Clock clock;

    @Activate
    public JpaUserService(
            @Reference(target = "(osgi.unit.name=" + UNIT + ")") EntityManagerFactory emf,
            @Reference SchemaMigrator migrator,
            BundleContext context,
            SecurityConfig config) {
        this(emf, new PasswordHasher(), Clock.systemUTC());
        migrator.migrate("security", context.getBundle(), "db/security");
        hasher.verifyNothing("");
        String configured = config._initialAdminPassword();
        InitialAdmin outcome = ensureInitialAdmin(configured);
        if (outcome.generatedPassword() != null) {
            LOG.warn(
                    "Created user '{}' with generated password: {}  (set initialAdminPassword in {} to choose it; "
                            + "change it after the first login)",
                    INITIAL_ADMIN,
                    outcome.generatedPassword(),
                    SecurityConfig.PID);
        } else if (outcome.created()) {
            LOG.info("Created user '{}' with the configured .initialAdminPassword", INITIAL_ADMIN);
            if (configured.length() < UserRules.MIN_PASSWORD) {
                LOG.warn("The configured .initialAdminPassword is shorter than {} characters", UserRules.MIN_PASSWORD);
            }
        }
    }

    public JpaUserService(EntityManagerFactory emf, PasswordHasher hasher, Clock clock) {
        this.emf = emf;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Creates {@code admin} when there is no user at all.
     *
     * @param configured the configured password, or empty to generate one
     */
    public InitialAdmin ensureInitialAdmin(String configured) {
        if (read(em -> em.createQuery("SELECT COUNT(u) FROM UserEntity u", Long.class)
                        .getSingleResult())
                > 0) {
            return new InitialAdmin(false, null);
        }
        boolean generate = configured == null || configured.isEmpty();
        String password = generate ? generatePassword() : configured;
        String hash = hasher.hash(password);
        boolean created = inTransaction(em -> {
            lockUsers(em);
            long users = em.createQuery("SELECT COUNT(u) FROM UserEntity u", Long.class)
                    .getSingleResult();
            if (users > 0) {
                return false;
            }
            em.persist(new UserEntity(INITIAL_ADMIN, hash, Set.of(Roles.ADMIN), now()));
            return true;
        });
        return new InitialAdmin(created, created && generate ? password : null);
    }

    @Override
    public List<User> list() {
        return read(em -> em
                .createQuery(
                        "SELECT DISTINCT u FROM UserEntity u LEFT JOIN FETCH u.roles ORDER BY u.username",
                        UserEntity.class)
                .getResultList()
                .stream()
                .map(UserEntity::toUser)
                .toList());
    }

    @Override
    public Optional<User> find(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return read(
                em -> Optional.ofNullable(em.find(UserEntity.class, username)).map(UserEntity::toUser));
    }

    @Override
    public User create(String username, String password, Set<String> roles) {
        List<FieldError> errors = UserRules.checkNewUser(username, password, roles);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        UserEntity entity = new UserEntity(username, hasher.hash(password), roles, now());
        try {
            inTransaction(em -> {
                long same = em.createQuery("SELECT COUNT(u) FROM UserEntity u WHERE LOWER(u.username) = :n", Long.class)
                        .setParameter("n", username.toLowerCase(Locale.ROOT))
                        .getSingleResult();
                if (same > 0) {
                    throw taken(username);
                }
                em.persist(entity);
                return null;
            });
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                throw taken(username);
            }
            throw e;
        }
        return entity.toUser();
    }

    @Override
    public void delete(String username) {
        inTransaction(em -> {
            lockUsers(em);
            UserEntity user = username == null ? null : em.find(UserEntity.class, username);
            if (user == null) {
                throw ApiException.notFound("User " + username);
            }
            if (user.roles().contains(Roles.ADMIN)) {
                long admins = em.createQuery("SELECT COUNT(u) FROM UserEntity u WHERE :r MEMBER OF u.roles", Long.class)
                        .setParameter("r", Roles.ADMIN)
                        .getSingleResult();
                if (admins <= 1) {
                    throw ApiException.conflict("User " + username + " is the last admin and cannot be deleted");
                }
            }
            em.remove(user);
            return null;
        });
    }

    @Override
    public void changePassword(String username, String newPassword) {
        List<FieldError> errors = UserRules.checkPassword("password", newPassword);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String hash = hasher.hash(newPassword);
        inTransaction(em -> {
            UserEntity user = username == null ? null : em.find(UserEntity.class, username);
            if (user == null) {
                throw ApiException.notFound("User " + username);
            }
            user.passwordHash(hash);
            user.revokeTokens();
            return null;
        });
    }

    @Override
    public User changeRoles(String username, Set<String> roles) {
        List<FieldError> errors = UserRules.checkRoles(roles);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return inTransaction(em -> {
            lockUsers(em);
            UserEntity user = username == null ? null : em.find(UserEntity.class, username);
            if (user == null) {
                throw ApiException.notFound("User " + username);
            }
            if (user.roles().contains(Roles.ADMIN) && !roles.contains(Roles.ADMIN)) {
                long admins = em.createQuery("SELECT COUNT(u) FROM UserEntity u WHERE :r MEMBER OF u.roles", Long.class)
                        .setParameter("r", Roles.ADMIN)
                        .getSingleResult();
                if (admins <= 1) {
                    throw ApiException.conflict("User " + username + " is the last admin and must keep the admin role");
                }
            }
            user.roles(roles);
            user.revokeTokens();
            return user.toUser();
        });
    }

    @Override
    public void revokeTokens(String username) {
        inTransaction(em -> {
            UserEntity user = username == null ? null : em.find(UserEntity.class, username);
            if (user == null) {
                throw ApiException.notFound("User " + username);
            }
            user.revokeTokens();
            return null;
        });
    }

    @Override
    public Optional<User> verify(String username, String password) {
        Optional<UserEntity> found = username == null
                ? Optional.empty()
                : read(em -> Optional.ofNullable(em.find(UserEntity.class, username)));
        if (found.isEmpty()) {
            hasher.verifyNothing(password);
            return Optional.empty();
        }
        UserEntity user = found.get();
        if (!hasher.verify(password, user.passwordHash())) {
            return Optional.empty();
        }
        if (hasher.needsRehash(user.passwordHash())) {
            rehash(username, user.passwordHash(), password);
        }
        return Optional.of(user.toUser());
    }

    private void rehash(String username, String oldHash, String password) {
        String hash = hasher.hash(password);
        try {
            inTransaction(em -> {
                UserEntity u = em.find(UserEntity.class, username);
                if (u != null && u.passwordHash().equals(oldHash)) {
                    u.passwordHash(hash);
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not upgrade the password hash of {}: {}", username, e.toString());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ApiException taken(String username) {
        return ApiException.conflict("A user named " + username + " already exists");
    }

    private static void lockUsers(EntityManager em) {
        em.createNativeQuery("SELECT COUNT(*) FROM pg_advisory_xact_lock(" + USERS_LOCK + ")")
                .getSingleResult();
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }
}
