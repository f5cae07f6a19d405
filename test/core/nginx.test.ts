/**
 * nginx configurations as nginx reads them, beyond one server's rules: each
 * block its own scope however alike two are written, tokens as
 * `ngx_conf_read_token` splits them (quoted strings over lines, quotes and
 * `}` inside words), blocks answered before the access phase (`return`) or
 * granted by another module (`satisfy any`), data blocks (`map`, `geo`) and
 * what `nginx -t` refuses. Each case was asked of nginx 1.22 on 127.0.0.1
 * (`curl -H 'X-Forwarded-For: ADDR'`) when it was written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { formatById } from '../../server/src/core/formats/registry';

const nginx = formatById('nginx')!;

/** Each entry as `scope: role [conditional] text`. */
function entries(document: BlocklistDocument): string[] {
  const t = document.entries;
  const rows: string[] = [];
  for (let k = 0; k < t.count; k++) {
    const role = `${t.allow[k] ? 'allow' : 'deny'}${t.conditional[k] ? ' conditional' : ''}`;
    rows.push(`${document.scopes[t.scope[k]].name}: ${role} ${document.text.slice(t.start[k], t.end[k])}`);
  }
  return rows;
}

test('two servers alike are two scopes: nothing of one covers or duplicates the other, and Fix all keeps both', () => {
  const text = 'server { listen 8081; deny 1.2.3.4; allow 10.0.0.0/8; deny all; }\nserver { listen 8082; deny 10.1.2.3; deny 1.2.3.4; deny 192.0.2.0/24; }\n';
  const document = parseDocument(text, nginx);
  assert.deepEqual(entries(document), [
    'server: deny 1.2.3.4',
    'server: allow 10.0.0.0/8',
    'server: deny all',
    'server: deny all',
    'server (line 2): deny 10.1.2.3',
    'server (line 2): deny 1.2.3.4',
    'server (line 2): deny 192.0.2.0/24',
  ]);
  const { facts, findings } = audit(document);
  assert.deepEqual(
    findings.filter((f) => ['duplicate', 'covered', 'shadowed'].includes(f.code)),
    [],
  );
  assert.equal(applyEdits(text, fixAll(document, facts)), text);
});

test('locations of two servers alike are apart too, and so are blocks within them', () => {
  const text = 'http {\n  server {\n    location / { deny 1.2.3.4; }\n  }\n  server {\n    location / { deny 1.2.3.4; }\n  }\n}\n';
  assert.deepEqual(entries(parseDocument(text, nginx)), ['http › server › location /: deny 1.2.3.4', 'http › server (line 5) › location /: deny 1.2.3.4']);
});

test('a quoted string runs over lines, and the rules after it are read', () => {
  const text =
    "server {\n  add_header Content-Security-Policy \"default-src 'self';\n      script-src 'self' { 'unsafe-inline'\";\n  deny 1.2.3.4;\n  location /a { deny 5.6.7.8; }\n}\n";
  assert.deepEqual(entries(parseDocument(text, nginx)), ['server: deny 1.2.3.4', 'server › location /a: deny 5.6.7.8']);
});

test('a quote or a } inside a word is part of it, as nginx reads it', () => {
  const text = "server {\n  location /a {\n    add_header X-Note it's;\n    add_header X-Tmpl a}b;\n    deny 1.2.3.4;\n  }\n  deny 5.6.7.8;\n}\n";
  assert.deepEqual(entries(parseDocument(text, nginx)), ['server › location /a: deny 1.2.3.4', 'server: deny 5.6.7.8']);
});

test('a quoted directive name is the directive, and ${name} does not open a block', () => {
  const text = 'location /a { set $x "${host}"; "deny" 1.2.3.4; \'allow\' "all"; }\n';
  assert.deepEqual(entries(parseDocument(text, nginx)), ['location /a: deny 1.2.3.4', 'location /a: allow all', 'location /a: allow all']);
});

test('a return answers before the access phase: the rules of its block (of every block of its server) are conditional, not counted', () => {
  const text =
    'server {\n  location = /health { allow 10.0.0.0/8; deny all; return 200 "ok"; }\n  location / { deny 1.2.3.4; }\n}\n' +
    'server {\n  return 301 https://example.org;\n  deny 5.6.7.8;\n  location / { deny 9.9.9.9; }\n}\n';
  const document = parseDocument(text, nginx);
  assert.deepEqual(entries(document), [
    'server › location = /health: allow conditional 10.0.0.0/8',
    'server › location = /health: deny conditional all',
    'server › location = /health: deny conditional all',
    'server › location /: deny 1.2.3.4',
    'server (line 5): deny conditional 5.6.7.8',
    'server (line 5) › location /: deny conditional 9.9.9.9',
  ]);
  const { facts } = audit(document);
  assert.deepEqual(
    facts.scopeSets.filter((set) => `${set.blocked4.size()}${set.blocked6.size()}` !== '00').map((set) => [document.scopes[set.scope].name, Number(set.blocked4.size())]),
    [['server › location /', 1]],
  );
});

test('satisfy any lets basic auth grant what the rules deny: conditional, inherited until satisfy all', () => {
  const text =
    'location / {\n  satisfy any;\n  allow 10.0.0.0/8;\n  deny all;\n  auth_basic "staff";\n  location /in { deny 1.2.3.4; }\n  location /all { satisfy all; deny 5.6.7.8; }\n}\n';
  assert.deepEqual(entries(parseDocument(text, nginx)), [
    'location /: allow conditional 10.0.0.0/8',
    'location /: deny conditional all',
    'location /: deny conditional all',
    'location / › location /in: deny conditional 1.2.3.4',
    'location / › location /all: deny 5.6.7.8',
  ]);
});

test('the lines of map and geo blocks are data, not rules', () => {
  const text = 'map $http_x_decision $status { default 200; allow 200; deny 403; }\ngeo $bad { default 0; 1.2.3.0/24 1; deny 1; }\ndeny 5.6.7.8;\n';
  const document = parseDocument(text, nginx);
  assert.deepEqual(entries(document), [': deny 5.6.7.8']);
  assert.deepEqual(document.problems, []);
});

test('what nginx -t refuses as "invalid parameter" is an invalid entry: a range, a netmask, a path after unix:', () => {
  const text = 'deny 1.2.3.0-1.2.3.255;\ndeny 1.2.3.0/255.255.255.0;\ndeny unix:/tmp/x;\ndeny unix:;\ndeny 2001:db8::/32;\n';
  const document = parseDocument(text, nginx);
  assert.deepEqual(entries(document), [': deny 2001:db8::/32']);
  assert.deepEqual(
    document.problems.map((p) => [p.line, p.code]),
    [
      [0, 'invalid-entry'],
      [1, 'invalid-entry'],
      [2, 'invalid-entry'],
    ],
  );
});

test('a block whose rules are all unix: inherits no IP rules: a scope of its own that blocks nothing, as its nested blocks without rules (nginx 1.22: 1.2.3.4 gets 200 at /)', () => {
  const text = 'deny 1.2.3.4;\nlocation / {\n  deny unix:;\n  location /in { }\n}\nlocation /b { deny 5.6.7.8; allow unix:; }\nlocation /c { }\n';
  const document = parseDocument(text, nginx);
  const { facts } = audit(document);
  const blocked = Object.fromEntries(document.scopes.map((scope, id) => [scope.name, facts.scopeSets.find((set) => set.scope === id)?.blocked4.size() ?? 0n]));
  assert.deepEqual(blocked, { '': 1n, 'location /': 0n, 'location /b': 1n });
});
