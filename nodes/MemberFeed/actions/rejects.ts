import type { IBinaryKeyData, IExecuteFunctions } from 'n8n-workflow';

import { csvLine } from '../logic/csv';
import type { RejectedRow } from '../logic/feedReader';

/** Every listed rejected row as a CSV file for the run's report. */
export async function rejectsFile(
	context: IExecuteFunctions,
	rejects: RejectedRow[],
): Promise<IBinaryKeyData> {
	if (!rejects.length) return {};
	const lines = [csvLine(['line', 'memberId', 'reason'])];
	for (const reject of rejects)
		lines.push(csvLine([String(reject.line), reject.memberId ?? '', reject.reason]));
	const buffer = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
	return {
		rejects: await context.helpers.prepareBinaryData(buffer, 'rejected-rows.csv', 'text/csv'),
	};
}
