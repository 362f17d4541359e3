package ai.sentx.local;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link TopUpsIT} again, with the local server (ledger and payment events) on DynamoDB. */
@ExtendWith(OnDynamoDb.class)
class TopUpsOnDynamoDbIT extends TopUpsIT {
}
