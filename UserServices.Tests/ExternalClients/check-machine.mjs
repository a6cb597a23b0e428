// A backend service getting tokens for itself (client credentials, RFC 6749 §4.4) with standard libraries written by
// others: openid-client authenticates with a client secret (client_secret_basic) and with a signed assertion
// (private_key_jwt, RFC 7523), and jose verifies the machine tokens by RFC 9068's rules, as a resource server would.
//
//   node check-machine.mjs <service-url> <secret-client-id> <client-secret> <key-client-id> <private-key-pem-path> <secret-client-audience>
//
// The key client's key is an ES256 (P-256) PKCS#8 PEM; its tokens carry the service's own audience, 'user-services'.
// Prints one "ok ..." line per step and exits 0, or prints "FAIL ..." and exits 1.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as client from 'openid-client';
import * as jose from 'jose';

const [serviceUrl, secretClientId, clientSecret, keyClientId, keyPath, secretAudience] = process.argv.slice(2);
if (!secretAudience) {
  console.error('FAIL usage: node check-machine.mjs <service-url> <secret-client-id> <client-secret> <key-client-id> <private-key-pem-path> <secret-client-audience>');
  process.exit(1);
}

const ok = (message) => console.log(`ok ${message}`);
const insecure = new URL(serviceUrl).protocol === 'http:' ? [client.allowInsecureRequests] : [];

try {
  // (1) Discovery says what a machine client needs: the grant, the method and the algorithms for it.
  const server = new URL(serviceUrl);
  const withSecret = await client.discovery(server, secretClientId, undefined, client.ClientSecretBasic(clientSecret), { algorithm: 'oauth2', execute: insecure });
  const metadata = withSecret.serverMetadata();
  assert.ok(metadata.grant_types_supported.includes('client_credentials'), 'client_credentials is listed');
  for (const endpoint of ['token', 'revocation', 'introspection']) {
    assert.ok(metadata[`${endpoint}_endpoint_auth_methods_supported`].includes('private_key_jwt'), `${endpoint}: private_key_jwt is listed`);
    assert.ok(metadata[`${endpoint}_endpoint_auth_signing_alg_values_supported`].includes('ES256'), `${endpoint}: ES256 is listed`);
  }
  ok('discovery: client_credentials, private_key_jwt with RS256/ES256 on the token, revocation and introspection endpoints');

  // (2) RFC 9068 §4 for a client's own token: sub is the client, no user, no refresh token.
  const keys = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
  const verify = async (token, clientId, audience) => {
    const { payload, protectedHeader } = await jose.jwtVerify(token, keys, {
      issuer: metadata.issuer,
      audience,
      typ: 'at+jwt',
      requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.sub, clientId, 'sub is the client');
    assert.equal(payload.client_id, clientId);
    for (const userClaim of ['sid', 'preferred_username', 'email', 'role', 'auth_time']) {
      assert.equal(payload[userClaim], undefined, `no ${userClaim}`);
    }
    return payload;
  };
  const bySecret = await client.clientCredentialsGrant(withSecret, { scope: 'orders:read' });
  assert.equal(bySecret.token_type, 'bearer');
  assert.equal(bySecret.refresh_token, undefined, 'no refresh token (RFC 6749 §4.4.3)');
  assert.equal(bySecret.scope, 'orders:read');
  const secretPayload = await verify(bySecret.access_token, secretClientId, secretAudience);
  await assert.rejects(jose.jwtVerify(bySecret.access_token, keys, { issuer: metadata.issuer, audience: 'user-services', typ: 'at+jwt' }), /aud/,
    'a token for another resource server is refused by this one');
  ok(`client_secret_basic: token for ${secretPayload.sub}, aud ${secretPayload.aud}, verified by RFC 9068 rules`);

  // (3) The same with a signed assertion; every request must sign a new one, so the replay of one is refused.
  const privateKey = await jose.importPKCS8(await readFile(keyPath, 'utf8'), 'ES256');
  let lastBody;
  const withKey = await client.discovery(server, keyClientId, undefined, client.PrivateKeyJwt(privateKey), { algorithm: 'oauth2', execute: insecure });
  withKey[client.customFetch] = (url, options) => {
    lastBody = options.body;
    return fetch(url, options);
  };
  const byKey = await client.clientCredentialsGrant(withKey);
  assert.equal(byKey.refresh_token, undefined);
  await verify(byKey.access_token, keyClientId, 'user-services');
  const assertion = new URLSearchParams(lastBody).get('client_assertion');
  assert.equal(jose.decodeProtectedHeader(assertion).alg, 'ES256');
  const replay = await fetch(metadata.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: lastBody });
  assert.equal(replay.status, 401, 'a replayed assertion is refused');
  assert.equal((await replay.json()).error, 'invalid_client');
  ok('private_key_jwt: token with an ES256 assertion; the same assertion again is 401 invalid_client');

  // (4) Introspection (authenticated with a new assertion) and our own account endpoints.
  const live = await client.tokenIntrospection(withKey, bySecret.access_token);
  assert.equal(live.active, true);
  assert.equal(live.client_id, secretClientId);
  assert.equal(live.sub, secretClientId);
  const profile = await fetch(new URL('/user/user', serviceUrl), { headers: { authorization: `Bearer ${byKey.access_token}` } });
  assert.equal(profile.status, 403, 'a machine token has no profile');
  assert.equal((await profile.json()).error, 'insufficient_scope');
  ok('introspection with private_key_jwt: active, client_id and sub; /user/user answers a machine token 403 insufficient_scope');

  console.log(`all machine steps passed against ${serviceUrl}`);
} catch (error) {
  console.error(`FAIL ${error?.message ?? error}`);
  if (error?.cause) {
    console.error(`cause: ${JSON.stringify(error.cause)}`);
  }
  process.exit(1);
}
