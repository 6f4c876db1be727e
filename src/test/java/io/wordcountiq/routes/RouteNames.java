package io.wordcountiq.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every name a YAML route gives the Java side, read from the route text itself: the beans and methods it calls, the
 * registry entries it names (predicates, policies, pools) and the exchange properties it reads. {@link #problems}
 * holds them against a registry and the Java constants.
 */
final class RouteNames {

    /** {@code ${exchangeProperty.iqWalk.pauseMs}}: a property name, then an optional chain of getters. */
    private static final Pattern PROPERTY = Pattern.compile("exchangeProperty[.\\[]([A-Za-z0-9_]+)\\]?((?:\\.[A-Za-z0-9_]+)*)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record BeanCall(String file, String ref, String method) {
    }

    record RegistryName(String file, String key, String name) {
    }

    record PropertyRead(String file, String name, List<String> getters) {
    }

    final List<BeanCall> beanCalls = new ArrayList<>();
    final List<RegistryName> registryNames = new ArrayList<>();
    final List<PropertyRead> propertyReads = new ArrayList<>();

    static RouteNames of(String file, String yaml) throws IOException {
        RouteNames names = new RouteNames();
        names.walk(file, null, YAML.readTree(yaml));
        return names;
    }

    RouteNames add(RouteNames other) {
        beanCalls.addAll(other.beanCalls);
        registryNames.addAll(other.registryNames);
        propertyReads.addAll(other.propertyReads);
        return this;
    }

    private void walk(String file, String key, JsonNode node) {
        if (node.isArray()) {
            node.forEach(item -> walk(file, key, item));
        } else if (node.isObject()) {
            if ("bean".equals(key) && node.has("ref")) {
                beanCalls.add(new BeanCall(file, node.get("ref").asText(), node.path("method").asText(null)));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (value.isValueNode()) {
                    leaf(file, key, name, value.asText());
                } else {
                    walk(file, name, value);
                }
            }
        }
    }

    private void leaf(String file, String parent, String key, String text) {
        boolean beanStep = "bean".equals(parent) && (key.equals("ref") || key.equals("method"));
        if (key.equals("ref") && !beanStep) {
            registryNames.add(new RegistryName(file, "ref", text));
        } else if (key.equals("executorService") || key.equals("routePolicy")) {
            Arrays.stream(text.split(",")).map(String::trim).forEach(n -> registryNames.add(new RegistryName(file, key, n)));
        }
        Matcher m = PROPERTY.matcher(text);
        while (m.find()) {
            List<String> getters = m.group(2).isEmpty() ? List.of() : List.of(m.group(2).substring(1).split("\\."));
            propertyReads.add(new PropertyRead(file, m.group(1), getters));
        }
    }

    /**
     * What does not match: a bean or registry entry that does not exist, a method its bean lacks, a property name no
     * Java constant declares, or a getter chain its declared type cannot follow.
     *
     * @param registry       the running registry's entries by name
     * @param propertyNames  the values of the Java constants for exchange properties
     * @param propertyTypes  the type each property holds, for the properties a route reads into
     */
    List<String> problems(Function<String, Object> registry, Set<String> propertyNames,
                          Map<String, Class<?>> propertyTypes) {
        List<String> problems = new ArrayList<>();
        for (BeanCall call : beanCalls) {
            Object bean = registry.apply(call.ref());
            if (bean == null) {
                problems.add(call.file() + ": bean '" + call.ref() + "' is not in the registry");
            } else if (call.method() != null && publicMethod(bean.getClass(), call.method()) == null) {
                problems.add(call.file() + ": " + bean.getClass().getSimpleName() + " has no public method '"
                        + call.method() + "' (bean '" + call.ref() + "')");
            }
        }
        for (RegistryName name : registryNames) {
            if (registry.apply(name.name()) == null) {
                problems.add(name.file() + ": " + name.key() + " '" + name.name() + "' is not in the registry");
            }
        }
        for (PropertyRead read : propertyReads) {
            if (!propertyNames.contains(read.name())) {
                problems.add(read.file() + ": exchange property '" + read.name() + "' is no Java constant");
                continue;
            }
            Class<?> type = propertyTypes.get(read.name());
            if (!read.getters().isEmpty() && type == null) {
                problems.add(read.file() + ": the type of exchange property '" + read.name() + "' is not declared");
                continue;
            }
            for (String getter : read.getters()) {
                Method m = publicMethod(type, getter);
                m = m != null ? m : publicMethod(type, "get" + Character.toUpperCase(getter.charAt(0)) + getter.substring(1));
                if (m == null || m.getParameterCount() != 0) {
                    problems.add(read.file() + ": " + type.getSimpleName() + " has no getter '" + getter
                            + "' (exchange property '" + read.name() + "')");
                    break;
                }
                type = m.getReturnType();
            }
        }
        return problems;
    }

    private static Method publicMethod(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && Modifier.isPublic(m.getModifiers())) {
                return m;
            }
        }
        return null;
    }
}
