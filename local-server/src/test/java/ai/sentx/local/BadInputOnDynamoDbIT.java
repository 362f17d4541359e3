package ai.sentx.local;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BadInputIT} again, with the local server on DynamoDB (FakeDynamoDb in the JVM). */
@ExtendWith(OnDynamoDb.class)
class BadInputOnDynamoDbIT extends BadInputIT {
}
