// Generates TypeScript for the protos the Mini App calls, straight from the repository's protos/
// (never a copy), with protoc from Debian's python3-grpc-tools and @bufbuild/protoc-gen-es.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const protos = process.env.NB_PROTOS ?? path.resolve(app, '../../protos');
const out = path.join(app, 'src', 'gen');
const files = [
  'nanobanana/options/v1/access.proto',
  'nanobanana/catalog/v1/catalog.proto',
  'nanobanana/catalog/v1/try_on.proto',
  'nanobanana/catalog/v1/plans.proto',
  'nanobanana/payments/v1/events.proto',
  'nanobanana/payments/v1/payments.proto',
  'nanobanana/users/v1/users.proto',
  'nanobanana/billing/v1/billing.proto',
  'nanobanana/generation/v1/video_tools_choice.proto',
  'nanobanana/generation/v1/generation.proto',
];
const plugin = path.join(app, 'node_modules', '.bin', process.platform === 'win32' ? 'protoc-gen-es.cmd' : 'protoc-gen-es');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(process.env.NB_PYTHON ?? '/usr/bin/python3', [
  '-m', 'grpc_tools.protoc', '-I', protos,
  `--plugin=protoc-gen-es=${plugin}`,
  `--es_out=${out}`, '--es_opt=target=ts,import_extension=none',
  ...files,
], { stdio: 'inherit' });
