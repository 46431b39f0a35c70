import { parseArgs } from 'util';

import { startSandbox } from './index';

/**
 * `npm run sandbox -- --port 4010 --members 10000 --rate 8`: starts the sandbox, prints URLs and
 * credentials, runs until Ctrl-C.
 */

const USAGE = `Usage: npm run sandbox -- [options]
  --port <n>            port on 127.0.0.1 (default 4010; 0 = random)
  --members <n>         generated Annex Cloud members besides the fixtures (default 0)
  --rate <n>            Ometria push requests per second (default 8)
  --data-rate <n>       Ometria GET requests per second (default 4; 0 = unlimited)
  --queue-limit <n>     Ometria queue backlog limit in records (default 50000)
  --process-delay <ms>  delay before pushed records are validated (default 50)
  --seed <n>            generator and fault seed (default 42)
  --as-of <YYYY-MM-DD>  date the generated data is relative to (default today UTC)
  --shape <flat|wrapped> Annex Cloud response shape (default flat)
  --ometria-key <key>   X-Ometria-Auth value (default sandbox-ometria-key)
  --site-id <id>, --site-name <name>, --secret <key>   Annex Cloud credentials`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '4010' },
			members: { type: 'string', default: '0' },
			rate: { type: 'string' },
			'data-rate': { type: 'string' },
			'queue-limit': { type: 'string' },
			'process-delay': { type: 'string' },
			seed: { type: 'string' },
			'as-of': { type: 'string' },
			shape: { type: 'string' },
			'ometria-key': { type: 'string' },
			'site-id': { type: 'string' },
			'site-name': { type: 'string' },
			secret: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const number = (value: string | undefined) => {
		if (value === undefined) return undefined;
		const parsed = Number(value);
		if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`Not a number: ${value}\n${USAGE}`);
		return parsed;
	};
	const shape = values.shape;
	if (shape !== undefined && shape !== 'flat' && shape !== 'wrapped')
		throw new Error(`--shape must be flat or wrapped\n${USAGE}`);
	const started = Date.now();
	const sandbox = await startSandbox({
		port: number(values.port),
		members: number(values.members),
		seed: number(values.seed),
		asOf: values['as-of'],
		ometria: {
			apiKey: values['ometria-key'],
			pushRatePerSecond: number(values.rate),
			dataApiRatePerSecond: number(values['data-rate']),
			queueLimit: number(values['queue-limit']),
			processDelayMs: number(values['process-delay']),
		},
		annex: {
			siteId: values['site-id'],
			siteName: values['site-name'],
			secretKey: values.secret,
			responseShape: shape,
		},
	});
	const { options } = sandbox;
	console.log(`Loyalty sandbox listening on ${sandbox.url} (started in ${Date.now() - started} ms)

Ometria  base URL   ${sandbox.ometriaBaseUrl}
         X-Ometria-Auth: ${options.ometria.apiKey}
         push ${options.ometria.pushRatePerSecond} req/s, data API ${options.ometria.dataApiRatePerSecond || 'unlimited'} req/s, queue ${options.ometria.queueLimit} records

Annex    base URL   ${sandbox.annexBaseUrl}
         site id ${options.annex.siteId}, site name (sub) ${options.annex.siteName}, secret ${options.annex.secretKey}
         responses ${options.annex.responseShape}; ${sandbox.state.annex.members.size} members (102 fixtures + ${options.members} generated, seed ${options.seed}, as of ${options.asOf})

Control  ${sandbox.url}/_sandbox/state | /stats | /info   POST /faults | /reset | /webhooks/send

Ctrl-C stops.`);
	const stop = () => {
		console.log('\nStopping sandbox…');
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
