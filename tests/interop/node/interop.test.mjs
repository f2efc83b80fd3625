// Interop: npm clients against the real Host.
//   native gRPC      @grpc/grpc-js + @grpc/proto-loader            (h2c port, GRPC_TARGET)
//   gRPC-Web binary  @connectrpc/connect-node createGrpcWebTransport (HTTP/1.1 port, HTTP_BASE)
//   gRPC-Web text    Google's grpc-web runtime (format "text") over the xhr2 XMLHttpRequest
//   reflection       grpc-js-reflection-client (v1 and v1alpha)
// Code for connect and grpc-web is generated at test time from protos/ with protoc-gen-es.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const interop = path.dirname(here);
const protos = path.resolve(interop, '../../protos');
const gen = path.join(interop, 'gen', 'es');
const grpcTarget = process.env.GRPC_TARGET ?? '127.0.0.1:5001';
const httpBase = process.env.HTTP_BASE ?? 'http://127.0.0.1:5000';

mkdirSync(gen, { recursive: true });
execFileSync('/usr/bin/python3', [
  '-m', 'grpc_tools.protoc', '-I', protos,
  `--plugin=protoc-gen-es=${path.join(interop, 'node_modules', '.bin', 'protoc-gen-es')}`,
  `--es_out=${gen}`, '--es_opt=target=js,import_extension=js',
  'nanobanana/catalog/v1/catalog.proto', 'nanobanana/options/v1/access.proto',
], { stdio: 'inherit' });

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { GrpcReflection } = require('grpc-js-reflection-client');
const { create, fromBinary, toBinary } = await import('@bufbuild/protobuf');
const { createClient, ConnectError, Code } = await import('@connectrpc/connect');
const { createGrpcWebTransport } = await import('@connectrpc/connect-node');
const catalogEs = await import(pathToFileURL(path.join(gen, 'nanobanana/catalog/v1/catalog_pb.js')).href);

const definition = protoLoader.loadSync('nanobanana/catalog/v1/catalog.proto', { includeDirs: [protos], keepCase: false });
const { CatalogService } = grpc.loadPackageDefinition(definition).nanobanana.catalog.v1;

test('grpc-js: unary ListModels', async () => {
  const client = new CatalogService(grpcTarget, grpc.credentials.createInsecure());
  const response = await new Promise((resolve, reject) =>
    client.ListModels({}, { deadline: Date.now() + 10_000 }, (error, value) => (error ? reject(error) : resolve(value))));
  client.close();
  assert.equal(response.models.length, 6); // the seeded catalog
  assert.ok(response.models.some((m) => m.slug === 'nano-banana'));
});

test('grpc-js: invalid request is INVALID_ARGUMENT with status details', async () => {
  const client = new CatalogService(grpcTarget, grpc.credentials.createInsecure());
  const error = await new Promise((resolve) => client.GetModel({ slug: 'Bad Slug!' }, (e) => resolve(e)));
  client.close();
  assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
  assert.ok(error.metadata.get('grpc-status-details-bin').length > 0);
});

test('connect gRPC-Web binary: ListModels and a NOT_FOUND error', async () => {
  const transport = createGrpcWebTransport({ baseUrl: httpBase, httpVersion: '1.1' });
  const client = createClient(catalogEs.CatalogService, transport);
  const response = await client.listModels({});
  assert.equal(response.models.length, 6); // the seeded catalog
  await assert.rejects(client.getModel({ slug: 'no-such-model' }), (e) => e instanceof ConnectError && e.code === Code.NotFound);
  await assert.rejects(client.getModel({ slug: 'Bad Slug!' }), (e) => e instanceof ConnectError && e.code === Code.InvalidArgument);
});

test('grpc-web runtime, text mode: ListModels', async () => {
  globalThis.XMLHttpRequest = require('xhr2');
  const { GrpcWebClientBase, MethodDescriptor, MethodType } = require('grpc-web');
  const method = new MethodDescriptor(
    '/nanobanana.catalog.v1.CatalogService/ListModels',
    MethodType.UNARY,
    Object, Object,
    (request) => toBinary(catalogEs.ListModelsRequestSchema, request),
    (bytes) => fromBinary(catalogEs.ListModelsResponseSchema, bytes));
  const client = new GrpcWebClientBase({ format: 'text' });
  const call = (request) => new Promise((resolve, reject) =>
    client.rpcCall(`${httpBase}/nanobanana.catalog.v1.CatalogService/ListModels`, request, {}, method,
      (error, response) => (error ? reject(error) : resolve(response))));
  const response = await call(create(catalogEs.ListModelsRequestSchema, {}));
  // kind 99 is not a ModelKind: the validator answers INVALID_ARGUMENT through the text-mode trailers.
  await assert.rejects(call(create(catalogEs.ListModelsRequestSchema, { kind: 99 })), (e) => e.code === 3);
  assert.equal(response.models.length, 6); // the seeded catalog
});

for (const version of ['v1', 'v1alpha']) {
  test(`reflection ${version}: lists the services and resolves the catalog file`, async () => {
    const reflection = new GrpcReflection(grpcTarget, grpc.credentials.createInsecure(), {}, version);
    const services = await reflection.listServices();
    for (const name of ['nanobanana.catalog.v1.CatalogService', 'grpc.health.v1.Health', `grpc.reflection.${version}.ServerReflection`]) {
      assert.ok(services.includes(name), `${name} in ${services}`);
    }
    const descriptor = await reflection.getDescriptorBySymbol('nanobanana.catalog.v1.CatalogService');
    const files = descriptor.getPackageObject({}).nanobanana ? 'ok' : 'missing';
    assert.equal(files, 'ok');
  });
}
