/**
 * In-process adapters of the driven ports, for the local server (one JVM). Each keeps its data in
 * concurrent maps with per-account locks or atomic map updates, so it is exact under any number
 * of (virtual) threads, and each passes the same port contract as the DynamoDB adapters.
 */
package ai.sentx.persistence.memory;
