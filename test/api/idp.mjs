// A test identity provider as its own process (oauth2-mock-server: OpenID discovery, JWKS, a token
// endpoint), with a small directory of people: the password grant issues an RS256 access token
// with the person's name, roles (Keycloak-style `realm_access.roles`) and units (`agency_units`) for the
// audience `casebridge`. Prints "IDP at <issuer>" once it listens.
import { OAuth2Server } from 'oauth2-mock-server';

const people = JSON.parse(process.env.IDP_PEOPLE ?? '{}');
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
server.service.on('beforeTokenSigning', (token, req) => {
  const who = people[req.body.username];
  if (!who) return;
  Object.assign(token.payload, {
    aud: 'casebridge',
    sub: `idp-${req.body.username}`,
    preferred_username: who.name,
    realm_access: { roles: who.roles },
    agency_units: who.units,
  });
});
server.service.on('beforeResponse', (response, req) => {
  if (req.body.grant_type !== 'password') return;
  const who = people[req.body.username];
  if (!who || who.password !== req.body.password) {
    response.statusCode = 401;
    response.body = { error: 'invalid_grant' };
  }
});
await server.start(0, '127.0.0.1');
console.log(`IDP at ${server.issuer.url}`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
