/**
 * Who may call the standalone service: API tokens stored as SHA-256 hashes only ({@code ApiTokens}, migration V10),
 * roles analyst, viewer, auditor and admin ({@code Role}, {@code Permission}; docs/service.md "Accounts and roles"), and the
 * {@code Authenticator} that names the {@code Caller} from the request headers before any body is read (bearer token,
 * a trusted proxy's user header, or no authentication on loopback only). The caller is named in every audit row.
 */
package org.geopigeon.app.serve.auth;
