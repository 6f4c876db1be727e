package io.wordcountiq.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** One rendered leaf, kustomize/overlays/&lt;cluster&gt;/&lt;pattern&gt;, parsed into typed objects. */
record Leaf(String cluster, String pattern, Path dir, List<HasMetadata> objects,
            List<StrictManifests.ServiceExport> serviceExports) {

    /** Stands in for status.podIP, which only exists at run time (a documentation address, RFC 5737). */
    static final String SAMPLE_POD_IP = "192.0.2.10";

    @Override
    public String toString() {
        return cluster + "/" + pattern;
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).collect(Collectors.toList());
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return all(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(
                this + ": no " + kind.getSimpleName() + " named " + name));
    }

    StatefulSet wordCount() {
        List<StatefulSet> sets = all(StatefulSet.class);
        if (sets.size() != 1) {
            throw new AssertionError(this + ": expected exactly one StatefulSet, found " + sets.size());
        }
        return sets.get(0);
    }

    /** Every pod-owning workload with its pod template. */
    Map<HasMetadata, PodTemplateSpec> workloads() {
        Map<HasMetadata, PodTemplateSpec> result = new LinkedHashMap<>();
        all(StatefulSet.class).forEach(s -> result.put(s, s.getSpec().getTemplate()));
        all(Deployment.class).forEach(d -> result.put(d, d.getSpec().getTemplate()));
        return result;
    }

    /** Pod names the StatefulSet controller will create, honouring spec.ordinals.start. */
    static List<String> podNames(StatefulSet set) {
        int start = set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null
                ? 0 : set.getSpec().getOrdinals().getStart();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < set.getSpec().getReplicas(); i++) {
            names.add(set.getMetadata().getName() + "-" + (start + i));
        }
        return names;
    }

    /**
     * The environment the kubelet gives {@code container} in pod {@code podName}: envFrom first, then env in
     * order, with $(VAR) expanded only from variables defined before (Kubernetes semantics; $$ escapes).
     */
    Map<String, String> environment(Container container, String podName, String namespace) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                ConfigMap cm = get(ConfigMap.class, from.getConfigMapRef().getName());
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                if (cm.getData() != null) {
                    cm.getData().forEach((k, v) -> env.put(prefix + k, v));
                }
            } else {
                throw new AssertionError(this + ": envFrom other than configMapRef is not modelled: " + from);
            }
        }
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), resolve(var, env, podName, namespace));
        }
        return env;
    }

    private String resolve(EnvVar var, Map<String, String> defined, String podName, String namespace) {
        if (var.getValueFrom() == null) {
            return expand(var.getValue() == null ? "" : var.getValue(), defined);
        }
        if (var.getValueFrom().getFieldRef() != null) {
            ObjectFieldSelector field = var.getValueFrom().getFieldRef();
            switch (field.getFieldPath()) {
                case "metadata.name": return podName;
                case "metadata.namespace": return namespace;
                case "status.podIP": return SAMPLE_POD_IP;
                default: throw new AssertionError(this + ": fieldRef " + field.getFieldPath() + " is not modelled");
            }
        }
        if (var.getValueFrom().getSecretKeyRef() != null) {
            return "<secret " + var.getValueFrom().getSecretKeyRef().getName() + "/"
                    + var.getValueFrom().getSecretKeyRef().getKey() + ">";
        }
        if (var.getValueFrom().getConfigMapKeyRef() != null) {
            ConfigMap cm = get(ConfigMap.class, var.getValueFrom().getConfigMapKeyRef().getName());
            return cm.getData().get(var.getValueFrom().getConfigMapKeyRef().getKey());
        }
        throw new AssertionError(this + ": valueFrom of " + var.getName() + " is not modelled");
    }

    /** Kubernetes $(VAR) expansion: defined names are replaced, undefined ones stay literally, $$ is a '$'. */
    static String expand(String input, Map<String, String> defined) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '$' && i + 1 < input.length()) {
                char next = input.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                int close = input.indexOf(')', i + 2);
                if (next == '(' && close > 0) {
                    String name = input.substring(i + 2, close);
                    out.append(defined.containsKey(name) ? defined.get(name) : input.substring(i, close + 1));
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
