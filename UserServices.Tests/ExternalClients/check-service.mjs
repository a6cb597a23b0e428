// Signs in to the service and verifies its tokens with standard libraries written by others, knowing nothing but
// the service's URL and a registered client: openid-client (OAuth 2 client) and jose (JWT/JOSE).
//
//   node check-service.mjs <service-url> <confidential-client-id> <client-secret> <public-client-id> <username> <password> <audience>
//
// Prints one "ok ..." line per step and exits 0, or prints "FAIL ..." and exits 1.
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import * as jose from 'jose';

const [serviceUrl, clientId, clientSecret, publicClientId, username, password, audience] = process.argv.slice(2);
if (!audience) {
  console.error('FAIL usage: node check-service.mjs <service-url> <client-id> <client-secret> <public-client-id> <username> <password> <audience>');
  process.exit(1);
}

const ok = (message) => console.log(`ok ${message}`);
// Loopback test service over plain HTTP; the libraries refuse that unless told.
const insecure = new URL(serviceUrl).protocol === 'http:' ? [client.allowInsecureRequests] : [];

try {
  // (1) Discovery from the URL alone, both ways. Both libraries check the issuer equals the URL fetched.
  const server = new URL(serviceUrl);
  const rfc8414 = await client.discovery(server, clientId, undefined, client.ClientSecretBasic(clientSecret), { algorithm: 'oauth2', execute: insecure });
  const oidc = await client.discovery(server, clientId, undefined, client.ClientSecretBasic(clientSecret), { algorithm: 'oidc', execute: insecure });
  const metadata = rfc8414.serverMetadata();
  assert.equal(new URL(metadata.issuer).href, server.href);
  assert.deepEqual(oidc.serverMetadata(), metadata);
  for (const field of ['token_endpoint', 'jwks_uri', 'revocation_endpoint', 'introspection_endpoint']) {
    assert.ok(metadata[field]?.startsWith(serviceUrl), `${field} is on the service`);
  }
  ok(`discovery: issuer ${metadata.issuer} (RFC 8414 and openid-configuration agree)`);

  // (2) Password grant, then refresh.
  const login = await client.genericGrantRequest(rfc8414, 'password', { username, password, scope: 'orders:read' });
  assert.ok(login.access_token && login.refresh_token, 'the password grant returns both tokens');
  assert.equal(login.token_type, 'bearer');
  assert.equal(login.scope, 'orders:read');
  ok('password grant: access and refresh token');
  const refreshed = await client.refreshTokenGrant(rfc8414, login.refresh_token);
  assert.ok(refreshed.access_token && refreshed.refresh_token);
  assert.notEqual(refreshed.refresh_token, login.refresh_token, 'the refresh token rotates');
  ok('refresh grant: new access token, rotated refresh token');

  // (3) RFC 9068 §4 as a resource server does it: keys from jwks_uri, typ at+jwt, issuer, audience, client_id.
  const keys = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
  const rules = {
    issuer: metadata.issuer,
    audience,
    typ: 'at+jwt',
    algorithms: ['RS256'],
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti', 'auth_time'],
  };
  const first = await jose.jwtVerify(login.access_token, keys, rules);
  const second = await jose.jwtVerify(refreshed.access_token, keys, rules);
  assert.equal(second.protectedHeader.typ, 'at+jwt');
  assert.equal(second.payload.client_id, clientId);
  assert.equal(second.payload.scope, 'orders:read');
  assert.equal(second.payload.auth_time, first.payload.auth_time, 'auth_time survives refresh');
  await assert.rejects(jose.jwtVerify(refreshed.access_token, keys, { ...rules, audience: "another-api" }), /aud/, "another audience is refused");
  const [header, payload, signature] = refreshed.access_token.split('.');
  const forged = jose.base64url.encode(JSON.stringify({ ...second.payload, sub: `${second.payload.sub}0` }));
  await assert.rejects(jose.jwtVerify(`${header}.${forged}.${signature}`, keys, rules), /signature/, "an altered token is refused");
  ok(`jwt: verified through jwks_uri by RFC 9068 rules (client_id ${second.payload.client_id}, auth_time ${second.payload.auth_time})`);

  // (4) Introspection and revocation.
  const live = await client.tokenIntrospection(rfc8414, refreshed.access_token);
  assert.equal(live.active, true);
  assert.equal(live.client_id, clientId);
  assert.equal(live.sub, second.payload.sub);
  assert.equal((await client.tokenIntrospection(rfc8414, refreshed.refresh_token)).active, true);
  assert.equal((await client.tokenIntrospection(rfc8414, login.refresh_token)).active, false, 'a rotated refresh token is inactive');
  ok('introspection: live access and refresh tokens are active, a rotated one is not');
  await client.tokenRevocation(rfc8414, refreshed.refresh_token);
  assert.deepEqual(await client.tokenIntrospection(rfc8414, refreshed.refresh_token), { active: false });
  assert.deepEqual(await client.tokenIntrospection(rfc8414, refreshed.access_token), { active: false });
  await assert.rejects(client.refreshTokenGrant(rfc8414, refreshed.refresh_token), (e) => e.error === 'invalid_grant' && e.status === 400);
  ok('revocation: the sign-in ends, introspection says inactive, refresh is refused');

  // A public client: no secret, identified by client_id (token_endpoint_auth_method none).
  const publicClient = await client.discovery(server, publicClientId, undefined, client.None(), { algorithm: 'oauth2', execute: insecure });
  const publicLogin = await client.genericGrantRequest(publicClient, 'password', { username, password });
  assert.equal((await jose.jwtVerify(publicLogin.access_token, keys, rules)).payload.client_id, publicClientId);
  await client.tokenRevocation(publicClient, publicLogin.refresh_token);
  assert.equal((await client.tokenIntrospection(rfc8414, publicLogin.refresh_token)).active, false);
  ok('public client: password grant without a secret, revokes its own token');

  // A wrong secret is invalid_client, as the libraries understand it.
  const impostor = await client.discovery(server, clientId, undefined, client.ClientSecretPost('not-the-secret'), { algorithm: 'oauth2', execute: insecure });
  const refusal = await client.genericGrantRequest(impostor, 'password', { username, password }).then(() => null, (e) => e);
  // The library reports the Basic challenge first (RFC 6749 §5.2); the body still says invalid_client.
  assert.equal(refusal?.status, 401, `a wrong secret is refused with 401 (${refusal})`);
  assert.equal(refusal.cause?.[0]?.scheme, 'basic');
  assert.equal((await refusal.response.json()).error, 'invalid_client');
  ok('client_secret_post with a wrong secret: 401 invalid_client with a Basic challenge');

  console.log(`all steps passed against ${serviceUrl}`);
} catch (error) {
  console.error(`FAIL ${error?.message ?? error}`);
  if (error?.cause) {
    console.error(`cause: ${JSON.stringify(error.cause)}`);
  }
  process.exit(1);
}
