// Partner proposals for one firm, with the reasons, from a clustermatch server.
// Run: CM_ADDR=localhost:50051 CM_KEY=cm_... node example.js GV-0002
'use strict';
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync('clustermatch/v1/matching_service.proto', {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
  includeDirs: [path.join(__dirname, '..', '..', '..', 'proto')], // the repo's proto/
});
const { MatchingService } = grpc.loadPackageDefinition(definition).clustermatch.v1;
const client = new MatchingService(process.env.CM_ADDR || 'localhost:50051',
  grpc.credentials.createInsecure());
const metadata = new grpc.Metadata();
metadata.set('authorization', `Bearer ${process.env.CM_KEY}`);

const firmId = process.argv[2] || 'GV-0002';
client.Recommend({ firm_id: firmId, k: 5 }, metadata, (error, response) => {
  client.close();
  if (error) {
    console.error(`Recommend failed: ${error.details} (code ${error.code})`);
    process.exitCode = 1;
    return;
  }
  for (const { firm, score, explanation } of response.recommendations) {
    console.log(`${firm.name} [${firm.id}] score ${score.toFixed(3)}`);
    for (const m of explanation.need_offer) {
      console.log(`  ${m.need_firm_id} needs "${m.need}" <- ${m.offer_firm_id} offers "${m.offer}"`);
    }
    if (explanation.roles_covered.length > 0) console.log(`  covers ${explanation.roles_covered.join(', ')}`);
  }
});
