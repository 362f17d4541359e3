# The upload service of the AWS deployment (template.yaml: UploadService on ECS Fargate behind an ALB):
# the local server's jar — the same HttpApi as the Lambda functions — configured by environment for
# DynamoDB (SENTX_DYNAMODB_TABLE_PREFIX/_REGION), S3 (SENTX_FILES_BUCKET, SENTX_S3_REGION) and the ClamAV
# sidecar (SENTX_CLAMD_HOST/_PORT). It serves POST /v1/files (25 MB) with no 6 MB Lambda event cap.
# Built at deploy time (docs/aws.md), x86_64 like the rest of the deployment:
#   docker build --platform linux/amd64 -t sentx-api .
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -pl local-server -am package -DskipTests

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 sentx
WORKDIR /app
COPY --from=build /src/local-server/target/sentx-local-server.jar /app/sentx-local-server.jar
COPY --from=build /src/local-server/target/lib /app/lib
USER sentx
ENV SENTX_HOST=0.0.0.0 SENTX_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/sentx-local-server.jar"]
