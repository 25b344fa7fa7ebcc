// Shared helpers of the Node.js client tests: the clustermatch services
// loaded from the repository's .proto files, promise-returning calls with an
// API key, status-code assertions and facts about the G-Valley sample.
//
// The server, its address and its keys come from run_client_test.sh through
// CM_* environment variables.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const REPO_DIR = path.resolve(__dirname, '..', '..', '..', '..');
const PROTO_DIR = path.join(REPO_DIR, 'proto');
const CALL_DEADLINE_MS = 30000;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite through tests/clients/run_client_test.sh`);
  }
  return value;
}

const env = {
  addr: requiredEnv('CM_ADDR'),
  adminKey: requiredEnv('CM_ADMIN_KEY'),
  writerKey: requiredEnv('CM_WRITER_KEY'),
  readerKey: requiredEnv('CM_READER_KEY'),
  membersReaderKey: requiredEnv('CM_MEMBERS_READER_KEY'),
  clusterWriterKey: requiredEnv('CM_CLUSTER_WRITER_KEY'),
  cluster: requiredEnv('CM_CLUSTER'),
  samplePath: process.env.CM_SAMPLE || path.join(REPO_DIR, 'data', 'sample', 'gvalley.jsonl'),
};

const packageDefinition = protoLoader.loadSync(
  [
    'clustermatch/v1/firm_service.proto',
    'clustermatch/v1/matching_service.proto',
    'clustermatch/v1/feedback_service.proto',
    'clustermatch/v1/admin_service.proto',
  ],
  {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [PROTO_DIR],
  },
);
const v1 = grpc.loadPackageDefinition(packageDefinition).clustermatch.v1;

// One client per service, sharing nothing but the address.
function connect() {
  const credentials = grpc.credentials.createInsecure();
  return {
    firms: new v1.FirmService(env.addr, credentials),
    matching: new v1.MatchingService(env.addr, credentials),
    feedback: new v1.FeedbackService(env.addr, credentials),
    admin: new v1.AdminService(env.addr, credentials),
    close() {
      for (const client of [this.firms, this.matching, this.feedback, this.admin]) client.close();
    },
  };
}

// `authorization: Bearer KEY` metadata; none at all when key is null.
function auth(key) {
  const metadata = new grpc.Metadata();
  if (key !== null && key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  return metadata;
}

// Calls a unary method and resolves with its response.
function call(client, method, request, key) {
  return new Promise((resolve, reject) => {
    client[method](
      request,
      auth(key),
      { deadline: Date.now() + CALL_DEADLINE_MS },
      (error, response) => (error ? reject(error) : resolve(response)),
    );
  });
}

const codeNames = Object.fromEntries(Object.entries(grpc.status).map(([n, c]) => [c, n]));

// Asserts that the call fails with `code` and, when given, a message
// matching `messagePattern`. Resolves with the error.
async function expectStatus(promise, code, messagePattern) {
  let error = null;
  try {
    const response = await promise;
    assert.fail(`expected ${codeNames[code]}, the call succeeded: ${JSON.stringify(response)}`);
  } catch (caught) {
    if (caught instanceof assert.AssertionError) throw caught;
    error = caught;
  }
  assert.equal(
    codeNames[error.code],
    codeNames[code],
    `expected ${codeNames[code]}, got ${codeNames[error.code]}: ${error.details}`,
  );
  if (messagePattern) {
    assert.match(error.details, messagePattern, `message of ${codeNames[code]}`);
  }
  return error;
}

// Every page of ListFirms, following next_page_token.
async function listAll(client, key, { filter = {}, pageSize = 100 } = {}) {
  const firms = [];
  const pageSizes = [];
  let pageToken = '';
  for (let page = 0; page < 1000; ++page) {
    const response = await call(
      client,
      'ListFirms',
      { page_size: pageSize, page_token: pageToken, filter },
      key,
    );
    firms.push(...response.firms);
    pageSizes.push(response.firms.length);
    pageToken = response.next_page_token;
    if (!pageToken) return { firms, pageSizes };
  }
  throw new Error('ListFirms never returned an empty next_page_token');
}

// The sample as the server imported it, read from the same JSONL file.
function loadSample() {
  const firms = fs
    .readFileSync(env.samplePath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const visibility = (firm) => firm.visibility || 'VISIBILITY_PUBLIC';
  const byId = new Map(firms.map((firm) => [firm.id, firm]));
  const idsWhere = (predicate) => new Set(firms.filter(predicate).map((firm) => firm.id));
  return {
    firms,
    byId,
    hidden: idsWhere((firm) => visibility(firm) === 'VISIBILITY_HIDDEN'),
    membersOnly: idsWhere((firm) => visibility(firm) === 'VISIBILITY_MEMBERS'),
    public: idsWhere((firm) => ['VISIBILITY_PUBLIC', 'VISIBILITY_UNSPECIFIED'].includes(visibility(firm))),
  };
}
const sample = loadSample();

// Public G-Valley firms that have needs and offers, in file order: good
// query firms. Each test file takes its own so the files can run in
// parallel without recording feedback on each other's pairs.
function publicQueryFirms() {
  return sample.firms.filter(
    (firm) =>
      sample.public.has(firm.id) &&
      (firm.clusters || []).includes('G-Valley') &&
      (firm.needs || []).length > 0 &&
      (firm.offers || []).length > 0,
  );
}

module.exports = {
  grpc,
  status: grpc.status,
  env,
  sample,
  connect,
  call,
  expectStatus,
  listAll,
  publicQueryFirms,
  PROTO_DIR,
};
