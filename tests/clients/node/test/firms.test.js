// FirmService as the portal backend uses it: create, read, update with a
// field mask, list page by page, delete, and the errors it must tell apart.
'use strict';

const assert = require('node:assert/strict');
const { describe, it, before, after } = require('node:test');
const { status, env, sample, connect, call, expectStatus, listAll } = require('./support.js');

// A firm of the portal, made up for this file (ids start with NODE-FIRMS-).
function portalFirm(id, overrides = {}) {
  return {
    id,
    name: '노드테크 (Node Tech)',
    description: 'IoT 센서 보드 설계 전문 기업. We design IoT sensor boards.',
    kind: 'FIRM_KIND_COMPANY',
    clusters: ['G-Valley'],
    mini_cluster: 'ICT',
    industries: ['C26 electronic components'],
    technologies: ['embedded firmware', 'BLE'],
    products: ['IoT sensor boards'],
    offers: ['embedded firmware development for sensor devices'],
    needs: ['PCB assembly for small production runs', '일본 수출 유통 파트너'],
    roles: ['ROLE_PLANNING', 'ROLE_DEVELOPMENT'],
    materials: ['printed circuit boards'],
    markets: ['Japan'],
    region: 'Seoul Guro-gu',
    employees: 12,
    founded: 2019,
    visibility: 'VISIBILITY_PUBLIC',
    ...overrides,
  };
}

describe('FirmService', () => {
  let api;
  before(() => {
    api = connect();
  });
  after(() => api.close());

  it('creates a firm with the writer key and returns it as stored', async () => {
    const firm = portalFirm('NODE-FIRMS-0001');
    const created = await call(api.firms, 'CreateFirm', { firm }, env.writerKey);
    assert.deepEqual(created, firm);
  });

  it('gets a created firm with a reader key', async () => {
    const firm = portalFirm('NODE-FIRMS-0002');
    await call(api.firms, 'CreateFirm', { firm }, env.writerKey);
    const got = await call(api.firms, 'GetFirm', { id: firm.id }, env.readerKey);
    assert.deepEqual(got, firm);
  });

  it('gets an imported sample firm with its Korean text intact', async () => {
    const expected = sample.byId.get('GV-0002');
    const got = await call(api.firms, 'GetFirm', { id: 'GV-0002' }, env.readerKey);
    assert.equal(got.name, expected.name);
    assert.equal(got.description, expected.description);
    assert.deepEqual(got.offers, expected.offers);
    assert.deepEqual(got.clusters, expected.clusters);
  });

  it('refuses a second firm with a taken id: ALREADY_EXISTS', async () => {
    const firm = portalFirm('NODE-FIRMS-0003');
    await call(api.firms, 'CreateFirm', { firm }, env.writerKey);
    await expectStatus(
      call(api.firms, 'CreateFirm', { firm: { ...firm, name: 'Other' } }, env.writerKey),
      status.ALREADY_EXISTS,
    );
    await expectStatus(
      call(api.firms, 'CreateFirm', { firm: portalFirm('GV-0002') }, env.writerKey),
      status.ALREADY_EXISTS,
    );
    const got = await call(api.firms, 'GetFirm', { id: firm.id }, env.readerKey);
    assert.equal(got.name, firm.name, 'the failed create changed the stored firm');
  });

  it('updates only the fields named in the update mask', async () => {
    const firm = portalFirm('NODE-FIRMS-0004');
    await call(api.firms, 'CreateFirm', { firm }, env.writerKey);
    const change = {
      id: firm.id,
      name: 'must not be applied',
      description: 'Now also offering BLE module certification support.',
      needs: ['EMC test lab for our device'],
      employees: 999,
    };
    const updated = await call(
      api.firms,
      'UpdateFirm',
      { firm: change, update_mask: { paths: ['needs', 'description'] } },
      env.writerKey,
    );
    const expected = { ...firm, description: change.description, needs: change.needs };
    assert.deepEqual(updated, expected);
    assert.deepEqual(await call(api.firms, 'GetFirm', { id: firm.id }, env.readerKey), expected);
  });

  it('replaces every field with an empty update mask', async () => {
    const firm = portalFirm('NODE-FIRMS-0005');
    await call(api.firms, 'CreateFirm', { firm }, env.writerKey);
    const replacement = portalFirm(firm.id, {
      name: 'Node Tech Renamed',
      offers: ['contract PCB assembly'],
      needs: [],
      employees: 30,
    });
    const updated = await call(api.firms, 'UpdateFirm', { firm: replacement }, env.writerKey);
    assert.deepEqual(updated, replacement);
  });

  it('answers NOT_FOUND for an unknown firm on get, update and delete', async () => {
    await expectStatus(
      call(api.firms, 'GetFirm', { id: 'NODE-NO-SUCH-FIRM' }, env.readerKey),
      status.NOT_FOUND,
    );
    await expectStatus(
      call(
        api.firms,
        'UpdateFirm',
        { firm: portalFirm('NODE-NO-SUCH-FIRM'), update_mask: { paths: ['needs'] } },
        env.writerKey,
      ),
      status.NOT_FOUND,
    );
    await expectStatus(
      call(api.firms, 'DeleteFirm', { id: 'NODE-NO-SUCH-FIRM' }, env.writerKey),
      status.NOT_FOUND,
    );
  });

  it('answers INVALID_ARGUMENT naming the bad field', async () => {
    await expectStatus(
      call(
        api.firms,
        'CreateFirm',
        { firm: portalFirm('NODE-FIRMS-BAD1', { employees: -5 }) },
        env.writerKey,
      ),
      status.INVALID_ARGUMENT,
      /employees/,
    );
    await expectStatus(
      call(
        api.firms,
        'CreateFirm',
        { firm: portalFirm('NODE-FIRMS-BAD2', { founded: 1200 }) },
        env.writerKey,
      ),
      status.INVALID_ARGUMENT,
      /founded/,
    );
    await expectStatus(
      call(api.firms, 'CreateFirm', { firm: portalFirm('') }, env.writerKey),
      status.INVALID_ARGUMENT,
      /\bid\b/,
    );
    for (const id of ['NODE-FIRMS-BAD1', 'NODE-FIRMS-BAD2']) {
      await expectStatus(call(api.firms, 'GetFirm', { id }, env.adminKey), status.NOT_FOUND);
    }
  });

  it('deletes a firm', async () => {
    const firm = portalFirm('NODE-FIRMS-0006');
    await call(api.firms, 'CreateFirm', { firm }, env.writerKey);
    const empty = await call(api.firms, 'DeleteFirm', { id: firm.id }, env.writerKey);
    assert.deepEqual(empty, {});
    await expectStatus(call(api.firms, 'GetFirm', { id: firm.id }, env.adminKey), status.NOT_FOUND);
  });

  it('lists firms by id one page at a time', async () => {
    // Only this file's firms and Magok's sample firms are asked for, so
    // firms created by other test files running in parallel do not matter.
    const { firms, pageSizes } = await listAll(api.firms, env.readerKey, {
      filter: { clusters: ['Magok'] },
      pageSize: 4,
    });
    const ids = firms.map((firm) => firm.id);
    const expected = sample.firms
      .filter((firm) => firm.clusters.includes('Magok') && sample.public.has(firm.id))
      .map((firm) => firm.id)
      .sort();
    assert.ok(expected.length > 8, 'the sample has enough public Magok firms for three pages');
    assert.deepEqual(ids, expected);
    assert.ok(pageSizes.length >= 3, `pages: ${pageSizes}`);
    assert.ok(
      pageSizes.every((size) => size <= 4),
      `a page held more than page_size firms: ${pageSizes}`,
    );
    for (const firm of firms) {
      const stored = sample.byId.get(firm.id);
      assert.equal(firm.name, stored.name);
      assert.deepEqual(firm.offers, stored.offers);
      assert.deepEqual(firm.needs, stored.needs);
      assert.equal(firm.visibility, stored.visibility);
    }
  });

  it('lists every public firm with the default page size', async () => {
    const { firms } = await listAll(api.firms, env.readerKey);
    const ids = firms.map((firm) => firm.id);
    assert.deepEqual(ids, [...ids].sort(), 'ListFirms is ordered by id');
    assert.equal(new Set(ids).size, ids.length, 'a firm was listed twice');
    for (const id of sample.public) assert.ok(ids.includes(id), `public firm ${id} missing`);
  });

  it('refuses a page size over 1000: RESOURCE_EXHAUSTED', async () => {
    await expectStatus(
      call(api.firms, 'ListFirms', { page_size: 5000 }, env.readerKey),
      status.RESOURCE_EXHAUSTED,
    );
  });
});

