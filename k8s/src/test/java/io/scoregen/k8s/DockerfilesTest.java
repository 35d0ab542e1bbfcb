package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.scoregen.platform.metrics.MetricsEndpoint;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Docker is not available here, so the Dockerfiles are checked against what they depend on: every file they copy is a
 * real build output of a real module, and the user, ports and environment they set are the ones the manifests and the
 * code expect.
 */
class DockerfilesTest {

    /** How each image the manifests run is built: its Dockerfile and build arguments. */
    record Image(String name, String dockerfile, Map<String, String> buildArgs) {}

    static final List<Image> IMAGES = List.of(
            new Image("scoregen/gateway", "docker/gateway.Dockerfile", Map.of()),
            new Image("scoregen/worker-train", "docker/worker.Dockerfile", Map.of("MODULE", "worker-train")),
            new Image("scoregen/worker-sample", "docker/worker.Dockerfile", Map.of("MODULE", "worker-sample")));

    /** The files of a Quarkus fast-jar (quarkus.package.jar.type=fast-jar, the default) under target/quarkus-app. */
    static final Set<String> FAST_JAR = Set.of("lib/", "app/", "quarkus/", "quarkus-run.jar");

    @ParameterizedTest
    @FieldSource("IMAGES")
    void everyCopiedFileIsABuildOutputOfARealModule(Image image) {
        Dockerfile dockerfile = Dockerfile.read(image.dockerfile());
        List<Dockerfile.Copy> copies = dockerfile.contextCopies(image.buildArgs());
        assertFalse(copies.isEmpty());
        Set<String> modules = new TreeSet<>(xpathAll(Repo.path("pom.xml"), "/project/modules/module"));
        for (Dockerfile.Copy copy : copies) {
            for (String source : copy.sources()) {
                String module = source.substring(0, source.indexOf('/'));
                String output = source.substring(module.length() + 1);
                assertTrue(modules.contains(module), source + ": " + module + " is not a module of pom.xml");
                assertTrue(output.startsWith("target/"), source + ": not a build output");
                assertTrue(
                        isBuildOutput(module, output.substring("target/".length())),
                        source + ": " + module + " builds no such output");
                // After a package build the file must really be there.
                if (Files.isDirectory(Repo.path(module + "/target"))) {
                    assertTrue(Files.exists(Repo.path(source)), source + " missing after the build");
                }
            }
        }
        // The entry point runs a jar the image has.
        List<String> entry = dockerfile.inFinalStage("ENTRYPOINT").get(0).words();
        String jar = entry.get(entry.indexOf("\"-jar\",") + 1).replaceAll("[\"\\],]", "");
        assertTrue(
                dockerfile.copyDestinations(image.buildArgs()).contains(jar),
                image.dockerfile() + ": runs " + jar + " it never copies");
    }

    @ParameterizedTest
    @FieldSource("IMAGES")
    void dockerignoreLetsEveryCopiedFileThrough(Image image) {
        List<String> rules = Repo.read(".dockerignore")
                .lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertEquals("*", rules.get(0), "everything is ignored unless named");
        List<String> allowed = rules.stream()
                .filter(r -> r.startsWith("!"))
                .map(r -> r.substring(1))
                .toList();
        for (Dockerfile.Copy copy : Dockerfile.read(image.dockerfile()).contextCopies(image.buildArgs())) {
            for (String source : copy.sources()) {
                assertTrue(
                        allowed.stream()
                                .anyMatch(a -> source.equals(a) || source.startsWith(a.endsWith("/") ? a : a + "/")),
                        source + " is excluded by .dockerignore");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("io.scoregen.k8s.Rendered#OVERLAYS")
    void imagesRunAsThePodsUserAndExposeThePodsPorts(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Set<String> built = IMAGES.stream().map(Image::name).collect(Collectors.toSet());
        for (Rendered.Workload workload : rendered.workloads()) {
            for (Container container : workload.template().getSpec().getContainers()) {
                String name = container.getImage().replaceFirst(":[^:/]+$", "");
                if (name.startsWith("scoregen/")) {
                    assertTrue(
                            built.contains(name),
                            workload.name() + " runs " + name + ", which no Dockerfile here builds");
                }
            }
        }
        for (Image image : IMAGES) {
            Dockerfile dockerfile = Dockerfile.read(image.dockerfile());
            String[] user = dockerfile.inFinalStage("USER").get(0).arguments().split(":");
            Set<Integer> exposed = dockerfile.inFinalStage("EXPOSE").stream()
                    .flatMap(e -> e.words().stream())
                    .map(Integer::valueOf)
                    .collect(Collectors.toSet());
            List<Rendered.Workload> running = rendered.workloads().stream()
                    .filter(w -> Rendered.container(w).getImage().startsWith(image.name() + ":"))
                    .toList();
            assertFalse(running.isEmpty(), overlay + ": nothing runs " + image.name());
            for (Rendered.Workload workload : running) {
                PodSecurityContext security = workload.template().getSpec().getSecurityContext();
                assertEquals(
                        Long.valueOf(user[0]),
                        security.getRunAsUser(),
                        workload.name() + ": runAsUser vs the image's USER");
                assertEquals(
                        Long.valueOf(user[1]),
                        security.getRunAsGroup(),
                        workload.name() + ": runAsGroup vs the image's USER");
                Set<Integer> ports = Rendered.container(workload).getPorts().stream()
                        .map(ContainerPort::getContainerPort)
                        .collect(Collectors.toSet());
                assertEquals(exposed, ports, workload.name() + ": ports vs the image's EXPOSE");
            }
        }
    }

    @Test
    void workerImageEnvironmentIsWhatTheCodeAndManifestsExpect() {
        Dockerfile worker = Dockerfile.read("docker/worker.Dockerfile");
        Map<String, String> env = worker.finalEnv();
        Set<String> known =
                SourceOfTruthTest.declaredKeys(WorkerConfig.class, StoreConfig.class, MetricsEndpoint.class).stream()
                        .map(WorkerConfig::envName)
                        .collect(Collectors.toSet());
        env.keySet().stream()
                .filter(n -> n.startsWith("SCOREGEN_"))
                .forEach(n -> assertTrue(known.contains(n), n + " is read by no worker"));
        assertEquals(
                Integer.toString(MetricsEndpoint.WORKER_DEFAULT_PORT),
                env.get(WorkerConfig.envName(MetricsEndpoint.PORT_KEY)));
        assertEquals("true", env.get("DJL_OFFLINE"), "DJL never downloads in a pod");
        Rendered gpu = Rendered.overlay("gpu");
        for (String name : InvariantsTest.WORKERS) {
            Container container = Rendered.container(gpu.workload(name));
            assertEquals(
                    env.get("PYTORCH_LIBRARY_PATH"),
                    gpu.env(container, "PYTORCH_LIBRARY_PATH").orElseThrow(),
                    name);
            assertEquals(
                    worker.argDefaults().get("CUDA_FLAVOR"),
                    gpu.env(container, "PYTORCH_FLAVOR").orElseThrow(),
                    name);
            String workDir = gpu.env(container, WorkerConfig.envName(WorkerConfig.WORK_DIR))
                    .orElseThrow();
            assertEquals(env.get(WorkerConfig.envName(WorkerConfig.WORK_DIR)), workDir, name + ": work dir");
            assertTrue(
                    container.getVolumeMounts().stream()
                            .map(VolumeMount::getMountPath)
                            .anyMatch(workDir::equals),
                    name + ": the work dir is a writable volume");
        }
    }

    /** The libtorch the image unpacks is the one DJL's jars in the build are for, cpu and CUDA flavours both. */
    @Test
    void workerImageLibtorchMatchesTheBuildsDjl() throws IOException {
        Dockerfile worker = Dockerfile.read("docker/worker.Dockerfile");
        String libtorch = xpathAll(Repo.path("pom.xml"), "/project/properties/libtorch.version")
                .get(0);
        String djl = xpathAll(Repo.path("pom.xml"), "/project/properties/djl.version")
                .get(0);
        assertEquals(libtorch, worker.argDefaults().get("LIBTORCH_VERSION"));
        Path repository =
                Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        Path jni = repository.resolve(
                "ai/djl/pytorch/pytorch-jni/" + libtorch + "-" + djl + "/pytorch-jni-" + libtorch + "-" + djl + ".jar");
        Path nativeCpu = repository.resolve("ai/djl/pytorch/pytorch-native-cpu/" + libtorch + "/pytorch-native-cpu-"
                + libtorch + "-linux-x86_64.jar");
        try (ZipFile jar = new ZipFile(jni.toFile())) {
            for (String flavour : List.of("cpu", worker.argDefaults().get("CUDA_FLAVOR"))) {
                assertNotNull(
                        jar.getEntry("jnilib/linux-x86_64/" + flavour + "/libdjl_torch.so"),
                        jni + " has no JNI library for " + flavour);
            }
        }
        // The CPU stage unzips pytorch/cpu/linux-x86_64/* out of the native jar.
        try (ZipFile jar = new ZipFile(nativeCpu.toFile())) {
            assertNotNull(jar.getEntry("pytorch/cpu/linux-x86_64/libtorch_cpu.so"), nativeCpu + " changed its layout");
        }
        assertTrue(worker.all("RUN").stream().anyMatch(r -> r.arguments().contains("'pytorch/cpu/linux-x86_64/*'")));
    }

    private static boolean isBuildOutput(String module, String output) {
        Path pom = Repo.path(module + "/pom.xml");
        if (output.startsWith("quarkus-app/")) {
            String jarType =
                    SourceOfTruthTest.applicationProperties().getProperty("quarkus.package.jar.type", "fast-jar");
            return !xpathAll(pom, "/project/build/plugins/plugin[artifactId='quarkus-maven-plugin']")
                            .isEmpty()
                    && jarType.equals("fast-jar")
                    && FAST_JAR.contains(output.substring("quarkus-app/".length()));
        }
        if (output.equals("lib/")) {
            return xpathAll(
                            pom,
                            "/project/build/plugins/plugin[artifactId='maven-dependency-plugin']/executions/execution"
                                    + "[goals/goal='copy-dependencies']/configuration/outputDirectory")
                    .contains("${project.build.directory}/lib");
        }
        List<String> finalName = xpathAll(pom, "/project/build/finalName");
        return !finalName.isEmpty() && output.equals(finalName.get(0) + ".jar");
    }

    private static List<String> xpathAll(Path xml, String expression) {
        try {
            Document document =
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
            NodeList nodes = (NodeList)
                    XPathFactory.newInstance().newXPath().evaluate(expression, document, XPathConstants.NODESET);
            Function<Integer, String> text = i -> nodes.item(i).getTextContent().trim();
            return IntStream.range(0, nodes.getLength()).mapToObj(text::apply).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(xml + ": " + expression, e);
        }
    }
}
