/** Account sessions from an OIDC identity provider's tokens (Amazon Cognito), behind the Sessions port. */
package ai.sentx.identity;
