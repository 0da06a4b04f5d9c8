package dev.fleetgate.security.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.fleetgate.security.User;

/** JSON bodies of the security endpoints. */
public final class Bodies {
    private Bodies() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LoginRequest(
            @JsonProperty("username") String username,
            @JsonProperty("password") String password) {}

    public record LoginResponse(
            @JsonProperty("accessToken") String accessToken,
            @JsonProperty("tokenType") String tokenType,
            @JsonProperty("expiresIn") long expiresIn) {}

    public record Me(
            @JsonProperty("username") String username,
            @JsonProperty("roles") List<String> roles) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CreateUser(
            @JsonProperty("username") String username,
            @JsonProperty("password") String password,
            @JsonProperty("roles") List<String> roles) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NewPassword(
            @JsonProperty("password") String password,
            @JsonProperty("currentPassword") String currentPassword) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NewRoles(@JsonProperty("roles") List<String> roles) {}

    /** A user as the API shows it: roles sorted, time as ISO-8601 text. */
    public record UserView(
            @JsonProperty("username") String username,
            @JsonProperty("roles") List<String> roles,
            @JsonProperty("createdAt") String createdAt) {

        static UserView of(User user) {
            return new UserView(
                    user.username(),
                    user.roles().stream().sorted().toList(),
                    user.createdAt().toString());
        }
    }
}
