// Runs example.js, the snippet portal developers copy, against the test
// server, so that what it shows stays true.
'use strict';

const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');
const { env, connect, call, publicQueryFirms } = require('./support.js');

const EXAMPLE = path.join(__dirname, '..', 'example.js');

function runExample(args, key) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [EXAMPLE, ...args],
      { env: { ...process.env, CM_ADDR: env.addr, CM_KEY: key }, timeout: 60000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

describe('example.js', () => {
  let api;
  before(() => {
    api = connect();
  });
  after(() => api.close());

  it('prints the recommended firms with their reasons', async () => {
    const query = publicQueryFirms()[30].id;
    const run = await runExample([query], env.readerKey);
    assert.equal(run.code, 0, run.stderr);
    // Other test files may add firms meanwhile, so the five printed firms
    // are checked against a wider recommendation rather than a second top 5.
    const wider = await call(
      api.matching,
      'Recommend',
      { firm_id: query, k: 20, omit_explanations: true },
      env.readerKey,
    );
    const names = new Map(wider.recommendations.map((r) => [r.firm_id, r.firm.name]));
    const header = run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith(' '));
    assert.equal(header.length, 5, run.stdout);
    for (const line of header) {
      const parsed = line.match(/^(.+) \[(.+)\] score -?\d+\.\d{3}$/);
      assert.ok(parsed, `unexpected line: ${line}`);
      assert.equal(names.get(parsed[2]), parsed[1], `${line} is not among the recommendations`);
    }
    assert.match(run.stdout, /needs ".+" <- .+ offers ".+"/, 'no reasons printed');
  });

  it('reports a refused call and exits non-zero', async () => {
    const run = await runExample(['GV-0002'], 'cm_000000000000_wrong');
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /Recommend failed: .*\(code 16\)/);
  });
});
