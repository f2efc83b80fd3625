// A small grpcurl stand-in (grpcurl is not packaged in Debian 12) over server reflection, with grpc-js:
//   ./nb grpc [-H 'name: value']... [-d JSON] HOST:PORT list
//   ./nb grpc [-H 'name: value']... [-d JSON] HOST:PORT package.Service/Method
// Same argument order as grpcurl (-plaintext is accepted and implied); unary methods only; JSON field
// names as in the .proto (snake_case), enums by name.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');

const headers = [];
let data = '{}';
const rest = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-H') headers.push(args[++i]);
  else if (args[i] === '-d') data = args[++i];
  else if (args[i] !== '-plaintext') rest.push(args[i]);
}
const [target, what] = rest;
if (!target || !what) {
  console.error('usage: ./nb grpc [-H "name: value"]... [-d JSON] HOST:PORT list|package.Service/Method');
  process.exit(2);
}

const metadata = new grpc.Metadata();
for (const header of headers) {
  const colon = header.indexOf(':');
  metadata.add(header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trim());
}

const credentials = grpc.credentials.createInsecure();
const reflection = new GrpcReflection(target, credentials);
try {
  if (what === 'list') {
    for (const service of (await reflection.listServices()).sort()) console.log(service);
    process.exit(0);
  }

  const [service, method] = what.split('/');
  const descriptor = await reflection.getDescriptorBySymbol(service);
  const root = descriptor.getPackageObject({ keepCase: true, enums: String, longs: String, defaults: true, oneofs: true });
  const Client = service.split('.').reduce((node, part) => node?.[part], root);
  if (!Client?.service?.[method]) throw new Error(`no method ${what} on ${target}`);
  const client = new Client(target, credentials);
  const response = await new Promise((resolve, reject) =>
    client[method](JSON.parse(data), metadata, { deadline: Date.now() + 10_000 }, (error, reply) => (error ? reject(error) : resolve(reply))));
  console.log(JSON.stringify(response, null, 2));
  process.exit(0);
} catch (error) {
  console.error(error.code !== undefined ? `ERROR: code ${grpc.status[error.code]}: ${error.details}` : `ERROR: ${error.message}`);
  process.exit(1);
}
