package dev.fleetgate.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a JSON entity parameter: the REST host passes strings containing U+0000 or unpaired
 * surrogates through instead of answering 400, because the resource sanitises the text
 * itself before storing it (e.g. the agents' sync, which must never refuse a whole report
 * for one bad task result). PostgreSQL refuses U+0000 in {@code text} and {@code jsonb}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RawText {}
