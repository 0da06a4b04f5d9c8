package dev.fleetgate.security.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.Table;

import dev.fleetgate.security.User;

/** Row of {@code security_users}, with its roles from {@code security_user_roles}. */
@Entity
@Table(name = "security_users")
public class UserEntity {

    @Id
    @Column(name = "username", nullable = false, updatable = false)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Timestamp createdAt;

    @Column(name = "token_version", nullable = false)
    private long tokenVersion;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "security_user_roles", joinColumns = @JoinColumn(name = "username"))
    @Column(name = "role", nullable = false)
    private Set<String> roles = new HashSet<>();

    protected UserEntity() {
        // for JPA
    }

    public UserEntity(String username, String passwordHash, Set<String> roles, Instant createdAt) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.roles = new HashSet<>(roles);
        this.createdAt = Timestamp.from(createdAt);
    }

    public String username() {
        return username;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public void passwordHash(String hash) {
        this.passwordHash = hash;
    }

    public void roles(Set<String> newRoles) {
        roles.clear();
        roles.addAll(newRoles);
    }

    /** Invalidates the tokens issued so far. */
    public void revokeTokens() {
        tokenVersion++;
    }

    public Set<String> roles() {
        return roles;
    }

    public User toUser() {
        return new User(username, roles, createdAt.toInstant(), tokenVersion);
    }
}
