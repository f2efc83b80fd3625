// Users interop: a Mini App signs in with real-format initData over gRPC-Web (connect, HTTP/1.1
// port) and calls its public methods with the session token.
// Env: HTTP_BASE, BOT_TOKEN (the Host's Telegram:BotToken).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const interop = path.dirname(here);
const protos = path.resolve(interop, '../../protos');
const gen = path.join(interop, 'gen', 'es');
const httpBase = process.env.HTTP_BASE ?? 'http://127.0.0.1:5000';
const botToken = process.env.BOT_TOKEN;

mkdirSync(gen, { recursive: true });
execFileSync('/usr/bin/python3', [
  '-m', 'grpc_tools.protoc', '-I', protos,
  `--plugin=protoc-gen-es=${path.join(interop, 'node_modules', '.bin', 'protoc-gen-es')}`,
  `--es_out=${gen}`, '--es_opt=target=js,import_extension=js',
  'nanobanana/users/v1/users.proto', 'nanobanana/options/v1/access.proto',
  'nanobanana/catalog/v1/catalog.proto', 'nanobanana/generation/v1/generation.proto',
  'nanobanana/generation/v1/video_tools_choice.proto',
], { stdio: 'inherit' });

const { createClient, ConnectError, Code } = await import('@connectrpc/connect');
const { createGrpcWebTransport } = await import('@connectrpc/connect-node');
const usersEs = await import(pathToFileURL(path.join(gen, 'nanobanana/users/v1/users_pb.js')).href);
const catalogEs = await import(pathToFileURL(path.join(gen, 'nanobanana/catalog/v1/catalog_pb.js')).href);
const generationEs = await import(pathToFileURL(path.join(gen, 'nanobanana/generation/v1/generation_pb.js')).href);

/** initData exactly as Telegram.WebApp.initData: URL-encoded fields plus hash over the sorted decoded fields. */
function initData(user, startParam) {
  const fields = {
    query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
    user: JSON.stringify(user),
    auth_date: String(Math.floor(Date.now() / 1000)),
    signature: 'c2lnbmF0dXJlLW5vdC1jaGVja2Vk',
  };
  if (startParam) fields.start_param = startParam;
  const dataCheckString = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(dataCheckString).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

const transport = createGrpcWebTransport({ baseUrl: httpBase, httpVersion: '1.1' });
const auth = createClient(usersEs.AuthService, transport);
const users = createClient(usersEs.UsersService, transport);
const catalog = createClient(catalogEs.CatalogService, transport);
const generation = createClient(generationEs.GenerationService, transport);

test('gRPC-Web: sign in with initData, then GetMe and UpdateMySettings with the session', async () => {
  const signIn = await auth.signInWithTelegram({
    initData: initData({ id: 880001, first_name: 'Мария', username: 'maria_web', language_code: 'ru', allows_write_to_pm: true }),
  });
  assert.ok(signIn.sessionToken.length > 20);
  const headers = { authorization: `Bearer ${signIn.sessionToken}` };

  const me = await users.getMe({}, { headers });
  assert.equal(me.user.id, 880001n);
  assert.equal(me.user.firstName, 'Мария');

  const updated = await users.updateMySettings({ settings: { aspectRatio: '9:16' } }, { headers });
  assert.equal(updated.settings.aspectRatio, '9:16');
});

test('gRPC-Web: public methods without a session are UNAUTHENTICATED, tampered initData does not sign in', async () => {
  await assert.rejects(users.getMe({}), (e) => e instanceof ConnectError && e.code === Code.Unauthenticated);
  const tampered = initData({ id: 880002, first_name: 'Eve' }).replace('Eve', 'Bob');
  await assert.rejects(auth.signInWithTelegram({ initData: tampered }), (e) => e instanceof ConnectError && e.code === Code.Unauthenticated);
});

test('gRPC-Web: the model options and their prices, as a Mini App would pick them', async () => {
  const { models } = await catalog.listModels({});
  const bySlug = Object.fromEntries(models.map((m) => [m.slug, m]));
  assert.equal(bySlug['imagen-4'].capabilities.maxImagesPerRequest, 4);
  assert.equal(bySlug['nano-banana-pro'].capabilities.maxReferenceImages, 14);
  assert.equal(bySlug['veo-3-1'].capabilities.lastFrame, true);
  assert.equal(bySlug['veo-3-1'].capabilities.maxAssetReferences, 3);
  assert.deepEqual(bySlug['veo-3-1'].capabilities.assetReferenceDurationsSeconds, [8]);

  const signIn = await auth.signInWithTelegram({
    initData: initData({ id: 880003, first_name: 'Options', language_code: 'en', allows_write_to_pm: true }),
  });
  const headers = { authorization: `Bearer ${signIn.sessionToken}` };
  const quote = await generation.quoteGeneration({
    spec: { modelSlug: 'imagen-4', kind: generationEs.GenerationKind.TEXT_TO_IMAGE, prompt: 'four lighthouses', imageCount: 4 },
  }, { headers });
  assert.equal(quote.priceCredits, 60n); // 15 per image
  assert.equal(quote.spec.imageCount, 4);
  await assert.rejects(
    generation.quoteGeneration({ spec: { modelSlug: 'imagen-4', kind: generationEs.GenerationKind.TEXT_TO_IMAGE, prompt: 'five', imageCount: 5 } }, { headers }),
    (e) => e instanceof ConnectError && e.code === Code.InvalidArgument);
});
