package io.wordcountiq.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Reads keys whose default is in application.properties; a key set to an empty value gets that default too.
 * Numbers are parsed one way.
 */
record SettingValues(Function<String, Optional<String>> lookup, Properties defaults) {

    /** Reads {@code lookup} over the defaults packaged in application.properties. */
    static SettingValues over(Function<String, Optional<String>> lookup) {
        return new SettingValues(lookup, packagedDefaults());
    }

    static Properties packagedDefaults() {
        Properties props = new Properties();
        try (InputStream in = SettingValues.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is not on the class path");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    String text(String key) {
        String value = lookup.apply(key).map(String::trim).orElse("");
        if (value.isEmpty()) {
            value = defaults.getProperty(key, "").trim();
        }
        if (value.isEmpty()) {
            throw new IllegalStateException("setting " + key + " has no value and no default in application.properties");
        }
        return value;
    }

    /** A key whose packaged default is empty: then the derived value applies. */
    String text(String key, String derived) {
        String value = lookup.apply(key).map(String::trim).orElse("");
        return value.isEmpty() ? derived : value;
    }

    /** The dedicated variable's value against a KAFKA_ client setting (see KafkaClientSettings#dedicated). */
    String dedicated(Properties client, String setting, String variable) {
        return dedicated(client, setting, variable, variable.toLowerCase(Locale.ROOT).replace('_', '.'));
    }

    String dedicated(Properties client, String setting, String variable, String key) {
        String value = text(key);
        boolean explicit = !value.equals(defaults.getProperty(key, "").trim());
        return KafkaClientSettings.dedicated(client, setting, variable, value, explicit);
    }

    int integer(String key) {
        long v = number(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is out of range, was " + v);
        }
        return (int) v;
    }

    boolean flag(String key) {
        String v = text(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, was " + v);
        }
        return v.equals("true");
    }

    long number(String key) {
        String v = text(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was " + v);
        }
    }

    /** A key whose packaged default is empty: a count of records, or null when empty. */
    Long optionalCount(String key, String variable) {
        String value = text(key, "");
        if (value.isEmpty()) {
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a number of records, was " + value);
        }
    }
}
