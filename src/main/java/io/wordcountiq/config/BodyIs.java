package io.wordcountiq.config;

import org.apache.camel.Predicate;
import org.apache.camel.support.builder.ExpressionBuilder;
import org.apache.camel.support.builder.PredicateBuilder;

/** The typed predicates routes branch on: the message body is of a type. */
final class BodyIs {

    private BodyIs() {
    }

    static Predicate of(Class<?> type) {
        return PredicateBuilder.isInstanceOf(ExpressionBuilder.bodyExpression(), type);
    }
}
