// MatchingService as the portal backend uses it: explained recommendations
// for a stored firm and for an inline visitor profile, free-text search in
// Korean and English, and the request limits.
'use strict';

const assert = require('node:assert/strict');
const { describe, it, before, after } = require('node:test');
const {
  status,
  env,
  connect,
  call,
  expectStatus,
  publicQueryFirms,
} = require('./support.js');

// Query firms of this file (feedback.test.js takes others).
const QUERY_FIRMS = publicQueryFirms().slice(0, 4);

function assertRankedByScore(results) {
  for (let i = 1; i < results.length; ++i) {
    assert.ok(
      results[i - 1].score >= results[i].score,
      `result ${i} scores ${results[i].score} above result ${i - 1} (${results[i - 1].score})`,
    );
  }
}

// Each result names its firm, carries the profile and an explanation.
function assertExplained(results) {
  for (const result of results) {
    assert.ok(result.firm_id, 'a result without firm_id');
    assert.ok(result.firm, `result ${result.firm_id} without its profile`);
    assert.equal(result.firm.id, result.firm_id);
    assert.ok(result.firm.name, `result ${result.firm_id} without a name`);
    assert.ok(result.explanation, `result ${result.firm_id} without an explanation`);
    assert.ok(result.explanation.components, `result ${result.firm_id} without components`);
    assert.ok(Number.isFinite(result.score), `result ${result.firm_id} score ${result.score}`);
  }
}

describe('MatchingService', () => {
  let api;
  before(() => {
    api = connect();
  });
  after(() => api.close());

  it('recommends explained partners for a stored firm', async () => {
    const query = QUERY_FIRMS[0];
    const response = await call(
      api.matching,
      'Recommend',
      { firm_id: query.id, intent: 'MATCH_INTENT_PARTNER' },
      env.readerKey,
    );
    const results = response.recommendations;
    assert.equal(results.length, 10, 'default k is 10');
    assert.ok(Number(response.model_version) >= 0, `model_version ${response.model_version}`);
    assertRankedByScore(results);
    assertExplained(results);
    assert.ok(
      results.every((r) => r.firm_id !== query.id),
      'the query firm was proposed to itself',
    );
    // Partner intent: reasons are needs of one side answered by offers of
    // the other, quoting both firms' own phrases.
    const matches = results.flatMap((r) => r.explanation.need_offer);
    assert.ok(matches.length > 0, 'no need/offer reasons in any partner recommendation');
    for (const result of results) {
      for (const match of result.explanation.need_offer) {
        const pair = [match.need_firm_id, match.offer_firm_id].sort();
        assert.deepEqual(pair, [query.id, result.firm_id].sort(), JSON.stringify(match));
        assert.ok(match.need && match.offer, JSON.stringify(match));
        assert.ok(match.similarity > 0 && match.similarity <= 1, JSON.stringify(match));
      }
    }
    const fromQuery = matches.filter((m) => m.need_firm_id === query.id);
    for (const match of fromQuery) {
      assert.ok(query.needs.includes(match.need), `"${match.need}" is not a need of ${query.id}`);
    }
  });

  it('recommends for an inline visitor profile that is not stored', async () => {
    const visitor = {
      name: 'Visitor Robotics',
      description: '협동로봇 그리퍼 개발 스타트업. A start-up developing grippers for cobots.',
      kind: 'FIRM_KIND_COMPANY',
      clusters: ['G-Valley'],
      technologies: ['robot grippers', 'machine vision'],
      offers: ['custom robot gripper design'],
      needs: ['PCB assembly for small production runs', 'distribution partner in Japan'],
      roles: ['ROLE_DEVELOPMENT'],
    };
    const response = await call(
      api.matching,
      'Recommend',
      { profile: visitor, k: 5 },
      env.readerKey,
    );
    const results = response.recommendations;
    assert.equal(results.length, 5);
    assertRankedByScore(results);
    assertExplained(results);
    const answered = results
      .flatMap((r) => r.explanation.need_offer)
      .filter((m) => visitor.needs.includes(m.need));
    assert.ok(answered.length > 0, 'no result answers a need of the visitor');
    const covered = results.flatMap((r) => r.explanation.roles_covered);
    assert.ok(
      covered.every((role) => role !== 'ROLE_DEVELOPMENT'),
      'a role the visitor already covers was reported as covered',
    );
  });

  it('leaves explanations out when asked to', async () => {
    const response = await call(
      api.matching,
      'Recommend',
      { firm_id: QUERY_FIRMS[1].id, k: 3, omit_explanations: true },
      env.readerKey,
    );
    assert.equal(response.recommendations.length, 3);
    for (const result of response.recommendations) {
      assert.equal(result.explanation, null, `${result.firm_id} still has an explanation`);
      assert.equal(result.firm.id, result.firm_id);
    }
  });

  it('explains peers by similar offers', async () => {
    const query = QUERY_FIRMS[2];
    const response = await call(
      api.matching,
      'Recommend',
      { firm_id: query.id, intent: 'MATCH_INTENT_PEER', k: 5 },
      env.readerKey,
    );
    assert.equal(response.recommendations.length, 5);
    assertExplained(response.recommendations);
    const similar = response.recommendations.flatMap((r) => r.explanation.similar_offers);
    assert.ok(similar.length > 0, 'no similar offers in any peer recommendation');
    // "Offers" in the wide sense of NeedOfferMatch: offers, products and
    // technologies.
    const own = [...query.offers, ...(query.products || []), ...(query.technologies || [])];
    for (const pair of similar) {
      assert.ok(own.includes(pair.query_phrase), `"${pair.query_phrase}" is not ${query.id}'s`);
    }
  });

  for (const query of ['PCB 조립', 'distribution in Japan', '일본 수출']) {
    it(`searches offers for "${query}"`, async () => {
      const response = await call(api.matching, 'Search', { query, k: 5 }, env.readerKey);
      const results = response.results;
      assert.equal(results.length, 5);
      assertRankedByScore(results);
      assertExplained(results);
      const top = results[0];
      assert.ok(
        top.explanation.matched_offers.length > 0,
        `top result ${top.firm_id} shows no matched offers`,
      );
      const own = [...top.firm.offers, ...top.firm.products, ...top.firm.technologies];
      for (const offer of top.explanation.matched_offers) {
        assert.ok(own.includes(offer), `"${offer}" is not an offer of ${top.firm_id}`);
      }
    });
  }

  it('refuses k over 1000: RESOURCE_EXHAUSTED', async () => {
    await expectStatus(
      call(api.matching, 'Recommend', { firm_id: QUERY_FIRMS[3].id, k: 5000 }, env.readerKey),
      status.RESOURCE_EXHAUSTED,
    );
    await expectStatus(
      call(api.matching, 'Search', { query: 'PCB 조립', k: 5000 }, env.readerKey),
      status.RESOURCE_EXHAUSTED,
    );
  });

  it('refuses bad requests with INVALID_ARGUMENT naming the field', async () => {
    await expectStatus(
      call(api.matching, 'Search', { query: '' }, env.readerKey),
      status.INVALID_ARGUMENT,
      /query/,
    );
    await expectStatus(
      call(api.matching, 'Recommend', { firm_id: QUERY_FIRMS[3].id, k: 0 }, env.readerKey),
      status.INVALID_ARGUMENT,
      /\bk\b/,
    );
  });

  it('answers NOT_FOUND for an unknown query firm', async () => {
    await expectStatus(
      call(api.matching, 'Recommend', { firm_id: 'NODE-NO-SUCH-FIRM' }, env.readerKey),
      status.NOT_FOUND,
    );
  });

  it('keeps within the request filter', async () => {
    const response = await call(
      api.matching,
      'Recommend',
      { firm_id: QUERY_FIRMS[3].id, k: 20, filter: { mini_clusters: ['IMT'] } },
      env.readerKey,
    );
    assert.ok(response.recommendations.length > 0);
    for (const result of response.recommendations) {
      assert.equal(result.firm.mini_cluster, 'IMT', result.firm_id);
    }
  });
});
