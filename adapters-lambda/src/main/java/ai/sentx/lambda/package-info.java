/**
 * The AWS composition root and the Lambda handlers. Only this package (and the local server's)
 * reads environment variables and builds SDK clients; handlers stay thin and call use cases.
 */
package ai.sentx.lambda;
