package ai.sentx.local;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link FileCapsIT} again: the caps hold under racing uploads with the catalogue in DynamoDB. */
@ExtendWith(OnDynamoDb.class)
class FileCapsOnDynamoDbIT extends FileCapsIT {
}
