/**
 * The driven ports on Amazon DynamoDB (AWS SDK for Java v2), for the AWS deployment and for a
 * local server pointed at a DynamoDB endpoint. {@link ai.sentx.persistence.dynamodb.TableDefinitions}
 * is the schema; {@link ai.sentx.persistence.dynamodb.DynamoDbStore} builds every adapter. Each
 * adapter passes the same port contract as its in-memory twin. Invariants are kept by conditional
 * writes and transactions; a refused condition is classified by a consistent re-read, never by
 * cancellation reasons or client request tokens. {@code docs/dynamodb.md} documents the tables,
 * item shapes, access patterns and costs.
 */
package ai.sentx.persistence.dynamodb;
