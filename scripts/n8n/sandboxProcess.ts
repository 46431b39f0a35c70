/**
 * The sandbox as a child process for scripts/demo.mjs (run through scripts/run-ts.mjs, which
 * transpiles TypeScript on require): starts it on a free port with the default credentials,
 * prints `{url, ometriaBaseUrl, annexBaseUrl}` as one JSON line, and closes when its stdin
 * closes, so the sandbox never outlives the demo. Counters are read over the control API
 * (`GET /_sandbox/stats`).
 */
import { startSandbox } from '../../sandbox';

async function main(): Promise<void> {
	const sandbox = await startSandbox({ port: 0 });
	process.stdout.write(
		`${JSON.stringify({ url: sandbox.url, ometriaBaseUrl: sandbox.ometriaBaseUrl, annexBaseUrl: sandbox.annexBaseUrl })}\n`,
	);
	const close = () => void sandbox.close().then(() => process.exit(0));
	process.stdin.on('end', close);
	process.stdin.resume();
	process.on('SIGINT', close);
	process.on('SIGTERM', close);
}

main().catch((error: Error) => {
	console.error(error.stack ?? error);
	process.exit(1);
});
