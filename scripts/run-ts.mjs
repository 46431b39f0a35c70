// Runs a TypeScript file without ts-node: registers a require hook that transpiles `.ts` with
// TypeScript's transpileModule (no type check), then requires the entry file.
// Usage: node scripts/run-ts.mjs path/to/file.ts [args…]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
	const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
		compilerOptions,
		fileName: filename,
	});
	module._compile(outputText, filename);
};

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
	console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
	process.exit(2);
}
const entryPath = resolve(entry);
// The entry sees itself as argv[1] and its own arguments after it, as if run directly.
process.argv = [process.argv[0], entryPath, ...args];
require(entryPath);
