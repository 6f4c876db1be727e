package io.wordcountiq.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses rendered manifests into fabric8 model classes so that a misspelled or misplaced field fails.
 *
 * <p>fabric8 classes collect unknown fields in an {@code @JsonAnySetter} map, which would make
 * FAIL_ON_UNKNOWN_PROPERTIES a no-op; the deserializer modifier below drops that any-setter.
 */
final class StrictManifests {

    static final String SERVICE_EXPORT = "multicluster.x-k8s.io/v1alpha1/ServiceExport";

    static final Map<String, Class<? extends HasMetadata>> TYPED_KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "apps/v1/Deployment", Deployment.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    /** A ServiceExport (MCS API) has no fabric8 model: its whole schema is metadata. */
    record ServiceExport(ObjectMeta metadata) {
        String name() {
            return metadata.getName();
        }

        String namespace() {
            return metadata.getNamespace();
        }
    }

    record Parsed(List<HasMetadata> objects, List<ServiceExport> serviceExports) {}

    private static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper STRICT = strictMapper();

    private StrictManifests() {}

    private static ObjectMapper strictMapper() {
        SimpleModule noAnySetter = new SimpleModule("fabric8-strict");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(
                    DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                if (description.getBeanClass().getName().startsWith("io.fabric8.")) {
                    builder.setAnySetter(null);
                    builder.setIgnoreUnknownProperties(false);
                }
                return builder;
            }
        });
        return new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .registerModule(noAnySetter);
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("rendered output is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    static Parsed parse(String yaml, String where) {
        List<HasMetadata> objects = new ArrayList<>();
        List<ServiceExport> exports = new ArrayList<>();
        for (JsonNode doc : documents(yaml)) {
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            String label = where + ": " + type + " " + doc.path("metadata").path("name").asText();
            if (SERVICE_EXPORT.equals(type)) {
                exports.add(parseServiceExport(doc, label));
                continue;
            }
            Class<? extends HasMetadata> kind = TYPED_KINDS.get(type);
            if (kind == null) {
                throw new AssertionError(label + ": no model class is mapped for this kind; add it to TYPED_KINDS");
            }
            objects.add(strict(doc, kind, label));
        }
        return new Parsed(objects, exports);
    }

    static <T> T strict(JsonNode doc, Class<T> kind, String label) {
        try {
            return STRICT.treeToValue(doc, kind);
        } catch (IOException e) {
            throw new AssertionError(label + " does not parse strictly as " + kind.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static ServiceExport parseServiceExport(JsonNode doc, String label) {
        Set<String> allowedTop = Set.of("apiVersion", "kind", "metadata");
        doc.fieldNames().forEachRemaining(f -> {
            if (!allowedTop.contains(f)) {
                throw new AssertionError(label + ": unexpected field '" + f + "' (ServiceExport v1alpha1 has only metadata)");
            }
        });
        ObjectMeta meta = strict(doc.path("metadata"), ObjectMeta.class, label + " metadata");
        if (meta.getName() == null || meta.getName().isBlank()) {
            throw new AssertionError(label + ": metadata.name is missing");
        }
        return new ServiceExport(meta);
    }
}
