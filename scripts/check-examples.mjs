// The API reference's examples, checked (a stage of `npm run lint` and `npm run docs`):
//  - every function and class an entry point exports (but the ɵ and @internal ones, and the
//    error classes, whose comments say when they are thrown) has an `@example` in its TSDoc comment;
//  - every example's ```ts block compiles: each is written to .tmp/examples/ as a module of its
//    own, importing the library by its package names (tsconfig paths), and type-checked with the
//    workspace's compiler options. An error is reported at the example's line in the source.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const ENTRIES = ['src', 'node/src', 'worker/src', 'bench/src', 'angular/src'].map((dir) => resolve(root, 'projects/npstreams-rx', dir, 'public-api.ts'));
const out = resolve(root, '.tmp/examples');

const configFile = ts.readConfigFile(resolve(root, 'tsconfig.docs.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const program = ts.createProgram(parsed.fileNames, parsed.options);
const checker = program.getTypeChecker();

const problems = [];
/** Each example: the source file and line of its comment, and its code. */
const examples = [];
const seen = new Set();

const where = (node) => {
  const sf = node.getSourceFile();
  return `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
};
const tagText = (tag) => (typeof tag.comment === 'string' ? tag.comment : (tag.comment ?? []).map((c) => c.text).join(''));

for (const entry of ENTRIES) {
  const sf = program.getSourceFile(entry);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) {
    problems.push(`${relative(root, entry)}: not part of tsconfig.docs.json`);
    continue;
  }
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const name = exported.getName();
    if (name.startsWith('ɵ')) continue;
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class))) continue;
    const declaration = symbol.getDeclarations()?.[0];
    if (!declaration) continue;
    const extendsError = ts.isClassDeclaration(declaration) && (declaration.heritageClauses ?? []).some((h) => h.types.some((t) => /Error$/.test(t.expression.getText())));
    if (extendsError) continue;
    const tags = ts.getJSDocTags(declaration);
    if (tags.some((t) => t.tagName.text === 'internal')) continue;
    const key = where(declaration);
    if (seen.has(key)) continue; // exported under two names
    seen.add(key);
    const found = tags.filter((t) => t.tagName.text === 'example');
    if (found.length === 0) problems.push(`${key}: ${name} has no @example`);
    for (const tag of found) {
      const blocks = [...tagText(tag).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
      if (blocks.length === 0) problems.push(`${key}: ${name}'s @example has no \`\`\`ts block`);
      // a decorator in an example is written \@Component in TSDoc (else it would start a tag)
      for (const code of blocks) examples.push({ name, key, code: code.replace(/\\@/g, '@') });
    }
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = examples.map((example, k) => {
  const file = join(out, `${String(k).padStart(3, '0')}-${example.name}.ts`);
  writeFileSync(file, `// ${example.key}: the example of ${example.name}\n${example.code}\nexport {};\n`);
  return { file, example };
});
const exampleProgram = ts.createProgram(
  files.map((f) => f.file),
  { ...parsed.options, noEmit: true, noUnusedLocals: false, types: ['node'] },
);
for (const d of ts.getPreEmitDiagnostics(exampleProgram)) {
  const f = d.file && files.find((x) => resolve(x.file) === resolve(d.file.fileName));
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!f) {
    problems.push(`(outside the examples) ${d.file ? relative(root, d.file.fileName) : ''}: ${message}`);
    continue;
  }
  const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line; // line 1 is the header
  problems.push(`${f.example.key}: ${f.example.name}'s example, its line ${line}: ${message}`);
}

for (const p of problems) console.log(`  ${p}`);
console.log(`examples: ${examples.length} compiled from ${seen.size} exported functions and classes, ${problems.length} problems`);
process.exitCode = problems.length ? 1 : 0;
