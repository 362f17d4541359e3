package ai.sentx.local;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link FilesApiIT} again, with the file catalogue in DynamoDB (FakeDynamoDb in the JVM). */
@ExtendWith(OnDynamoDb.class)
class FilesApiOnDynamoDbIT extends FilesApiIT {
}
