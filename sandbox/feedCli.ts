import { parseArgs } from 'util';

import { writeGeneratedFeed } from './feed';

/**
 * `npm run sandbox:feed -- --members 1000000 --out feeds/day1.csv` writes the member feed of the
 * generated members (as a sandbox started with `--members` holds them, fixtures aside);
 * `--next-day` writes the following day's feed with the given shares changed, opted out and new.
 */

const USAGE = `Usage: npm run sandbox:feed -- --members <n> --out <file> [options]
  --seed <n>            generator seed (default 42, as the sandbox)
  --as-of <YYYY-MM-DD>  date the generated data is relative to (default today UTC)
  --next-day            write the next day's feed instead of the first
  --changed <share>     share of members whose points moved (default 0.02)
  --opted-out <share>   share of members who opt out (default 0.005)
  --new <share>         new members as a share of the existing ones (default 0.01)
  --cleared <share>     share of members whose phone number is removed (default 0)`;

function share(value: string | undefined, name: string): number | undefined {
	if (value === undefined) return undefined;
	const parsed = Number(value);
	if (!(parsed >= 0 && parsed <= 1)) throw new Error(`--${name} must be from 0 to 1\n${USAGE}`);
	return parsed;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			members: { type: 'string' },
			out: { type: 'string' },
			seed: { type: 'string' },
			'as-of': { type: 'string' },
			'next-day': { type: 'boolean' },
			changed: { type: 'string' },
			'opted-out': { type: 'string' },
			new: { type: 'string' },
			cleared: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) return console.log(USAGE);
	const members = Number(values.members);
	if (!values.out || !Number.isInteger(members) || members < 0) throw new Error(USAGE);
	const started = Date.now();
	const counts = await writeGeneratedFeed(values.out, {
		members,
		seed: values.seed === undefined ? undefined : Number(values.seed),
		asOf: values['as-of'],
		nextDay: values['next-day']
			? {
					changed: share(values.changed, 'changed'),
					optedOut: share(values['opted-out'], 'opted-out'),
					new: share(values.new, 'new'),
					cleared: share(values.cleared, 'cleared'),
				}
			: undefined,
	});
	console.log(
		`${values.out}: ${counts.rows} rows (${counts.changed} changed, ${counts.optedOut} opted out, ${counts.new} new, ${counts.cleared} phone numbers removed) in ${Date.now() - started} ms`,
	);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exitCode = 1;
});
