package ai.sentx.local;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RacesIT} again, with the local server on DynamoDB (FakeDynamoDb in the JVM). */
@ExtendWith(OnDynamoDb.class)
class RacesOnDynamoDbIT extends RacesIT {
}
