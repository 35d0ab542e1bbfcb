# syntax=docker/dockerfile:1
# The worker images: one Dockerfile for both workers (MODULE) and both flavours (FLAVOR).
# Build context: the repository root, after `./mvnw -B package -DskipTests -pl worker-train,worker-sample -am`.
#   docker build -f docker/worker.Dockerfile --build-arg MODULE=worker-train -t scoregen/worker-train:0.1.0 .
#   docker build -f docker/worker.Dockerfile --build-arg MODULE=worker-train --build-arg FLAVOR=gpu \
#       -t scoregen/worker-train:0.1.0-gpu .
#
# Both flavours point DJL at an unpacked libtorch through PYTORCH_LIBRARY_PATH and carry DJL's JNI glue where
# DJL looks for it, so a pod unpacks and downloads nothing and its root filesystem can stay read-only.
#   cpu: libtorch comes out of the pytorch-native-cpu jar the module already depends on.
#   gpu: DJL publishes no CUDA native jar for libtorch 2.7.1, so the official libtorch 2.7.1 CUDA 12.8
#        build (cxx11 ABI, shared with its CUDA/cuDNN libraries) is downloaded here, at build time; DJL's
#        pytorch-jni jar already carries the matching cu128 JNI library.

# cpu or gpu.
ARG FLAVOR=cpu
# worker-train or worker-sample.
ARG MODULE=worker-train
# Must equal the libtorch of the module's pytorch-jni jar (the build checks) and <libtorch.version> in pom.xml.
ARG LIBTORCH_VERSION=2.7.1
# DJL's name for the CUDA build: jnilib/linux-x86_64/<flavour>/ in pytorch-jni, libtorch's download folder.
ARG CUDA_FLAVOR=cu128

FROM eclipse-temurin:17-jre-jammy AS jre

# The module's thin jar and lib/, plus unzip/curl to unpack what DJL needs.
FROM jre AS app
ARG MODULE
RUN apt-get update \
 && apt-get install -y --no-install-recommends unzip curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY ${MODULE}/target/lib/ /opt/scoregen/lib/
COPY ${MODULE}/target/scoregen-${MODULE}.jar /opt/scoregen/scoregen-worker.jar

FROM app AS native-cpu
ENV PYTORCH_FLAVOR=cpu
RUN set -eu; mkdir -p /opt/libtorch/lib; \
    unzip -j -q /opt/scoregen/lib/pytorch-native-cpu-*.jar 'pytorch/cpu/linux-x86_64/*' -d /opt/libtorch/lib; \
    rm /opt/scoregen/lib/pytorch-native-cpu-*.jar

FROM app AS native-gpu
ARG LIBTORCH_VERSION
ARG CUDA_FLAVOR
# Override to use a mirror; LIBTORCH_SHA256, when given, is checked.
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/${CUDA_FLAVOR}/libtorch-cxx11-abi-shared-with-deps-${LIBTORCH_VERSION}%2B${CUDA_FLAVOR}.zip
ARG LIBTORCH_SHA256=
ENV PYTORCH_FLAVOR=${CUDA_FLAVOR}
# DJL loads every file in the folder: keep shared libraries only, without libtorch's test backends.
RUN set -eu; curl -fsSL --retry 3 -o /tmp/libtorch.zip "$LIBTORCH_URL"; \
    if [ -n "$LIBTORCH_SHA256" ]; then echo "$LIBTORCH_SHA256  /tmp/libtorch.zip" | sha256sum -c -; fi; \
    unzip -q /tmp/libtorch.zip 'libtorch/lib/*' -d /opt; rm /tmp/libtorch.zip; \
    find /opt/libtorch/lib -type f ! -name '*.so' ! -name '*.so.*' -delete; \
    rm -f /opt/libtorch/lib/*test*.so /opt/libtorch/lib/libbackend_with_compiler.so; \
    rm /opt/scoregen/lib/pytorch-native-cpu-*.jar

# DJL's JNI library for this libtorch and flavour, where DJL looks first:
# $DJL_CACHE_DIR/pytorch/<libtorch>-<flavour>-linux-x86_64/<djl>-libdjl_torch.so
FROM native-${FLAVOR} AS native
ARG LIBTORCH_VERSION
RUN set -eu; jni=$(ls /opt/scoregen/lib/pytorch-jni-*.jar); v=${jni##*/pytorch-jni-}; v=${v%.jar}; \
    torch=${v%-*}; djl=${v##*-}; \
    if [ "$torch" != "$LIBTORCH_VERSION" ]; then echo "pytorch-jni is for libtorch $torch, not $LIBTORCH_VERSION" >&2; exit 1; fi; \
    dir=/opt/djl/pytorch/${torch}-${PYTORCH_FLAVOR}-linux-x86_64; mkdir -p "$dir"; \
    unzip -p "$jni" "jnilib/linux-x86_64/${PYTORCH_FLAVOR}/libdjl_torch.so" > "$dir/${djl}-libdjl_torch.so"; \
    test -s "$dir/${djl}-libdjl_torch.so"

FROM jre AS base-cpu
ENV PYTORCH_FLAVOR=cpu

# The driver comes from the node (NVIDIA container toolkit); CUDA's libraries come with libtorch.
FROM nvidia/cuda:12.8.1-base-ubuntu22.04 AS base-gpu
ARG CUDA_FLAVOR
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    PYTORCH_FLAVOR=${CUDA_FLAVOR} \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
COPY --from=jre /opt/java/openjdk /opt/java/openjdk

FROM base-${FLAVOR}
ARG LIBTORCH_VERSION
# A fixed non-root UID: the manifests' runAsUser (k8s/base/workers/common.yaml) is the same number.
RUN groupadd --system --gid 10001 scoregen \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin scoregen \
 && mkdir -p /var/lib/scoregen/work && chown 10001:10001 /var/lib/scoregen/work
COPY --from=native /opt/libtorch/lib /opt/libtorch/lib
COPY --from=native /opt/djl /opt/djl
COPY --from=native /opt/scoregen /opt/scoregen
# DJL: offline (no downloads, no telemetry probe), the unpacked libtorch, the JNI library above.
ENV DJL_OFFLINE=true \
    DJL_CACHE_DIR=/opt/djl \
    PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=${LIBTORCH_VERSION} \
    SCOREGEN_WORKER_METRICS_HOST=0.0.0.0 \
    SCOREGEN_WORKER_METRICS_PORT=9400 \
    SCOREGEN_WORKER_WORK_DIR=/var/lib/scoregen/work
EXPOSE 9400
USER 10001:10001
WORKDIR /var/lib/scoregen/work
# libtorch's memory is off-heap: the heap gets well under half of the container's memory.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=40", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/scoregen/scoregen-worker.jar"]
