// FeedbackService as the portal backend uses it: a member declines a
// proposed partner, or a coordinator marks a pair do-not-match, and the next
// recommendation leaves the pair out, from either side.
'use strict';

const assert = require('node:assert/strict');
const { describe, it, before, after } = require('node:test');
const { status, env, connect, call, expectStatus, publicQueryFirms } = require('./support.js');

// Query firms of this file (matching.test.js takes the first ones).
const QUERY_FIRMS = publicQueryFirms().slice(10, 14);
const K = 50;

describe('FeedbackService', () => {
  let api;
  before(() => {
    api = connect();
  });
  after(() => api.close());

  async function recommendedIds(firmId) {
    const response = await call(
      api.matching,
      'Recommend',
      { firm_id: firmId, k: K, omit_explanations: true },
      env.readerKey,
    );
    return response.recommendations.map((r) => r.firm_id);
  }

  for (const [index, kind] of [
    [0, 'RELATION_KIND_DECLINED'],
    [1, 'RELATION_KIND_DO_NOT_MATCH'],
  ]) {
    it(`leaves a ${kind} pair out of the next recommendation`, async () => {
      const query = QUERY_FIRMS[index].id;
      const before = await recommendedIds(query);
      assert.ok(before.length > 1, `too few recommendations for ${query}`);
      const partner = before[0];

      const recorded = await call(
        api.feedback,
        'RecordRelations',
        { relations: [{ firm_a: query, firm_b: partner, kind, context: 'node client test' }] },
        env.writerKey,
      );
      assert.equal(recorded.recorded, 1);

      const after = await recommendedIds(query);
      assert.ok(!after.includes(partner), `${partner} still proposed to ${query} after ${kind}`);
      // Relations are symmetric for matching.
      const reverse = await recommendedIds(partner);
      assert.ok(!reverse.includes(query), `${query} still proposed to ${partner} after ${kind}`);

      const listed = await call(
        api.feedback,
        'ListRelations',
        { firm_id: query, kinds: [kind] },
        env.readerKey,
      );
      const match = listed.relations.filter(
        (r) => r.firm_a === query && r.firm_b === partner && r.kind === kind,
      );
      assert.equal(match.length, 1, JSON.stringify(listed.relations));
      assert.match(match[0].date, /^\d{4}-\d{2}-\d{2}$/, 'an empty date is recorded as today');
      assert.equal(match[0].context, 'node client test');
    });
  }

  it('records nothing when one relation of the batch is bad', async () => {
    const [a, b] = [QUERY_FIRMS[2].id, QUERY_FIRMS[3].id];
    const relations = [
      { firm_a: a, firm_b: b, kind: 'RELATION_KIND_DECLINED' },
      { firm_a: a, firm_b: 'NODE-NO-SUCH-FIRM', kind: 'RELATION_KIND_DECLINED' },
    ];
    await expectStatus(
      call(api.feedback, 'RecordRelations', { relations }, env.writerKey),
      status.NOT_FOUND,
    );
    const listed = await call(api.feedback, 'ListRelations', { firm_id: a }, env.readerKey);
    const pair = listed.relations.filter((r) => [r.firm_a, r.firm_b].sort().join() === [a, b].sort().join());
    assert.deepEqual(pair, [], 'part of a failed batch was recorded');
  });

  it('needs the writer role to record feedback', async () => {
    const [a, b] = [QUERY_FIRMS[2].id, QUERY_FIRMS[3].id];
    await expectStatus(
      call(
        api.feedback,
        'RecordRelations',
        { relations: [{ firm_a: a, firm_b: b, kind: 'RELATION_KIND_DECLINED' }] },
        env.readerKey,
      ),
      status.PERMISSION_DENIED,
    );
  });

  it('refuses a relation of a firm with itself, naming the field', async () => {
    const a = QUERY_FIRMS[2].id;
    await expectStatus(
      call(
        api.feedback,
        'RecordRelations',
        { relations: [{ firm_a: a, firm_b: a, kind: 'RELATION_KIND_MET' }] },
        env.writerKey,
      ),
      status.INVALID_ARGUMENT,
      /firm_b|firm_a/,
    );
  });
});
