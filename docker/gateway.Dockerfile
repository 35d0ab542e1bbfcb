# The gateway image: the Quarkus fast-jar that `./mvnw -B package -DskipTests -pl gateway -am` leaves in
# gateway/target/quarkus-app. Build context: the repository root.
#   docker build -f docker/gateway.Dockerfile -t scoregen/gateway:0.1.0 .
FROM eclipse-temurin:17-jre-jammy

# A fixed non-root UID: the manifests' runAsUser (k8s/base/gateway/gateway.yaml) is the same number.
RUN groupadd --system --gid 10001 scoregen \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin scoregen

WORKDIR /opt/scoregen
# Dependencies first: they change less often than the application, so their layers are reused.
COPY gateway/target/quarkus-app/lib/ /opt/scoregen/lib/
COPY gateway/target/quarkus-app/quarkus-run.jar /opt/scoregen/quarkus-run.jar
COPY gateway/target/quarkus-app/app/ /opt/scoregen/app/
COPY gateway/target/quarkus-app/quarkus/ /opt/scoregen/quarkus/

# Listen on every interface inside the container (the default in application.properties is loopback).
ENV QUARKUS_HTTP_HOST=0.0.0.0
EXPOSE 8080
USER 10001:10001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/scoregen/quarkus-run.jar"]
