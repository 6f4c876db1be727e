package io.wordcountiq.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean method that may block its thread (a whole store read from RocksDB, a Kafka transaction). A route that runs
 * on the event loop may call it only after a {@code threads:} step has moved it to a pool of its own; the service
 * refuses routes that do otherwise (threading/RouteThreading).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Blocking {

    /** What blocks, for the refusal message. */
    String value();
}
