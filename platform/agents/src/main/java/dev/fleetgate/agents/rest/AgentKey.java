package dev.fleetgate.agents.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import javax.ws.rs.NameBinding;

/**
 * Marks a method called by agents with their API key ({@code Authorization: Bearer <key>})
 * for the agent in path parameter {@code id}: {@link AgentKeyFilter} checks the key before
 * the request body is read, so a stranger's body is never parsed.
 */
@NameBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AgentKey {}
