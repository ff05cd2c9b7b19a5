#!/usr/bin/env node
// Writes charts/flagger-ts/crds/crds.yaml from the compiled zod schemas.
// Run after `npm run build`; test/unit/api/crd-gen.test.ts fails when the file is stale.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { renderCrdsYaml } = await import(resolve(root, 'dist/src/api/crd-gen.js'));
const out = resolve(root, 'charts/flagger-ts/crds/crds.yaml');
mkdirSync(dirname(out), { recursive: true });
const yaml = renderCrdsYaml();
writeFileSync(out, yaml);
console.log(`wrote ${out}`);
// kustomize only loads files below its directory, so the kustomize base keeps a copy.
const kustomizeCopy = resolve(root, 'kustomize/base/flagger-ts/crds.yaml');
writeFileSync(kustomizeCopy, yaml);
console.log(`wrote ${kustomizeCopy}`);

// values.schema.json: meshProvider must be a router this build has (src/routers/registry.ts).
const schemaFile = resolve(root, 'charts/flagger-ts/values.schema.json');
const { meshProviderValueSchema } = await import(resolve(root, 'dist/src/config/chart-values.js'));
const { routerProviders } = await import(resolve(root, 'dist/src/routers/registry.js'));
const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
schema.properties.meshProvider = meshProviderValueSchema(routerProviders());
const prettier = await import('prettier');
const options = (await prettier.resolveConfig(schemaFile)) ?? {};
writeFileSync(schemaFile, await prettier.format(JSON.stringify(schema), { ...options, parser: 'json' }));
console.log(`wrote ${schemaFile}`);
