#!/usr/bin/env node
// Writes charts/flagger-ts/crds/crds.yaml from the compiled zod schemas.
// Run after `npm run build`; test/unit/api/crd-gen.test.ts fails when the file is stale.
import { writeFileSync, mkdirSync } from 'node:fs';
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
