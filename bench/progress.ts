/**
 * Progress of a long benchmark step, printed at least every 10 s: what is done out of what, the
 * rate, and the time left at that rate. `done` is read from wherever the work shows (the
 * sandbox's counters, a loop index), so it works while n8n does the work in another process.
 */
export interface ProgressOptions {
	label: string;
	total: number;
	/** What is counted, e.g. "contacts", "profiles". */
	unit: string;
	done: () => number;
	log: (line: string) => void;
	everyMs?: number;
}

export function reportProgress(options: ProgressOptions): () => void {
	const started = Date.now();
	const line = () => {
		const done = Math.min(options.done(), options.total);
		const seconds = (Date.now() - started) / 1000;
		const rate = seconds > 0 ? done / seconds : 0;
		const left =
			rate > 0 ? `about ${formatSeconds((options.total - done) / rate)} left` : 'starting';
		const share = options.total > 0 ? ((done / options.total) * 100).toFixed(1) : '0.0';
		options.log(
			`${options.label}: ${done.toLocaleString('en-US')} / ${options.total.toLocaleString('en-US')} ${options.unit} (${share} %), ${rate.toFixed(1)}/s, ${left}`,
		);
	};
	const timer = setInterval(line, options.everyMs ?? 10_000);
	timer.unref();
	return () => {
		clearInterval(timer);
		line();
	};
}

function formatSeconds(seconds: number): string {
	if (seconds < 90) return `${Math.ceil(seconds)} s`;
	const minutes = Math.floor(seconds / 60);
	return `${minutes} min ${Math.ceil(seconds - minutes * 60)} s`;
}
