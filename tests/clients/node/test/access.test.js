// Who may call what and see which firms: missing, wrong and revoked keys,
// roles, hidden and members-only firms, and a key limited to one cluster.
'use strict';

const assert = require('node:assert/strict');
const { describe, it, before, after } = require('node:test');
const {
  status,
  env,
  sample,
  connect,
  call,
  expectStatus,
  listAll,
  publicQueryFirms,
} = require('./support.js');

const QUERY_FIRMS = publicQueryFirms().slice(20, 23);
const NON_ADMIN_KEYS = {
  reader: env.readerKey,
  'members reader': env.membersReaderKey,
  writer: env.writerKey,
  'cluster writer': env.clusterWriterKey,
};

function newFirm(id, clusters) {
  return {
    id,
    name: `Access test firm ${id}`,
    kind: 'FIRM_KIND_COMPANY',
    clusters,
    offers: ['metal enclosure fabrication'],
    needs: ['PCB assembly for small production runs'],
    visibility: 'VISIBILITY_PUBLIC',
  };
}

function idsOf(results) {
  return results.map((r) => r.firm_id);
}

function assertNoneOf(ids, forbidden, what) {
  const leaked = ids.filter((id) => forbidden.has(id));
  assert.deepEqual(leaked, [], `${what} returned ${leaked.join(', ')}`);
}

describe('access', () => {
  let api;
  before(() => {
    api = connect();
  });
  after(() => api.close());

  describe('authentication', () => {
    it('answers UNAUTHENTICATED without a key', async () => {
      await expectStatus(
        call(api.firms, 'GetFirm', { id: 'GV-0002' }, null),
        status.UNAUTHENTICATED,
      );
      await expectStatus(
        call(api.matching, 'Search', { query: 'PCB 조립' }, null),
        status.UNAUTHENTICATED,
      );
      await expectStatus(
        call(api.firms, 'CreateFirm', { firm: newFirm('NODE-ACCESS-NOKEY', ['G-Valley']) }, null),
        status.UNAUTHENTICATED,
      );
    });

    it('answers UNAUTHENTICATED for a wrong key', async () => {
      const [prefix, id] = env.readerKey.split('_');
      for (const key of [
        'not-a-key',
        'cm_000000000000_0000000000000000',
        `${prefix}_${id}_wrongsecret`,
        `${env.readerKey}x`,
      ]) {
        await expectStatus(
          call(api.firms, 'GetFirm', { id: 'GV-0002' }, key),
          status.UNAUTHENTICATED,
        );
      }
    });

    it('answers UNAUTHENTICATED for a revoked key from the next call on', async () => {
      const made = await call(
        api.admin,
        'CreateKey',
        { role: 'KEY_ROLE_READER', scope: 'KEY_SCOPE_PUBLIC', label: 'node revoke test' },
        env.adminKey,
      );
      assert.ok(made.secret.startsWith(`cm_${made.key.id}_`), made.secret);
      assert.equal(made.key.role, 'KEY_ROLE_READER');
      assert.equal(made.key.revoked_at, '');
      const got = await call(api.firms, 'GetFirm', { id: 'GV-0002' }, made.secret);
      assert.equal(got.id, 'GV-0002');

      const revoked = await call(api.admin, 'RevokeKey', { id: made.key.id }, env.adminKey);
      assert.equal(revoked.id, made.key.id);
      assert.notEqual(revoked.revoked_at, '');
      await expectStatus(
        call(api.firms, 'GetFirm', { id: 'GV-0002' }, made.secret),
        status.UNAUTHENTICATED,
      );

      const listed = await call(api.admin, 'ListKeys', {}, env.adminKey);
      const entry = listed.keys.find((key) => key.id === made.key.id);
      assert.ok(entry, 'the revoked key is not listed');
      assert.notEqual(entry.revoked_at, '');
      assert.ok(!JSON.stringify(listed).includes(made.secret), 'ListKeys shows a secret');
    });
  });

  describe('roles', () => {
    it('answers PERMISSION_DENIED to a reader that writes', async () => {
      await expectStatus(
        call(
          api.firms,
          'CreateFirm',
          { firm: newFirm('NODE-ACCESS-READER', ['G-Valley']) },
          env.readerKey,
        ),
        status.PERMISSION_DENIED,
      );
      await expectStatus(
        call(
          api.firms,
          'UpdateFirm',
          { firm: { id: 'GV-0002', needs: ['x'] }, update_mask: { paths: ['needs'] } },
          env.readerKey,
        ),
        status.PERMISSION_DENIED,
      );
      await expectStatus(
        call(api.firms, 'DeleteFirm', { id: 'GV-0002' }, env.membersReaderKey),
        status.PERMISSION_DENIED,
      );
      await expectStatus(
        call(api.firms, 'GetFirm', { id: 'NODE-ACCESS-READER' }, env.adminKey),
        status.NOT_FOUND,
      );
    });

    it('answers PERMISSION_DENIED to a writer that administers', async () => {
      await expectStatus(
        call(api.admin, 'CreateKey', { role: 'KEY_ROLE_ADMIN' }, env.writerKey),
        status.PERMISSION_DENIED,
      );
      await expectStatus(call(api.admin, 'ListKeys', {}, env.readerKey), status.PERMISSION_DENIED);
    });

    it('keeps the statistics (which count hidden firms) for admins', async () => {
      await expectStatus(call(api.admin, 'GetStats', {}, env.readerKey), status.PERMISSION_DENIED);
      const stats = await call(api.admin, 'GetStats', {}, env.adminKey);
      assert.ok(Number(stats.firms) >= sample.firms.length, `firms ${stats.firms}`);
      assert.ok(Number(stats.indexed) > 0, `indexed ${stats.indexed}`);
    });
  });

  describe('hidden firms', () => {
    const hidden = [...sample.hidden];

    it('are not found by id for any non-admin key, and are for the admin', async () => {
      assert.ok(hidden.length > 0, 'the sample has hidden firms');
      for (const id of hidden) {
        for (const [name, key] of Object.entries(NON_ADMIN_KEYS)) {
          await expectStatus(call(api.firms, 'GetFirm', { id }, key), status.NOT_FOUND).catch(
            (e) => {
              throw new Error(`GetFirm ${id} with the ${name} key: ${e.message}`);
            },
          );
        }
        const firm = await call(api.firms, 'GetFirm', { id }, env.adminKey);
        assert.equal(firm.visibility, 'VISIBILITY_HIDDEN');
      }
    });

    it('are never listed for non-admin keys, and are for the admin', async () => {
      for (const [name, key] of Object.entries(NON_ADMIN_KEYS)) {
        const { firms } = await listAll(api.firms, key, { pageSize: 1000 });
        assertNoneOf(
          firms.map((f) => f.id),
          sample.hidden,
          `${name} list`,
        );
      }
      const { firms } = await listAll(api.firms, env.adminKey, { pageSize: 1000 });
      const ids = new Set(firms.map((f) => f.id));
      for (const id of hidden) assert.ok(ids.has(id), `admin list misses hidden ${id}`);
    });

    it('are never recommended or found by search for non-admin keys', async () => {
      for (const [name, key] of Object.entries(NON_ADMIN_KEYS)) {
        for (const query of QUERY_FIRMS) {
          const response = await call(
            api.matching,
            'Recommend',
            { firm_id: query.id, k: 1000, omit_explanations: true },
            key,
          ).catch((e) => {
            if (name === 'cluster writer' && e.code === status.NOT_FOUND) return null;
            throw e;
          });
          if (response) {
            assertNoneOf(idsOf(response.recommendations), sample.hidden, `${name} recommend`);
          }
        }
      }
      for (const id of hidden) {
        const firm = sample.byId.get(id);
        // A visitor that mirrors the hidden firm: it would be a top partner.
        const mirror = { name: 'Mirror', offers: firm.needs, needs: firm.offers, clusters: firm.clusters };
        const searchText = firm.offers[0];
        for (const [name, key] of Object.entries(NON_ADMIN_KEYS)) {
          const recommended = await call(
            api.matching,
            'Recommend',
            { profile: mirror, k: 1000, omit_explanations: true },
            key,
          );
          assertNoneOf(idsOf(recommended.recommendations), sample.hidden, `${name} recommend mirror of ${id}`);
          const found = await call(api.matching, 'Search', { query: searchText, k: 1000 }, key);
          assertNoneOf(idsOf(found.results), sample.hidden, `${name} search "${searchText}"`);
        }
      }
    });

    it('cannot be the query firm of a non-admin recommendation', async () => {
      await expectStatus(
        call(api.matching, 'Recommend', { firm_id: hidden[0] }, env.membersReaderKey),
        status.NOT_FOUND,
      );
    });
  });

  describe('members-only firms', () => {
    const membersOnly = [...sample.membersOnly];

    it('are found by id with the members key only', async () => {
      assert.ok(membersOnly.length > 0, 'the sample has members-only firms');
      for (const id of membersOnly) {
        await expectStatus(call(api.firms, 'GetFirm', { id }, env.readerKey), status.NOT_FOUND);
        const firm = await call(api.firms, 'GetFirm', { id }, env.membersReaderKey);
        assert.equal(firm.visibility, 'VISIBILITY_MEMBERS');
      }
    });

    it('are listed for the members key only', async () => {
      const publicList = await listAll(api.firms, env.readerKey, { pageSize: 1000 });
      assertNoneOf(
        publicList.firms.map((f) => f.id),
        sample.membersOnly,
        'public-scope list',
      );
      const membersList = await listAll(api.firms, env.membersReaderKey, { pageSize: 1000 });
      const ids = new Set(membersList.firms.map((f) => f.id));
      for (const id of membersOnly) assert.ok(ids.has(id), `members list misses ${id}`);
    });

    it('are recommended and found for the members key only', async () => {
      let seenByMembers = 0;
      for (const query of QUERY_FIRMS) {
        const request = { firm_id: query.id, k: 1000, omit_explanations: true };
        const publicIds = idsOf(
          (await call(api.matching, 'Recommend', request, env.readerKey)).recommendations,
        );
        assertNoneOf(publicIds, sample.membersOnly, 'public-scope recommend');
        const membersIds = idsOf(
          (await call(api.matching, 'Recommend', request, env.membersReaderKey)).recommendations,
        );
        seenByMembers += membersIds.filter((id) => sample.membersOnly.has(id)).length;
      }
      assert.ok(seenByMembers > 0, 'the members key was never recommended a members-only firm');

      for (const id of membersOnly.slice(0, 5)) {
        const searchText = sample.byId.get(id).offers[0];
        const request = { query: searchText, k: 1000, omit_explanations: true };
        const publicIds = idsOf((await call(api.matching, 'Search', request, env.readerKey)).results);
        assertNoneOf(publicIds, sample.membersOnly, `public-scope search "${searchText}"`);
        const membersIds = idsOf(
          (await call(api.matching, 'Search', request, env.membersReaderKey)).results,
        );
        assert.ok(membersIds.includes(id), `members search "${searchText}" misses ${id}`);
      }
    });
  });

  describe('a key limited to one cluster', () => {
    const inCluster = (firm) => (firm.clusters || []).includes(env.cluster);
    const outside = sample.firms.find((f) => sample.public.has(f.id) && !inCluster(f));
    const inside = sample.firms.filter((f) => sample.public.has(f.id) && inCluster(f));

    it('lists and gets only firms of its cluster', async () => {
      const { firms } = await listAll(api.firms, env.clusterWriterKey, { pageSize: 7 });
      assert.ok(firms.length > 0);
      for (const firm of firms) assert.ok(inCluster(firm), `${firm.id} is outside ${env.cluster}`);
      const ids = new Set(firms.map((f) => f.id));
      for (const firm of inside) assert.ok(ids.has(firm.id), `${firm.id} of ${env.cluster} missing`);
      await expectStatus(
        call(api.firms, 'GetFirm', { id: outside.id }, env.clusterWriterKey),
        status.NOT_FOUND,
      );
      const got = await call(api.firms, 'GetFirm', { id: inside[0].id }, env.clusterWriterKey);
      assert.equal(got.id, inside[0].id);
    });

    it('recommends and finds only firms of its cluster', async () => {
      const recommended = await call(
        api.matching,
        'Recommend',
        { firm_id: inside[0].id, k: 1000 },
        env.clusterWriterKey,
      );
      assert.ok(recommended.recommendations.length > 0);
      for (const r of recommended.recommendations) {
        assert.ok(inCluster(r.firm), `recommended ${r.firm_id} is outside ${env.cluster}`);
      }
      const found = await call(
        api.matching,
        'Search',
        { query: 'PCB 조립', k: 1000 },
        env.clusterWriterKey,
      );
      for (const r of found.results) {
        assert.ok(inCluster(r.firm), `found ${r.firm_id} is outside ${env.cluster}`);
      }
    });

    it('creates and changes firms of its cluster only', async () => {
      const mine = newFirm('NODE-ACCESS-AY-1', [env.cluster]);
      assert.deepEqual(
        (await call(api.firms, 'CreateFirm', { firm: mine }, env.clusterWriterKey)).clusters,
        [env.cluster],
      );
      const foreign = newFirm('NODE-ACCESS-AY-2', ['G-Valley']);
      await expectStatus(
        call(api.firms, 'CreateFirm', { firm: foreign }, env.clusterWriterKey),
        status.PERMISSION_DENIED,
      );
      await expectStatus(
        call(api.firms, 'GetFirm', { id: foreign.id }, env.adminKey),
        status.NOT_FOUND,
      );
      await expectStatus(
        call(
          api.firms,
          'UpdateFirm',
          { firm: { id: mine.id, clusters: ['G-Valley'] }, update_mask: { paths: ['clusters'] } },
          env.clusterWriterKey,
        ),
        status.PERMISSION_DENIED,
      );
      await expectStatus(
        call(
          api.firms,
          'UpdateFirm',
          { firm: { id: outside.id, needs: ['x'] }, update_mask: { paths: ['needs'] } },
          env.clusterWriterKey,
        ),
        status.NOT_FOUND,
      );
      const unchanged = await call(api.firms, 'GetFirm', { id: outside.id }, env.adminKey);
      assert.deepEqual(unchanged.needs, sample.byId.get(outside.id).needs || []);
    });
  });
});
