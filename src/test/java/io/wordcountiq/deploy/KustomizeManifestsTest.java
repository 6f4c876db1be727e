package io.wordcountiq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Renders every leaf under kustomize/overlays with a real kustomize, parses the output strictly into fabric8
 * models and checks the invariants the service depends on (issue 6).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KustomizeManifestsTest {

    private static final Set<String> CLUSTERS = Set.of("green", "red");
    private static final Set<String> PATTERNS = Set.of("north-south", "east-west", "observer");
    private static final String NAMESPACE = "wordcount-iq";
    private static final String CLUSTER_LABEL = "wordcount-iq/cluster";
    private static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    private static final String ROUTES_CONFIG_MAP = "wordcount-iq-routes";
    private static final String IMAGE_NAME = "wordcount-iq";
    private static final String FORWARD_SECRET = "wordcount-iq-forward-secret";
    private static final String INGEST_TOKEN_SECRET = "wordcount-iq-ingest-token";
    private static final String FORWARD_CA_SECRET = "wordcount-iq-forward-ca";
    private static final String INGRESS_TLS_SECRET = "wordcount-iq-ingress-tls";
    private static final Set<String> REFERENCED_SECRETS = Set.of("wordcount-iq-kafka-credentials", FORWARD_SECRET,
            INGEST_TOKEN_SECRET, FORWARD_CA_SECRET);
    /** Everything an Ingress may route, with its pathType: reads. POST /lines and the rest stay in the cluster. */
    private static final Map<String, String> PUBLIC_PATHS =
            Map.of("/state/", "Prefix", "/openapi.json", "Exact", "/ui/", "Prefix");
    /** Requests that no Ingress may route (writes, management, and anything a catch-all would take). */
    private static final List<String> PRIVATE_REQUESTS =
            List.of("/", "/lines", "/lines/", "/observe/health/live", "/observe/metrics", "/statex", "/anything");
    /** The clients' host, wordcount-iq.<INGRESS_DOMAIN>, routes every public path. */
    private static final String CLIENT_HOST_LABEL = "wordcount-iq";
    /** The two clusters' pod networks (documentation values): each cluster admits its PEER's, east-west only. */
    private static final Map<String, String> POD_CIDRS = Map.of("green", "10.20.0.0/16", "red", "10.30.0.0/16");
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    private static final String INGRESS_CONTROLLER_NAMESPACE = "ingress-nginx";
    private static final String MONITORING_NAMESPACE = "monitoring";
    private static final String CLIENT_NAMESPACE_LABEL = "wordcount-iq/client";
    private static final String APP_LABEL = "app.kubernetes.io/name";
    private static final Pattern SECRET_LIKE_KEY =
            Pattern.compile("(?i).*(password|passwd|secret|jaas|token|credential|private[-_.]?key|api[-_.]?key).*");
    private static final Pattern SECRET_LIKE_VALUE = Pattern.compile(
            "(?is).*(LoginModule\\s+required|password\\s*[=:]\\s*\"?[^\\s\"{$]+|-----BEGIN [A-Z ]*PRIVATE KEY-----).*");
    private static final Pattern CLUSTERSET_HOST =
            Pattern.compile("([a-z0-9-]+)\\.([a-z0-9-]+)\\.([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.clusterset\\.local");
    private static final String SYNC_HINT =
            "routes/ and kustomize/base/routes differ: run kustomize/sync-routes.sh and commit the result";

    private Path repo;
    private Path kustomizeDir;
    private final List<Leaf> leaves = new ArrayList<>();

    @BeforeAll
    void renderEveryLeaf() throws IOException {
        repo = findRepoRoot();
        kustomizeDir = repo.resolve("kustomize");
        Kustomize kustomize = Kustomize.locate(repo);
        System.out.println("KustomizeManifestsTest uses " + kustomize.version());
        Path overlays = kustomizeDir.resolve("overlays");
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(overlays)) {
            dirs = walk.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml"))
                            || Files.isRegularFile(p.resolve("kustomization.yml")))
                    .sorted()
                    .collect(Collectors.toList());
        }
        for (Path dir : dirs) {
            Path rel = overlays.relativize(dir);
            String cluster = rel.getNameCount() == 2 ? rel.getName(0).toString() : rel.toString();
            String pattern = rel.getNameCount() == 2 ? rel.getName(1).toString() : "";
            StrictManifests.Parsed parsed = StrictManifests.parse(kustomize.build(dir), "overlays/" + rel);
            leaves.add(new Leaf(cluster, pattern, dir, parsed.objects(), parsed.serviceExports()));
        }
    }

    // ---------------------------------------------------------------- structure

    @Test
    void shouldRenderExactlyOneLeafPerClusterAndPattern() {
        Set<String> expected = new TreeSet<>();
        CLUSTERS.forEach(c -> PATTERNS.forEach(p -> expected.add(c + "/" + p)));
        Set<String> rendered = leaves.stream().map(Leaf::toString).collect(Collectors.toCollection(TreeSet::new));
        assertThat(rendered).as("leaves under kustomize/overlays").isEqualTo(expected);
    }

    @Test
    void shouldBuildEveryLeafFromBaseOnePatternAndOneClusterComponent() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        for (Leaf leaf : leaves) {
            JsonNode k = yaml.readTree(leaf.dir().resolve("kustomization.yaml").toFile());
            assertThat(texts(k.path("resources"))).as(leaf + " resources").containsExactly("../../../base");
            assertThat(texts(k.path("components"))).as(leaf + " components").containsExactly(
                    "../../../components/patterns/" + leaf.pattern(),
                    "../../../components/clusters/" + leaf.cluster(),
                    "../../../components/common");
            assertThat(k.has("commonLabels") || k.has("patchesStrategicMerge") || k.has("patchesJson6902")
                    || k.has("namePrefix") || k.has("nameSuffix")).as(leaf + " uses deprecated or renaming fields").isFalse();
        }
    }

    @Test
    void shouldUseCurrentKustomizeFieldsEverywhere() throws IOException {
        try (Stream<Path> files = Files.walk(kustomizeDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).collect(Collectors.toList())) {
                String text = Files.readString(p);
                assertThat(text).as(kustomizeDir.relativize(p).toString())
                        .doesNotContain("commonLabels:", "patchesStrategicMerge:", "patchesJson6902:", "namePrefix:", "vars:");
            }
        }
    }

    @Test
    void shouldRejectAMisspelledFieldWhenParsing() {
        JsonNode sts = StrictManifests.documents(String.join("\n",
                "apiVersion: apps/v1", "kind: StatefulSet", "metadata: {name: x}",
                "spec: {replica: 2, serviceName: x, selector: {matchLabels: {a: b}},",
                "       template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}")).get(0);
        assertThatThrownBy(() -> StrictManifests.strict(sts, StatefulSet.class, "misspelled"))
                .hasMessageContaining("replica");
        ObjectNode nested = StrictManifests.documents(String.join("\n",
                "apiVersion: v1", "kind: Service", "metadata: {name: x}",
                "spec: {ports: [{name: http, port: 80, targetport: http}]}")).get(0).deepCopy();
        assertThatThrownBy(() -> StrictManifests.strict(nested, Service.class, "misspelled"))
                .hasMessageContaining("targetport");
    }

    @Test
    void shouldKeepNamesIdenticalAcrossClusters() {
        for (String pattern : PATTERNS) {
            Map<String, Set<String>> namesByCluster = new TreeMap<>();
            for (Leaf leaf : leavesOf(pattern)) {
                Set<String> names = new TreeSet<>();
                leaf.objects().forEach(o -> names.add(o.getKind() + "/" + unhashed(o)));
                leaf.serviceExports().forEach(e -> names.add("ServiceExport/" + e.name()));
                namesByCluster.put(leaf.cluster(), names);
            }
            assertThat(namesByCluster.get("red")).as(pattern + ": red names vs green names")
                    .isEqualTo(namesByCluster.get("green"));
        }
    }

    @Test
    void shouldLabelAndPlaceEveryObjectForItsCluster() {
        for (Leaf leaf : leaves) {
            for (HasMetadata o : leaf.objects()) {
                assertThat(o.getMetadata().getLabels()).as(leaf + " " + describe(o) + " labels")
                        .containsEntry(CLUSTER_LABEL, leaf.cluster())
                        .containsEntry("app.kubernetes.io/part-of", "wordcount-iq");
                if (!(o.getKind().equals("Namespace"))) {
                    assertThat(o.getMetadata().getNamespace()).as(leaf + " " + describe(o)).isEqualTo(NAMESPACE);
                }
            }
            for (StrictManifests.ServiceExport e : leaf.serviceExports()) {
                assertThat(e.metadata().getLabels()).as(leaf + " ServiceExport " + e.name())
                        .containsEntry(CLUSTER_LABEL, leaf.cluster());
            }
        }
    }

    @Test
    void shouldKeepEachPerClusterValueInOneFile() throws IOException {
        for (String cluster : CLUSTERS) {
            Leaf leaf = leaf(cluster, "north-south");
            Map<String, String> config = wordCountEnvironment(leaf, Leaf.podNames(leaf.wordCount()).get(0));
            Path clusterFile = kustomizeDir.resolve("components/clusters/" + cluster + "/kustomization.yaml");
            for (String key : List.of("INGRESS_DOMAIN", "KAFKA_BOOTSTRAP_SERVERS")) {
                String value = config.get(key);
                assertThat(value).as(cluster + " " + key).isNotBlank();
                assertThat(filesContaining(value)).as(cluster + " " + key + "=" + value + " appears in")
                        .containsExactly(clusterFile);
            }
            assertThat(Files.readString(clusterFile)).as(cluster + " cluster file")
                    .contains(CLUSTER_LABEL + ": " + cluster)
                    .contains("CLUSTERSET_ID=" + config.get("CLUSTERSET_ID"))
                    .contains("CLUSTER_NAME=" + cluster);
        }
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                Map<String, String> env = leaf.environment(mainContainer(w.getValue()), "pod", NAMESPACE);
                assertThat(env).as(leaf + " " + describe(w.getKey()) + ": standbys go to the other cluster")
                        .containsEntry("CLUSTER_NAME", leaf.cluster());
            }
        }
    }

    // ---------------------------------------------------------------- north-south

    @Test
    void shouldRouteEveryAdvertisedHostToItsOwnPod() {
        for (Leaf leaf : leavesOf("north-south")) {
            StatefulSet sts = leaf.wordCount();
            Container container = mainContainer(sts.getSpec().getTemplate());
            for (String pod : Leaf.podNames(sts)) {
                Map<String, String> env = leaf.environment(container, pod, sts.getMetadata().getNamespace());
                String advertised = env.get("APPLICATION_SERVER");
                String where = leaf + " pod " + pod + " APPLICATION_SERVER=" + advertised;
                assertThat(advertised).as(where).isNotNull().doesNotContain("$(");
                String host = advertised.substring(0, advertised.lastIndexOf(':'));
                int port = Integer.parseInt(advertised.substring(advertised.lastIndexOf(':') + 1));
                assertThat(host).as(where).isEqualTo(pod + "." + env.get("INGRESS_DOMAIN"));

                List<Ingress> withHost = leaf.all(Ingress.class).stream()
                        .filter(i -> i.getSpec().getRules().stream().anyMatch(r -> host.equals(r.getHost())))
                        .collect(Collectors.toList());
                assertThat(withHost).as(where + ": Ingresses with a rule for the host").hasSize(1);
                Ingress ingress = withHost.get(0);
                boolean tls = ingress.getSpec().getTls() != null && ingress.getSpec().getTls().stream()
                        .anyMatch(t -> t.getHosts() != null && t.getHosts().contains(host));
                assertThat(tls).as(where + ": the ingress terminates TLS for the host").isTrue();
                assertThat(env.get("FORWARD_SCHEME")).as(where + " FORWARD_SCHEME vs ingress TLS").isEqualTo("https");
                assertThat(port).as(where + ": the ingress listens on this port").isEqualTo(443);

                IngressRule rule = ingress.getSpec().getRules().stream()
                        .filter(r -> host.equals(r.getHost())).findFirst().orElseThrow();
                assertThat(rule.getHttp().getPaths()).extracting(HTTPIngressPath::getPath).as(where + " paths")
                        .contains("/state/");
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    Service service = leaf.get(Service.class, path.getBackend().getService().getName());
                    assertThat(service.getSpec().getSelector()).as(where + " " + path.getPath() + ": Service "
                            + service.getMetadata().getName() + " selects only this pod").containsEntry(POD_NAME_LABEL, pod);
                    assertSelects(leaf, service, sts.getSpec().getTemplate(), pod);
                    ServicePort servicePort = servicePort(service, path.getBackend().getService().getPort().getName(),
                            path.getBackend().getService().getPort().getNumber());
                    assertThat(containerPort(container, servicePort.getTargetPort()))
                            .as(where + ": the Service's target port is the pod's HTTP port")
                            .isEqualTo(Integer.parseInt(env.get("HTTP_PORT")));
                }
            }
        }
    }

    @Test
    void shouldResolveEveryIngressHostIntoTheClusterDomain() {
        for (Leaf leaf : leaves) {
            String domain = configValue(leaf, "INGRESS_DOMAIN");
            for (Ingress ingress : leaf.all(Ingress.class)) {
                for (IngressRule rule : ingress.getSpec().getRules()) {
                    assertThat(rule.getHost()).as(leaf + " Ingress " + ingress.getMetadata().getName())
                            .endsWith("." + domain)
                            .matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        Service s = leaf.get(Service.class, path.getBackend().getService().getName());
                        servicePort(s, path.getBackend().getService().getPort().getName(),
                                path.getBackend().getService().getPort().getNumber());
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- east-west

    @Test
    void shouldAdvertiseTheClustersetNameOfEachPodThroughAnExportedHeadlessService() {
        for (Leaf leaf : leavesOf("east-west")) {
            assertThat(leaf.all(Ingress.class)).as(leaf + ": east-west has no Ingress").isEmpty();
            StatefulSet sts = leaf.wordCount();
            Container container = mainContainer(sts.getSpec().getTemplate());
            for (String pod : Leaf.podNames(sts)) {
                Map<String, String> env = leaf.environment(container, pod, sts.getMetadata().getNamespace());
                String advertised = env.get("APPLICATION_SERVER");
                String where = leaf + " pod " + pod + " APPLICATION_SERVER=" + advertised;
                String host = advertised.substring(0, advertised.lastIndexOf(':'));
                int port = Integer.parseInt(advertised.substring(advertised.lastIndexOf(':') + 1));
                Matcher m = CLUSTERSET_HOST.matcher(host);
                assertThat(m.matches()).as(where + " has the MCS form <hostname>.<clusterid>.<svc>.<ns>.svc.clusterset.local")
                        .isTrue();
                assertThat(m.group(1)).as(where + ": hostname (a StatefulSet pod's hostname is its name)").isEqualTo(pod);
                assertThat(m.group(2)).as(where + ": cluster id").isEqualTo(env.get("CLUSTERSET_ID"));
                assertThat(m.group(3)).as(where + ": the StatefulSet's governing Service, which sets the pod's subdomain")
                        .isEqualTo(sts.getSpec().getServiceName());
                assertThat(m.group(4)).as(where + ": namespace").isEqualTo(sts.getMetadata().getNamespace());
                Service headless = leaf.get(Service.class, m.group(3));
                assertThat(headless.getSpec().getClusterIP()).as(where + ": per-pod clusterset names exist only for headless Services")
                        .isEqualTo("None");
                assertSelects(leaf, headless, sts.getSpec().getTemplate(), pod);
                assertThat(leaf.serviceExports()).as(where + ": ServiceExport of " + m.group(3))
                        .anyMatch(e -> e.name().equals(m.group(3)) && Objects.equals(e.namespace(), m.group(4)));
                assertThat(port).as(where + ": the name resolves to the pod IP, so the port is the container's HTTP port")
                        .isEqualTo(Integer.parseInt(env.get("HTTP_PORT")))
                        .isEqualTo(containerPort(container, new IntOrString("http")));
                assertThat(env.get("FORWARD_SCHEME")).isEqualTo("http");
            }
        }
    }

    @Test
    void shouldExportOnlyServicesThatExistInTheSameNamespace() {
        for (Leaf leaf : leaves) {
            for (StrictManifests.ServiceExport export : leaf.serviceExports()) {
                Service s = leaf.get(Service.class, export.name());
                assertThat(export.namespace()).as(leaf + " ServiceExport " + export.name())
                        .isEqualTo(s.getMetadata().getNamespace());
            }
            if (!leaf.pattern().equals("east-west")) {
                assertThat(leaf.serviceExports()).as(leaf + " exports nothing").isEmpty();
            }
        }
    }

    @Test
    void shouldAdvertiseHostsThatAreUniqueAcrossBothClusters() {
        for (String pattern : List.of("north-south", "east-west")) {
            List<String> advertised = new ArrayList<>();
            for (Leaf leaf : leavesOf(pattern)) {
                StatefulSet sts = leaf.wordCount();
                for (String pod : Leaf.podNames(sts)) {
                    advertised.add(wordCountEnvironment(leaf, pod).get("APPLICATION_SERVER"));
                }
            }
            assertThat(advertised).as(pattern + ": APPLICATION_SERVER of all pods in both clusters (one Streams app)")
                    .hasSize(4).doesNotHaveDuplicates();
        }
    }

    // ---------------------------------------------------------------- observer

    @Test
    void shouldGiveObserversTheirOwnApplicationIdAndNoQueryExposureOfWordCount() {
        for (Leaf leaf : leavesOf("observer")) {
            StatefulSet sts = leaf.wordCount();
            Map<String, String> wordCount = wordCountEnvironment(leaf, Leaf.podNames(sts).get(0));
            Deployment observer = leaf.get(Deployment.class, "wordcount-iq-observer");
            Map<String, String> obs = leaf.environment(mainContainer(observer.getSpec().getTemplate()),
                    observer.getMetadata().getName() + "-pod", observer.getMetadata().getNamespace());
            assertThat(wordCount.get("APP_MODE")).isEqualTo("wordcount");
            assertThat(obs.get("APP_MODE")).as(leaf + " observer APP_MODE").isEqualTo("observer");
            assertThat(obs.get("APPLICATION_ID")).as(leaf + " observer APPLICATION_ID").isNotBlank()
                    .isNotEqualTo(wordCount.get("APPLICATION_ID"));
            assertThat(obs.get("COUNTING_APPLICATION_ID")).as(leaf + ": observers check tokens against the word-count group")
                    .isEqualTo(wordCount.get("APPLICATION_ID"));
            assertThat(observer.getSpec().getReplicas()).as(leaf + ": two observers per cluster").isEqualTo(2);
            assertThat(wordCount).as(leaf + ": word-count advertises nothing here").doesNotContainKey("APPLICATION_SERVER");
            Service observers = leaf.get(Service.class, "wordcount-iq-observer");
            assertThat(wordCount.get("UI_OBSERVERS")).as(leaf + ": word-count's /ui/ lists the observers through their Service")
                    .isEqualTo(observers.getMetadata().getName() + ":" + observers.getSpec().getPorts().get(0).getPort());

            Map<String, String> wordCountPodLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
            List<Service> wordCountServices = leaf.all(Service.class).stream()
                    .filter(s -> selects(s, wordCountPodLabels)).collect(Collectors.toList());
            assertThat(wordCountServices).extracting(s -> s.getMetadata().getName())
                    .as(leaf + ": only the governing headless Service and the in-cluster Service for POST /lines"
                            + " select word-count pods")
                    .containsExactlyInAnyOrder(sts.getSpec().getServiceName(), "wordcount-iq");
            assertThat(leaf.all(Ingress.class)).as(leaf + " Ingresses").isNotEmpty();
            for (Ingress ingress : leaf.all(Ingress.class)) {
                for (IngressRule rule : ingress.getSpec().getRules()) {
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        Service backend = leaf.get(Service.class, path.getBackend().getService().getName());
                        assertThat(selects(backend, observer.getSpec().getTemplate().getMetadata().getLabels()))
                                .as(leaf + " host " + rule.getHost() + " leads to observers").isTrue();
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepApplicationIdsOfWordCountEqualInEveryLeaf() {
        Set<String> ids = leaves.stream()
                .map(l -> wordCountEnvironment(l, Leaf.podNames(l.wordCount()).get(0)).get("APPLICATION_ID"))
                .collect(Collectors.toSet());
        assertThat(ids).as("word-count APPLICATION_ID in all leaves").containsExactly("wordcount-iq");
    }

    // ---------------------------------------------------------------- pods

    @Test
    void shouldPointEveryProbeAtADeclaredManagementPort() {
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                for (Container c : w.getValue().getSpec().getContainers()) {
                    String where = leaf + " " + describe(w.getKey()) + " container " + c.getName();
                    Map<String, String> env = leaf.environment(c, "pod", NAMESPACE);
                    int management = Integer.parseInt(env.get("MANAGEMENT_PORT"));
                    assertThat(c.getLivenessProbe()).as(where + " liveness").isNotNull();
                    assertThat(c.getReadinessProbe()).as(where + " readiness").isNotNull();
                    assertProbe(where + " liveness", c, c.getLivenessProbe(), "/observe/health/live", management);
                    assertProbe(where + " readiness", c, c.getReadinessProbe(), "/observe/health/ready", management);
                    if (c.getStartupProbe() != null) {
                        assertProbe(where + " startup", c, c.getStartupProbe(), "/observe/health/live", management);
                    }
                    assertThat(containerPort(c, new IntOrString("http"))).as(where + " http port")
                            .isEqualTo(Integer.parseInt(env.get("HTTP_PORT")));
                }
            }
        }
    }

    @Test
    void shouldStopGracefullyKeepStateAndLimitResources() {
        for (Leaf leaf : leaves) {
            StatefulSet sts = leaf.wordCount();
            Set<String> claims = sts.getSpec().getVolumeClaimTemplates().stream()
                    .map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
            assertThat(claims).as(leaf + " volumeClaimTemplates").isNotEmpty();
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                String where = leaf + " " + describe(w.getKey());
                PodTemplateSpec tpl = w.getValue();
                assertThat(tpl.getSpec().getTerminationGracePeriodSeconds()).as(where + " terminationGracePeriodSeconds")
                        .isGreaterThanOrEqualTo(60L);
                Container c = mainContainer(tpl);
                // preStop waits while the pod leaves its Services' endpoints, then SIGTERM drains and leaves the group.
                assertThat(c.getLifecycle()).as(where + " lifecycle").isNotNull();
                List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
                assertThat(preStop).as(where + " preStop").hasSize(2).startsWith("sleep");
                assertThat(Long.parseLong(preStop.get(1)) + 30).as(where + ": preStop + Streams close fit the grace period")
                        .isLessThanOrEqualTo(tpl.getSpec().getTerminationGracePeriodSeconds());
                Map<String, String> env = leaf.environment(c, "pod", NAMESPACE);
                VolumeMount stateMount = mountHolding(c, env.get("STATE_DIR"));
                assertThat(stateMount).as(where + ": a volume holds STATE_DIR=" + env.get("STATE_DIR")).isNotNull();
                if (w.getKey() instanceof StatefulSet) {
                    assertThat(claims).as(where + ": STATE_DIR is on a PersistentVolumeClaim").contains(stateMount.getName());
                }
                if (Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem())) {
                    assertThat(mountHolding(c, "/tmp")).as(where + ": /tmp is writable for RocksDB's native library").isNotNull();
                }
                assertThat(c.getResources().getRequests()).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(where + " limits").containsKeys("cpu", "memory");
                // Heap (MaxRAMPercentage of the limit, see the Dockerfile) + RocksDB's bounded memory + the JVM's own.
                long limitMiB = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                        c.getResources().getLimits().get("memory")).longValue() / (1024 * 1024);
                long rocksDbMiB = Long.parseLong(env.getOrDefault("ROCKSDB_MEMORY_MB", "64"));
                assertThat(limitMiB / 2 + rocksDbMiB + 200).as(where + ": heap + RocksDB + 200 MiB fit the memory limit")
                        .isLessThanOrEqualTo(limitMiB);
                Map<String, String> podLabels = tpl.getMetadata().getLabels();
                assertThat(leaf.all(PodDisruptionBudget.class)).as(where + ": a PodDisruptionBudget covers the pods")
                        .anyMatch(pdb -> podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
            }
        }
    }

    // ---------------------------------------------------------------- configuration and secrets

    @Test
    void shouldKeepSecretsOutOfConfigMaps() {
        for (Leaf leaf : leaves) {
            assertThat(leaf.objects()).as(leaf + " renders no Secret").noneMatch(o -> o.getKind().equals("Secret"));
            for (ConfigMap cm : leaf.all(ConfigMap.class)) {
                Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
                data.forEach((key, value) -> {
                    String where = leaf + " ConfigMap " + cm.getMetadata().getName() + " key " + key;
                    assertThat(key).as(where + ": secret-like key").doesNotMatch(SECRET_LIKE_KEY);
                    assertThat(value).as(where + ": secret-like value").doesNotMatch(SECRET_LIKE_VALUE);
                });
                if (cm.getBinaryData() != null) {
                    assertThat(cm.getBinaryData().keySet()).as(leaf + " ConfigMap binaryData keys")
                            .noneMatch(k -> SECRET_LIKE_KEY.matcher(k).matches());
                }
            }
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                for (Container c : w.getValue().getSpec().getContainers()) {
                    for (EnvVar var : c.getEnv()) {
                        if (SECRET_LIKE_KEY.matcher(var.getName()).matches()) {
                            assertThat(var.getValueFrom() == null ? null : var.getValueFrom().getSecretKeyRef())
                                    .as(leaf + " " + describe(w.getKey()) + " env " + var.getName() + " comes from a Secret")
                                    .isNotNull();
                        }
                        if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                            assertThat(REFERENCED_SECRETS).contains(var.getValueFrom().getSecretKeyRef().getName());
                        }
                    }
                }
                for (Volume v : w.getValue().getSpec().getVolumes()) {
                    if (v.getSecret() != null) {
                        assertThat(REFERENCED_SECRETS).contains(v.getSecret().getSecretName());
                    }
                }
            }
            for (Ingress ingress : leaf.all(Ingress.class)) {
                if (ingress.getSpec().getTls() != null) {
                    ingress.getSpec().getTls().forEach(t -> assertThat(t.getSecretName())
                            .as(leaf + " Ingress " + ingress.getMetadata().getName() + " TLS Secret").isEqualTo(INGRESS_TLS_SECRET));
                }
            }
        }
    }

    @Test
    void shouldNeverIncludeTheSampleSecrets() throws IOException {
        try (Stream<Path> files = Files.walk(kustomizeDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).collect(Collectors.toList())) {
                assertThat(Files.readString(p)).as(kustomizeDir.relativize(p).toString()).doesNotContain("samples");
            }
        }
        try (Stream<Path> files = Files.walk(kustomizeDir.resolve("samples"))) {
            for (Path p : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                for (JsonNode doc : StrictManifests.documents(Files.readString(p))) {
                    doc.path("stringData").fields().forEachRemaining(e -> assertThat(e.getValue().asText())
                            .as(p + " " + e.getKey() + " is an obvious placeholder").contains("CHANGE-ME"));
                    assertThat(doc.has("data")).as(p + " holds no encoded data").isFalse();
                }
            }
        }
    }

    // ---------------------------------------------------------------- routes

    @Test
    void shouldShipExactlyTheRoutesFolderInTheRoutesConfigMap() throws IOException {
        Map<String, String> expected = routesFolder();
        for (Leaf leaf : leaves) {
            ConfigMap routes = leaf.get(ConfigMap.class, ROUTES_CONFIG_MAP);
            Map<String, String> actual = routes.getData() == null ? Map.of() : new TreeMap<>(routes.getData());
            assertThat(routes.getBinaryData() == null ? Map.of() : routes.getBinaryData())
                    .as(leaf + ": route files are text").isEmpty();
            assertThat(actual.keySet()).as(leaf + ": " + SYNC_HINT).isEqualTo(expected.keySet());
            expected.forEach((name, content) -> assertThat(actual.get(name))
                    .as(leaf + " " + name + ": " + SYNC_HINT).isEqualTo(content));
        }
    }

    @Test
    void shouldMountTheRoutesConfigMapAsAWholeDirectoryAtRoutesDir() {
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                Container c = mainContainer(w.getValue());
                String where = leaf + " " + describe(w.getKey());
                Volume routes = w.getValue().getSpec().getVolumes().stream()
                        .filter(v -> v.getConfigMap() != null && ROUTES_CONFIG_MAP.equals(v.getConfigMap().getName()))
                        .findFirst().orElseThrow(() -> new AssertionError(where + " has no volume of " + ROUTES_CONFIG_MAP));
                assertThat(routes.getConfigMap().getItems()).as(where + ": every key of the ConfigMap is mounted")
                        .isNullOrEmpty();
                List<VolumeMount> mounts = c.getVolumeMounts().stream()
                        .filter(m -> m.getName().equals(routes.getName())).collect(Collectors.toList());
                assertThat(mounts).as(where + " routes mounts").hasSize(1);
                assertThat(mounts.get(0).getSubPath()).as(where + ": subPath mounts never see ConfigMap updates").isNull();
                assertThat(mounts.get(0).getSubPathExpr()).isNull();
                assertThat(mounts.get(0).getMountPath()).as(where + " ROUTES_DIR")
                        .isEqualTo(leaf.environment(c, "pod", NAMESPACE).get("ROUTES_DIR"));
            }
        }
    }

    // ---------------------------------------------------------------- image

    @Test
    void shouldMatchTheImageLayoutOfTheDockerfile() throws IOException {
        Dockerfile image = Dockerfile.parse(repo.resolve("src/main/docker/Dockerfile"));
        String finalName = Pattern.compile("<finalName>([^<]+)</finalName>")
                .matcher(Files.readString(repo.resolve("pom.xml"))).results()
                .map(r -> r.group(1)).findFirst().orElse("wordcount-iq");
        String jar = image.workdir() + "/" + finalName + ".jar";
        assertThat(image.workdir()).as("WORKDIR").isEqualTo("/app");
        assertThat(image.entrypoint()).as("ENTRYPOINT").containsExactly("java", "-jar", jar);
        assertThat(image.destinationOf("target/" + finalName + ".jar")).isEqualTo(jar);
        assertThat(image.destinationOf("target/lib")).as("the jar's Class-Path is lib/").isEqualTo(image.workdir() + "/lib");
        assertThat(image.destinationOf("routes")).as("default routes.dir=routes, relative to WORKDIR")
                .isEqualTo(image.workdir() + "/routes");
        String[] user = image.user().split(":");

        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                String where = leaf + " " + describe(w.getKey());
                PodTemplateSpec tpl = w.getValue();
                Container c = mainContainer(tpl);
                Map<String, String> env = leaf.environment(c, "pod", NAMESPACE);
                String imageName = c.getImage().replaceAll("@.*$", "").replaceAll(":[^:/]+$", "");
                assertThat(imageName.substring(imageName.lastIndexOf('/') + 1)).as(where + " image").isEqualTo(IMAGE_NAME);
                assertThat(c.getCommand()).as(where + ": the image's ENTRYPOINT runs").isNullOrEmpty();
                assertThat(c.getArgs()).as(where + " args").isNullOrEmpty();
                Set<Integer> ports = c.getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet());
                assertThat(ports).as(where + " container ports vs EXPOSE").isEqualTo(image.exposedPorts());
                assertThat(Set.of(Integer.parseInt(env.get("HTTP_PORT")), Integer.parseInt(env.get("MANAGEMENT_PORT"))))
                        .as(where + " HTTP_PORT and MANAGEMENT_PORT vs EXPOSE").isEqualTo(image.exposedPorts());
                assertThat(String.valueOf(tpl.getSpec().getSecurityContext().getRunAsUser()))
                        .as(where + " runAsUser vs USER").isEqualTo(user[0]);
                if (user.length > 1) {
                    assertThat(String.valueOf(tpl.getSpec().getSecurityContext().getRunAsGroup()))
                            .as(where + " runAsGroup vs USER").isEqualTo(user[1]);
                }
                assertThat(env.get("ROUTES_DIR")).as(where + ": ROUTES_DIR overrides the image's routes")
                        .isNotEqualTo(image.workdir() + "/routes");
            }
        }
    }

    // ---------------------------------------------------------------- exposure

    @Test
    void shouldRouteOnlyReadPathsThroughEveryIngressWithoutACatchAll() {
        for (Leaf leaf : leaves) {
            int httpPort = Integer.parseInt(configValue(leaf, "HTTP_PORT"));
            for (Ingress ingress : leaf.all(Ingress.class)) {
                String name = leaf + " Ingress " + ingress.getMetadata().getName();
                assertThat(ingress.getSpec().getDefaultBackend()).as(name + ": a default backend is a catch-all").isNull();
                for (IngressRule rule : ingress.getSpec().getRules()) {
                    String where = name + " host " + rule.getHost();
                    assertThat(rule.getHttp()).as(where + " http").isNotNull();
                    List<HTTPIngressPath> paths = rule.getHttp().getPaths();
                    Map<String, String> routed = new TreeMap<>();
                    for (HTTPIngressPath path : paths) {
                        assertThat(PUBLIC_PATHS).as(where + ": path " + path.getPath() + " (" + path.getPathType()
                                + ") is one of the public read paths").containsEntry(path.getPath(), path.getPathType());
                        assertThat(routed.put(path.getPath(), path.getPathType())).as(where + " routes " + path.getPath()
                                + " twice").isNull();
                        Service backend = leaf.get(Service.class, path.getBackend().getService().getName());
                        ServicePort port = servicePort(backend, path.getBackend().getService().getPort().getName(),
                                path.getBackend().getService().getPort().getNumber());
                        List<PodTemplateSpec> pods = leaf.workloads().entrySet().stream()
                                .filter(w -> podLabels(w.getKey(), w.getValue()).stream().anyMatch(l -> selects(backend, l)))
                                .map(Map.Entry::getValue).collect(Collectors.toList());
                        assertThat(pods).as(where + " " + path.getPath() + ": Service " + backend.getMetadata().getName()
                                + " selects pods").isNotEmpty();
                        for (PodTemplateSpec t : pods) {
                            assertThat(containerPort(mainContainer(t), port.getTargetPort()))
                                    .as(where + " " + path.getPath() + ": reaches the API port, never management")
                                    .isEqualTo(httpPort);
                        }
                    }
                    assertThat(routed).as(where + ": the query API is routed").containsKey("/state/");
                    for (String request : PRIVATE_REQUESTS) {
                        assertThat(paths).as(where + ": no path routes " + request)
                                .noneMatch(p -> routes(p, request));
                    }
                    if (rule.getHost().startsWith(CLIENT_HOST_LABEL + ".")) {
                        assertThat(routed).as(where + ": the clients' host routes every public path").isEqualTo(PUBLIC_PATHS);
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepPostLinesInsideTheClusterBehindAClusterIpService() {
        for (Leaf leaf : leaves) {
            StatefulSet sts = leaf.wordCount();
            PodTemplateSpec tpl = sts.getSpec().getTemplate();
            int httpPort = Integer.parseInt(configValue(leaf, "HTTP_PORT"));
            List<Service> inCluster = leaf.all(Service.class).stream()
                    .filter(s -> selects(s, tpl.getMetadata().getLabels()))
                    .filter(s -> !"None".equals(s.getSpec().getClusterIP()))
                    .filter(s -> s.getSpec().getSelector().keySet().stream().noneMatch(POD_NAME_LABEL::equals))
                    .collect(Collectors.toList());
            assertThat(inCluster).as(leaf + ": a ClusterIP Service in front of all word-count pods, for POST /lines")
                    .isNotEmpty();
            for (Service s : inCluster) {
                assertThat(containerPort(mainContainer(tpl), servicePort(s, "http", null).getTargetPort()))
                        .as(leaf + " Service " + s.getMetadata().getName() + " port http").isEqualTo(httpPort);
            }
            for (Service s : leaf.all(Service.class)) {
                String where = leaf + " Service " + s.getMetadata().getName();
                assertThat(s.getSpec().getType()).as(where + ": only Ingresses reach outside the cluster")
                        .isIn(null, "ClusterIP");
                assertThat(s.getSpec().getExternalIPs()).as(where + " externalIPs").isNullOrEmpty();
            }
        }
    }

    @Test
    void shouldServeEveryIngressHostOverTlsOnly() {
        for (Leaf leaf : leaves) {
            if (!leaf.pattern().equals("east-west")) {
                assertThat(leaf.all(Ingress.class)).as(leaf + " Ingresses").isNotEmpty();
            }
            for (Ingress ingress : leaf.all(Ingress.class)) {
                String where = leaf + " Ingress " + ingress.getMetadata().getName();
                Set<String> ruleHosts = ingress.getSpec().getRules().stream().map(IngressRule::getHost)
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<String> tlsHosts = new TreeSet<>();
                assertThat(ingress.getSpec().getTls()).as(where + " tls").isNotEmpty();
                for (IngressTLS tls : ingress.getSpec().getTls()) {
                    assertThat(tls.getSecretName()).as(where + " tls secretName").isEqualTo(INGRESS_TLS_SECRET);
                    tlsHosts.addAll(tls.getHosts());
                }
                assertThat(tlsHosts).as(where + ": TLS covers exactly the hosts of the rules").isEqualTo(ruleHosts);
                Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of()
                        : ingress.getMetadata().getAnnotations();
                assertThat(annotations.get("nginx.ingress.kubernetes.io/ssl-redirect"))
                        .as(where + ": plain HTTP is redirected").isNotEqualTo("false");
            }
        }
    }

    @Test
    void shouldForwardNorthSouthOverHttpsWithAMountedTruststoreAndEastWestOverPlainHttp() {
        for (Leaf leaf : leavesOf("north-south")) {
            StatefulSet sts = leaf.wordCount();
            PodTemplateSpec tpl = sts.getSpec().getTemplate();
            Container c = mainContainer(tpl);
            for (String pod : Leaf.podNames(sts)) {
                Map<String, String> env = leaf.environment(c, pod, NAMESPACE);
                String where = leaf + " pod " + pod;
                assertThat(env.get("APPLICATION_SERVER")).as(where + " APPLICATION_SERVER")
                        .isEqualTo(pod + "." + env.get("INGRESS_DOMAIN") + ":443");
                assertThat(env.get("FORWARD_SCHEME")).as(where + " FORWARD_SCHEME").isEqualTo("https");
                String truststore = env.get("FORWARD_TRUSTSTORE");
                assertThat(truststore).as(where + " FORWARD_TRUSTSTORE").isNotBlank().startsWith("/");
                VolumeMount mount = mountHolding(c, truststore);
                assertThat(mount).as(where + ": a volume holds FORWARD_TRUSTSTORE=" + truststore).isNotNull();
                assertThat(mount.getReadOnly()).as(where + ": the truststore mount is read-only").isTrue();
                Volume volume = tpl.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                        .findFirst().orElseThrow(() -> new AssertionError(where + ": no volume " + mount.getName()));
                assertThat(volume.getSecret()).as(where + ": the truststore comes from a Secret").isNotNull();
                assertThat(volume.getSecret().getSecretName()).as(where + " truststore Secret").isEqualTo(FORWARD_CA_SECRET);
                String file = truststore.substring(mount.getMountPath().length() + 1);
                assertThat(volume.getSecret().getItems()).as(where + ": key ca.crt is projected at " + file)
                        .anyMatch(i -> i.getKey().equals("ca.crt") && i.getPath().equals(file));
            }
        }
        for (Leaf leaf : leavesOf("east-west")) {
            Map<String, String> env = wordCountEnvironment(leaf, Leaf.podNames(leaf.wordCount()).get(0));
            assertThat(env.get("FORWARD_SCHEME")).as(leaf + ": pod to pod over MCS is plain HTTP").isEqualTo("http");
            assertThat(env).as(leaf + ": no truststore without TLS").doesNotContainKey("FORWARD_TRUSTSTORE");
        }
    }

    // ---------------------------------------------------------------- secrets in pods

    @Test
    void shouldGiveEveryWorkloadTheForwardSecretAndTheOptionalPreviousOne() {
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                String where = leaf + " " + describe(w.getKey());
                Container c = mainContainer(w.getValue());
                assertSecretEnv(where, c, "FORWARD_SECRET", FORWARD_SECRET, "forward-secret", false);
                assertSecretEnv(where, c, "FORWARD_SECRET_PREVIOUS", FORWARD_SECRET, "forward-secret-previous", true);
            }
        }
    }

    @Test
    void shouldRequireTheIngestTokenOnEveryWorkloadThatServesPostLines() {
        for (Leaf leaf : leaves) {
            assertThat(leaf.workloads().keySet()).as(leaf + " workloads").contains(leaf.wordCount());
            // Observers serve the same routes, POST /lines included: an observer without the token would
            // take anonymous writes from in-cluster clients.
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                assertSecretEnv(leaf + " " + describe(w.getKey()), mainContainer(w.getValue()), "INGEST_TOKEN",
                        INGEST_TOKEN_SECRET, "ingest-token", false);
            }
        }
    }

    @Test
    void shouldDescribeEveryReferencedSecretAndKeyInTheSample() throws IOException {
        Map<String, Map<String, Boolean>> referenced = new TreeMap<>();  // Secret -> key -> optional
        Set<String> tlsSecrets = new TreeSet<>();
        for (Leaf leaf : leaves) {
            for (PodTemplateSpec tpl : leaf.workloads().values()) {
                for (Container c : tpl.getSpec().getContainers()) {
                    for (EnvVar var : c.getEnv()) {
                        SecretKeySelector ref = var.getValueFrom() == null ? null : var.getValueFrom().getSecretKeyRef();
                        if (ref != null) {
                            referenced.computeIfAbsent(ref.getName(), k -> new TreeMap<>())
                                    .merge(ref.getKey(), Boolean.TRUE.equals(ref.getOptional()), Boolean::logicalAnd);
                        }
                    }
                }
                for (Volume v : tpl.getSpec().getVolumes()) {
                    if (v.getSecret() != null) {
                        assertThat(v.getSecret().getItems()).as(leaf + " volume " + v.getName() + " names its keys").isNotEmpty();
                        v.getSecret().getItems().forEach(i -> referenced.computeIfAbsent(v.getSecret().getSecretName(),
                                k -> new TreeMap<>()).merge(i.getKey(), false, Boolean::logicalAnd));
                    }
                }
            }
            for (Ingress ingress : leaf.all(Ingress.class)) {
                if (ingress.getSpec().getTls() != null) {
                    ingress.getSpec().getTls().forEach(t -> tlsSecrets.add(t.getSecretName()));
                }
            }
        }
        for (String tls : tlsSecrets) {
            referenced.computeIfAbsent(tls, k -> new TreeMap<>()).putAll(Map.of("tls.crt", false, "tls.key", false));
        }
        Path sample = kustomizeDir.resolve("samples/secrets.example.yaml");
        String text = Files.readString(sample);
        Map<String, JsonNode> samples = new TreeMap<>();
        for (JsonNode doc : StrictManifests.documents(text)) {
            assertThat(doc.path("kind").asText()).as(sample + " holds Secrets only").isEqualTo("Secret");
            samples.put(doc.path("metadata").path("name").asText(), doc);
            assertThat(doc.path("metadata").path("namespace").asText()).as(sample + " namespace").isEqualTo(NAMESPACE);
        }
        assertThat(samples.keySet()).as(sample + ": exactly the Secrets the leaves reference").isEqualTo(referenced.keySet());
        referenced.forEach((secret, keys) -> {
            JsonNode doc = samples.get(secret);
            Set<String> sampleKeys = new TreeSet<>();
            doc.path("stringData").fieldNames().forEachRemaining(sampleKeys::add);
            keys.forEach((key, optional) -> {
                if (optional) {
                    assertThat(text).as(sample + ": optional key " + secret + "/" + key + " is explained").contains(key);
                } else {
                    assertThat(sampleKeys).as(sample + " " + secret + " keys").contains(key);
                }
            });
            assertThat(keys.keySet()).as(sample + " " + secret + ": no key that nothing reads").containsAll(sampleKeys);
            if (tlsSecrets.contains(secret)) {
                assertThat(doc.path("type").asText()).as(sample + " " + secret + " type").isEqualTo("kubernetes.io/tls");
            }
        });
    }

    // ---------------------------------------------------------------- network policies

    @Test
    void shouldAdmitOnlyTheIntendedSourcesToEachPort() {
        String appPods = "pods {" + APP_LABEL + "=wordcount-iq} of this namespace";
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                String where = leaf + " " + describe(w.getKey());
                PodTemplateSpec tpl = w.getValue();
                assertThat(tpl.getMetadata().getLabels()).as(where + ": matched by the app's pod selector")
                        .containsEntry(APP_LABEL, "wordcount-iq");
                Map<String, String> env = leaf.environment(mainContainer(tpl), "pod", NAMESPACE);
                Set<String> api = new TreeSet<>(Set.of(
                        "namespaces {" + NAMESPACE_NAME_LABEL + "=" + INGRESS_CONTROLLER_NAMESPACE + "}",
                        appPods,
                        "namespaces {" + CLIENT_NAMESPACE_LABEL + "=true}"));
                if (leaf.pattern().equals("east-west")) {
                    api.add("ipBlock " + POD_CIDRS.get(peerOf(leaf.cluster())));
                }
                Set<String> management = new TreeSet<>(Set.of(
                        "pods {} of this namespace",
                        "namespaces {" + NAMESPACE_NAME_LABEL + "=" + MONITORING_NAMESPACE + "}"));
                Map<Integer, Set<String>> expected = new TreeMap<>(Map.of(
                        Integer.parseInt(env.get("HTTP_PORT")), api,
                        Integer.parseInt(env.get("MANAGEMENT_PORT")), management));
                assertThat(admittedSources(leaf, tpl)).as(where + ": sources admitted per port by the NetworkPolicies")
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void shouldDenyIngressByDefaultInEveryLeaf() {
        for (Leaf leaf : leaves) {
            assertThat(leaf.all(NetworkPolicy.class)).as(leaf + ": a policy selects every pod of the namespace and"
                    + " admits nothing").anyMatch(np -> isEmpty(np.getSpec().getPodSelector())
                    && policyTypes(np).contains("Ingress")
                    && (np.getSpec().getIngress() == null || np.getSpec().getIngress().isEmpty()));
        }
    }

    @Test
    void shouldKeepThePeerPodCidrInItsClusterFileAndEachNamespaceValueInOneFile() throws IOException {
        for (String cluster : CLUSTERS) {
            String peerCidr = POD_CIDRS.get(peerOf(cluster));
            assertThat(peerCidr).as(cluster + ": the peer's pod CIDR differs from its own")
                    .isNotEqualTo(POD_CIDRS.get(cluster));
            Path clusterFile = kustomizeDir.resolve("components/clusters/" + cluster + "/kustomization.yaml");
            assertThat(manifestFilesDefining(peerCidr)).as(cluster + ": the peer pod CIDR " + peerCidr + " is set in")
                    .containsExactly(clusterFile);
            for (String pattern : PATTERNS) {
                Set<String> cidrs = leaf(cluster, pattern).all(NetworkPolicy.class).stream()
                        .flatMap(np -> np.getSpec().getIngress().stream())
                        .flatMap(r -> r.getFrom() == null ? Stream.empty() : r.getFrom().stream())
                        .filter(p -> p.getIpBlock() != null)
                        .map(p -> p.getIpBlock().getCidr())
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(cidrs).as(cluster + "/" + pattern + ": address ranges admitted")
                        .isEqualTo(pattern.equals("east-west") ? Set.of(peerCidr) : Set.of());
            }
        }
        for (String value : List.of(INGRESS_CONTROLLER_NAMESPACE, MONITORING_NAMESPACE)) {
            assertThat(manifestFilesDefining(value)).as("namespace " + value + " is set in").hasSize(1);
        }
    }

    // ---------------------------------------------------------------- hardening

    @Test
    void shouldNeverMountAServiceAccountToken() {
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                String where = leaf + " " + describe(w.getKey());
                assertThat(w.getValue().getSpec().getAutomountServiceAccountToken())
                        .as(where + " automountServiceAccountToken").isFalse();
                String account = w.getValue().getSpec().getServiceAccountName();
                assertThat(account).as(where + ": its own ServiceAccount, not the namespace's default")
                        .isNotBlank().isNotEqualTo("default");
                assertThat(leaf.get(ServiceAccount.class, account).getAutomountServiceAccountToken())
                        .as(where + " ServiceAccount " + account + " automountServiceAccountToken").isFalse();
            }
        }
    }

    @Test
    void shouldRunOnePinnedImageReleaseEverywhere() {
        Set<String> images = new TreeSet<>();
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                for (Container c : containers(w.getValue())) {
                    String where = leaf + " " + describe(w.getKey()) + " container " + c.getName();
                    assertPinned(where, c.getImage());
                    images.add(c.getImage());
                }
            }
        }
        assertThat(images).as("images of all leaves: one release").hasSize(1);
    }

    @Test
    void shouldPinTheDockerfileBaseImagesToExactVersions() {
        Path file = repo.resolve("src/main/docker/Dockerfile");
        List<String> images = Dockerfile.baseImages(file);
        assertThat(images).as(file + " FROM images").isNotEmpty();
        for (String image : images) {
            assertPinned(file + " FROM " + image, image);
        }
    }

    @Test
    void shouldHardenEveryContainer() {
        for (Leaf leaf : leaves) {
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : leaf.workloads().entrySet()) {
                PodSecurityContext pod = w.getValue().getSpec().getSecurityContext();
                PodSecurityContext podContext = pod == null ? new PodSecurityContext() : pod;
                for (Container c : containers(w.getValue())) {
                    String where = leaf + " " + describe(w.getKey()) + " container " + c.getName();
                    SecurityContext sc = c.getSecurityContext();
                    assertThat(sc).as(where + " securityContext").isNotNull();
                    Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podContext.getRunAsNonRoot();
                    Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : podContext.getRunAsUser();
                    assertThat(nonRoot).as(where + " runAsNonRoot").isTrue();
                    assertThat(user).as(where + " runAsUser").isNotEqualTo(0L);
                    assertThat(sc.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                    assertThat(sc.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                    assertThat(sc.getPrivileged()).as(where + " privileged").isNotEqualTo(Boolean.TRUE);
                    assertThat(sc.getCapabilities()).as(where + " capabilities").isNotNull();
                    assertThat(sc.getCapabilities().getDrop()).as(where + " capabilities.drop").contains("ALL");
                    assertThat(sc.getCapabilities().getAdd()).as(where + " capabilities.add").isNullOrEmpty();
                    var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podContext.getSeccompProfile();
                    assertThat(seccomp).as(where + " seccompProfile").isNotNull();
                    assertThat(seccomp.getType()).as(where + " seccompProfile.type").isEqualTo("RuntimeDefault");
                }
            }
        }
    }

    @Test
    void shouldSpreadPodsOverNodesOrLeaveThemPending() {
        for (Leaf leaf : leaves) {
            Map<HasMetadata, PodTemplateSpec> workloads = leaf.workloads();
            for (Map.Entry<HasMetadata, PodTemplateSpec> w : workloads.entrySet()) {
                String where = leaf + " " + describe(w.getKey());
                List<TopologySpreadConstraint> constraints = w.getValue().getSpec().getTopologySpreadConstraints();
                assertThat(constraints).as(where + " topologySpreadConstraints").isNotEmpty();
                assertThat(constraints).as(where + ": every constraint is hard").allMatch(t -> "DoNotSchedule".equals(t.getWhenUnsatisfiable()));
                assertThat(constraints).as(where + ": one pod per node at most ahead (maxSkew 1 on kubernetes.io/hostname)")
                        .anyMatch(t -> "kubernetes.io/hostname".equals(t.getTopologyKey()) && t.getMaxSkew() == 1);
                for (TopologySpreadConstraint t : constraints) {
                    assertThat(selectsPod(t.getLabelSelector(), w.getValue().getMetadata().getLabels()))
                            .as(where + ": the constraint counts this workload's pods").isTrue();
                    workloads.forEach((other, tpl) -> {
                        if (other != w.getKey()) {
                            assertThat(selectsPod(t.getLabelSelector(), tpl.getMetadata().getLabels()))
                                    .as(where + ": the constraint does not count " + describe(other)).isFalse();
                        }
                    });
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Path findRepoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("kustomize/overlays")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new AssertionError("no repository root (with pom.xml and kustomize/overlays) above "
                + Path.of("").toAbsolutePath());
    }

    private static String peerOf(String cluster) {
        return CLUSTERS.stream().filter(c -> !c.equals(cluster)).findFirst().orElseThrow();
    }

    /** The labels of each pod a workload creates: a StatefulSet's pods also carry their pod name. */
    private static List<Map<String, String>> podLabels(HasMetadata workload, PodTemplateSpec tpl) {
        if (!(workload instanceof StatefulSet)) {
            return List.of(tpl.getMetadata().getLabels());
        }
        List<Map<String, String>> result = new ArrayList<>();
        for (String pod : Leaf.podNames((StatefulSet) workload)) {
            Map<String, String> labels = new HashMap<>(tpl.getMetadata().getLabels());
            labels.put(POD_NAME_LABEL, pod);
            result.add(labels);
        }
        return result;
    }

    private static List<Container> containers(PodTemplateSpec tpl) {
        List<Container> all = new ArrayList<>();
        if (tpl.getSpec().getInitContainers() != null) {
            all.addAll(tpl.getSpec().getInitContainers());
        }
        all.addAll(tpl.getSpec().getContainers());
        return all;
    }

    /** The env var {@code name} comes from {@code secret}/{@code key}, optional exactly when {@code optional}. */
    private static void assertSecretEnv(String where, Container c, String name, String secret, String key, boolean optional) {
        List<EnvVar> vars = c.getEnv().stream().filter(v -> v.getName().equals(name)).collect(Collectors.toList());
        assertThat(vars).as(where + " env " + name).hasSize(1);
        EnvVar var = vars.get(0);
        assertThat(var.getValue()).as(where + " " + name + " has no literal value").isNull();
        SecretKeySelector ref = var.getValueFrom() == null ? null : var.getValueFrom().getSecretKeyRef();
        assertThat(ref).as(where + " " + name + " comes from a Secret").isNotNull();
        assertThat(ref.getName() + "/" + ref.getKey()).as(where + " " + name + " Secret/key").isEqualTo(secret + "/" + key);
        assertThat(Boolean.TRUE.equals(ref.getOptional())).as(where + " " + name + " optional").isEqualTo(optional);
    }

    /** A tag that names a release (x.y.z somewhere in it, never latest) or a digest. */
    private static void assertPinned(String where, String image) {
        if (image.contains("@sha256:")) {
            return;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        assertThat(last).as(where + ": has a tag").contains(":");
        String tag = last.substring(last.indexOf(':') + 1);
        assertThat(tag).as(where + " tag").isNotEqualToIgnoringCase("latest")
                .matches(".*(?<![0-9.])[0-9]+\\.[0-9]+\\.[0-9]+(?![0-9.]).*");
    }

    /** Whether Ingress path {@code p} would route {@code request}, by the Ingress API's matching rules. */
    private static boolean routes(HTTPIngressPath p, String request) {
        String path = p.getPath();
        switch (p.getPathType()) {
            case "Exact":
                return request.equals(path);
            case "Prefix": {
                String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                return prefix.isEmpty() || request.equals(prefix) || request.startsWith(prefix + "/");
            }
            default:  // ImplementationSpecific: assume the widest, a plain string prefix
                return request.startsWith(path);
        }
    }

    private static List<String> policyTypes(NetworkPolicy np) {
        List<String> types = np.getSpec().getPolicyTypes();
        return types == null || types.isEmpty() ? List.of("Ingress") : types;
    }

    private static boolean isEmpty(LabelSelector selector) {
        return selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()));
    }

    private static boolean selectsPod(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        assertThat(selector.getMatchExpressions()).as("matchExpressions are not modelled by this test").isNullOrEmpty();
        return selector.getMatchLabels() == null || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static String describeSelector(LabelSelector selector) {
        assertThat(selector.getMatchExpressions()).as("matchExpressions are not modelled by this test").isNullOrEmpty();
        Map<String, String> labels = selector.getMatchLabels() == null ? Map.of() : new TreeMap<>(selector.getMatchLabels());
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    private static String describePeer(NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            List<String> except = peer.getIpBlock().getExcept();
            return "ipBlock " + peer.getIpBlock().getCidr() + (except == null || except.isEmpty() ? "" : " except " + except);
        }
        if (peer.getNamespaceSelector() == null) {
            return "pods " + describeSelector(peer.getPodSelector()) + " of this namespace";
        }
        if (peer.getPodSelector() == null) {
            return "namespaces " + describeSelector(peer.getNamespaceSelector());
        }
        return "pods " + describeSelector(peer.getPodSelector()) + " in namespaces " + describeSelector(peer.getNamespaceSelector());
    }

    /**
     * Port -> sources the leaf's NetworkPolicies admit to pods of {@code tpl} (the union over the policies that
     * select them). Port -1 stands for "every port", source "anyone" for a rule without {@code from}.
     */
    private static Map<Integer, Set<String>> admittedSources(Leaf leaf, PodTemplateSpec tpl) {
        Map<Integer, Set<String>> admitted = new TreeMap<>();
        for (NetworkPolicy np : leaf.all(NetworkPolicy.class)) {
            if (!selectsPod(np.getSpec().getPodSelector(), tpl.getMetadata().getLabels())
                    || !policyTypes(np).contains("Ingress") || np.getSpec().getIngress() == null) {
                continue;
            }
            for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
                List<Integer> ports = new ArrayList<>();
                if (rule.getPorts() == null || rule.getPorts().isEmpty()) {
                    ports.add(-1);
                } else {
                    for (NetworkPolicyPort port : rule.getPorts()) {
                        String where = leaf + " NetworkPolicy " + np.getMetadata().getName() + " port " + port.getPort();
                        assertThat(port.getProtocol()).as(where + " protocol").isIn(null, "TCP");
                        assertThat(port.getEndPort()).as(where + ": port ranges are not modelled").isNull();
                        if (port.getPort() == null) {
                            ports.add(-1);
                        } else if (port.getPort().getIntVal() != null) {
                            ports.add(port.getPort().getIntVal());
                        } else {
                            // A named port admits, on each pod, the container port of that name, if any.
                            containers(tpl).stream().flatMap(c -> c.getPorts().stream())
                                    .filter(p -> port.getPort().getStrVal().equals(p.getName()))
                                    .forEach(p -> ports.add(p.getContainerPort()));
                        }
                    }
                }
                List<String> sources = rule.getFrom() == null || rule.getFrom().isEmpty() ? List.of("anyone")
                        : rule.getFrom().stream().map(KustomizeManifestsTest::describePeer).collect(Collectors.toList());
                ports.forEach(p -> admitted.computeIfAbsent(p, k -> new TreeSet<>()).addAll(sources));
            }
        }
        return admitted;
    }

    /** Manifest files (not docs) under kustomize/ that hold {@code value} as a whole word outside comments. */
    private List<Path> manifestFilesDefining(String value) throws IOException {
        Pattern word = Pattern.compile("(?<![\\w./-])" + Pattern.quote(value) + "(?![\\w./-])");
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(kustomizeDir)) {
            for (Path p : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".md"))
                    .sorted().collect(Collectors.toList())) {
                boolean found = Files.readAllLines(p, StandardCharsets.ISO_8859_1).stream()
                        .map(line -> line.replaceAll("(^|\\s)#.*$", ""))
                        .anyMatch(line -> word.matcher(line).find());
                if (found) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }

    private List<Leaf> leavesOf(String pattern) {
        List<Leaf> result = leaves.stream().filter(l -> l.pattern().equals(pattern)).collect(Collectors.toList());
        assertThat(result).as("leaves of pattern " + pattern).hasSize(CLUSTERS.size());
        return result;
    }

    private Leaf leaf(String cluster, String pattern) {
        return leaves.stream().filter(l -> l.cluster().equals(cluster) && l.pattern().equals(pattern)).findFirst()
                .orElseThrow(() -> new AssertionError("no leaf " + cluster + "/" + pattern));
    }

    private static Map<String, String> wordCountEnvironment(Leaf leaf, String pod) {
        StatefulSet sts = leaf.wordCount();
        return leaf.environment(mainContainer(sts.getSpec().getTemplate()), pod, sts.getMetadata().getNamespace());
    }

    private static String configValue(Leaf leaf, String key) {
        return wordCountEnvironment(leaf, Leaf.podNames(leaf.wordCount()).get(0)).get(key);
    }

    private static Container mainContainer(PodTemplateSpec tpl) {
        assertThat(tpl.getSpec().getContainers()).as("containers").hasSize(1);
        return tpl.getSpec().getContainers().get(0);
    }

    private static int containerPort(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            assertThat(c.getPorts()).as("container " + c.getName() + " declares port " + port.getIntVal())
                    .anyMatch(p -> p.getContainerPort().equals(port.getIntVal()));
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("container " + c.getName() + " declares no port named " + port.getStrVal()));
    }

    private static void assertProbe(String where, Container c, Probe probe, String path, int managementPort) {
        assertThat(probe.getHttpGet()).as(where + " is an HTTP probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where + " path").isEqualTo(path);
        assertThat(containerPort(c, probe.getHttpGet().getPort())).as(where + " port is MANAGEMENT_PORT")
                .isEqualTo(managementPort);
    }

    private static ServicePort servicePort(Service s, String name, Integer number) {
        return s.getSpec().getPorts().stream()
                .filter(p -> name != null ? name.equals(p.getName()) : p.getPort().equals(number))
                .findFirst()
                .orElseThrow(() -> new AssertionError("Service " + s.getMetadata().getName() + " has no port "
                        + (name != null ? name : number)));
    }

    private static boolean selects(Service s, Map<String, String> podLabels) {
        Map<String, String> selector = s.getSpec().getSelector();
        return selector != null && !selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet());
    }

    private static void assertSelects(Leaf leaf, Service s, PodTemplateSpec tpl, String pod) {
        Map<String, String> labels = new HashMap<>(tpl.getMetadata().getLabels());
        labels.put(POD_NAME_LABEL, pod);
        assertThat(selects(s, labels)).as(leaf + ": Service " + s.getMetadata().getName() + " selects pod " + pod).isTrue();
    }

    private static VolumeMount mountHolding(Container c, String path) {
        return c.getVolumeMounts().stream()
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .findFirst().orElse(null);
    }

    private static String describe(HasMetadata o) {
        return o.getKind() + " " + o.getMetadata().getName();
    }

    /** Generated ConfigMaps carry a content hash; names are compared without it. */
    private static String unhashed(HasMetadata o) {
        String name = o.getMetadata().getName();
        return o.getKind().equals("ConfigMap") ? name.replaceAll("-[a-z0-9]{10}$", "") : name;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private Map<String, String> routesFolder() throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path dir = repo.resolve("routes");
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".")) {
                    files.put(name, Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private List<Path> filesContaining(String value) throws IOException {
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(kustomizeDir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(value)) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }
}
